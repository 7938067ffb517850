from django import forms
from django.contrib import admin

from onestory.accounts.admin import Audited
from onestory.measures import instruments
from onestory.programmes.models import FeedbackTheme, Programme


class ProgrammeForm(forms.ModelForm):
    instrument_codes = forms.MultipleChoiceField(
        label="Measures at baseline, midpoint and end",
        choices=[(code, instruments.get(code).name) for code in instruments.CODES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "description",
            "delivery",
            "level",
            "required_course",
            "instrument_codes",
            "planned_weeks",
            "sessions_planned",
            "active",
        ]


@admin.register(Programme)
class ProgrammeAdmin(Audited, admin.ModelAdmin):
    form = ProgrammeForm
    list_display = ["name", "delivery", "level", "required_course", "active"]
    list_filter = ["delivery", "level", "active"]
    search_fields = ["name"]


@admin.register(FeedbackTheme)
class FeedbackThemeAdmin(Audited, admin.ModelAdmin):
    search_fields = ["name"]
