from django import forms
from django.contrib import admin

from onestory.accounts import administration
from onestory.accounts.admin import Audited
from onestory.measures import instruments
from onestory.measures.instruments.licensed_text import InvalidLicensedText, parse_json
from onestory.measures.models import LicensedText
from onestory.programmes.models import Programme


class LoadLicensedTextForm(forms.ModelForm):
    """Upload the JSON file of licensed wording (format in docs/measures.md)."""

    instrument = forms.ChoiceField(choices=())
    file = forms.FileField(help_text="A JSON file in onestory's licensed-text format.")

    class Meta:
        model = LicensedText
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [
            (i.code, f"{i.name} (version {i.version})")
            for i in instruments.all_instruments()
            if not i.ships_item_text
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        instrument = instruments.get(cleaned["instrument"])
        try:
            text = parse_json(instrument, cleaned["file"].read())
        except InvalidLicensedText as error:
            raise forms.ValidationError(str(error)) from None
        self.instance.instrument_code = instrument.code
        self.instance.instrument_version = instrument.version
        self.instance.payload = text.to_dict()
        return cleaned


@admin.register(LicensedText)
class LicensedTextAdmin(Audited, admin.ModelAdmin):
    form = LoadLicensedTextForm
    list_display = ["instrument_code", "instrument_version", "loaded_by", "loaded_at"]

    def has_change_permission(self, request, obj=None):
        return False  # replace by deleting and loading again: each load is recorded

    def save_model(self, request, obj, form, change):
        obj.loaded_by = request.user
        replaced = LicensedText.objects.filter(
            instrument_code=obj.instrument_code,
            instrument_version=obj.instrument_version,
        )
        for old in replaced:
            administration.delete_reference(by=request.user, obj=old)
        super().save_model(request, obj, form, change)  # audited


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
