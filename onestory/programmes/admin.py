"""Reference data of programmes. The programmes themselves are administered
from measures (measures/admin.py): a programme names the validated measures it
is evaluated with, which measures knows and programmes, below it, does not."""

from django.contrib import admin

from onestory.accounts.admin import Audited
from onestory.programmes.models import FeedbackTheme


@admin.register(FeedbackTheme)
class FeedbackThemeAdmin(Audited, admin.ModelAdmin):
    search_fields = ["name"]
