from django.contrib import admin

from onestory.accounts.admin import Audited, InLocalAuthority
from onestory.workforce.models import SupervisedPractice, TrainingCourse


@admin.register(TrainingCourse)
class TrainingCourseAdmin(Audited, admin.ModelAdmin):
    list_display = ["name", "accredits", "renewal_months", "makes_champion", "active"]
    list_filter = ["accredits", "makes_champion", "active"]
    search_fields = ["name"]


@admin.register(SupervisedPractice)
class SupervisedPracticeAdmin(Audited, InLocalAuthority, admin.ModelAdmin):
    """An administrator's recorded exception to who-may-deliver."""

    area = "user__organisation__local_authority"
    list_display = ["user", "course", "until", "granted_by"]
    fields = ["user", "course", "reason", "until"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj, form, change):
        obj.granted_by = request.user
        super().save_model(request, obj, form, change)  # audited
