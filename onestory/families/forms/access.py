"""Who may see a family's record: consent to share it, searching for a
family, emergency access, and a subject access request."""

from django import forms

from onestory.core.forms import GovukDateField, GovukForm, ObjectChoiceField, TextField
from onestory.families import domain
from onestory.families.forms.fields import (
    nhs_number_field,
    not_in_future,
    text_field,
)
from onestory.families.models import ConsentPurpose


class RecordConsentForm(GovukForm):
    organisation = ObjectChoiceField(
        label="Organisation the family agrees to share with",
        error_messages={
            "required": "Select the organisation",
            "invalid_choice": "Select an organisation from the list",
        },
    )
    purpose = forms.ChoiceField(
        label="What for",
        choices=ConsentPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the family agrees to share for"},
    )
    given_by = ObjectChoiceField(
        label="Who gave consent",
        widget=forms.RadioSelect,
        describe=lambda person: person.full_name,
        error_messages={
            "required": "Select who gave consent",
            "invalid_choice": "Select a parent or carer in this family",
        },
    )
    given_on = GovukDateField(label="Date consent was given", kind="past")

    def __init__(self, *args, carers, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].offer(
            organisations, nothing=("", "Select an organisation")
        )
        self.fields["given_by"].offer(carers)

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        not_in_future(value, "Date consent was given")
        return value


class WithdrawConsentForm(GovukForm):
    note = text_field(
        "Note (optional)",
        required=False,
        max_length=500,
        help_text=(
            "For example, how the family told you. "
            "Do not include other personal details."
        ),
        rows=3,
    )


class SearchFamiliesForm(GovukForm):
    name = text_field(
        "Name", required=False, help_text="First name, last name, or both"
    )
    date_of_birth = GovukDateField(label="Date of birth", kind="birth", required=False)
    nhs_number = nhs_number_field("NHS number")
    postcode = text_field(
        "Postcode",
        required=False,
        max_length=10,
        normalise=domain.normalise_postcode,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.values()):
            raise forms.ValidationError(
                "Enter a name, date of birth, NHS number or postcode"
            )
        return cleaned

    @property
    def searched_fields(self) -> list[str]:
        return sorted(name for name, value in self.cleaned_data.items() if value)


class EmergencyAccessForm(GovukForm):
    nhs_number = text_field(
        "NHS number of someone in the family",
        max_length=20,
        message="Enter the NHS number of someone in the family",
        normalise=domain.normalise_nhs_number,
        help_text="10 digits, for example 999 123 4561",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )
    reason = TextField(
        "Why do you need this record now?",
        max_length=2000,
        rows=4,
        help_text="Say what the emergency is. Your information governance lead "
        "reads this.",
        message="Enter why you need this record now",
    )
    understood = forms.BooleanField(
        label="I understand that this access is recorded, lasts 4 hours, and will "
        "be reviewed",
        error_messages={"required": "Confirm that you understand"},
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"]
        if len(value) < 20:
            raise forms.ValidationError(
                "Give the reason in a sentence or more (at least 20 characters)"
            )
        return value


class ReviewEmergencyAccessForm(GovukForm):
    note = TextField(
        "Review note",
        max_length=2000,
        rows=3,
        help_text="Was the access justified? Any follow-up?",
        message="Enter your review note",
    )


class SubjectAccessForm(GovukForm):
    nhs_number = text_field(
        "NHS number",
        required=False,
        max_length=20,
        normalise=domain.normalise_nhs_number,
        help_text="10 digits, for example 999 123 4561",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}
        ),
    )
    person = forms.UUIDField(
        label="Or their person reference",
        required=False,
        help_text="For someone with no NHS number, from the audit trail",
        error_messages={"invalid": "Enter a person reference, 36 characters"},
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("nhs_number") or cleaned.get("person")):
            self.add_error("nhs_number", "Enter the NHS number or the person reference")
        return cleaned
