from django import forms
from django.utils import timezone

from onestory.core.forms import GovukDateField, GovukForm
from onestory.families.domain import clean_text
from onestory.support.models import (
    Attendance,
    ClosureReason,
    ContactPurpose,
    ContactType,
    InvolvementRole,
    Level,
)

KEEP_LEAD = "keep"


class _ReasonMixin:
    def clean_reason(self):
        return clean_text(self.cleaned_data["reason"])


def _reason_field(label, required=True, message="Enter the reason"):
    return forms.CharField(
        label=label,
        required=required,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": message},
    )


def _people_choices(people):
    return [(str(p.pk), f"{p.full_name}, {p.organisation}") for p in people]


class ChangeLevelForm(_ReasonMixin, GovukForm):
    to_level = forms.ChoiceField(
        label="New level of support",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new level of support"},
    )
    reason = _reason_field(
        "Why is the level changing?", message="Enter why the level is changing"
    )
    lead = forms.ChoiceField(
        label="Who will be the lead practitioner?",
        widget=forms.RadioSelect,
        help_text=(
            "Families keep the practitioner they know unless there is a good reason."
        ),
        error_messages={"required": "Select who will be the lead practitioner"},
    )
    expected_lead = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, current_level, current_lead, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_level"].choices = [
            c for c in Level.choices if c[0] != current_level
        ]
        self.fields["lead"].choices = [
            (KEEP_LEAD, f"Keep {current_lead.full_name} as lead")
        ] + [(k, f"Transfer to {v}") for k, v in _people_choices(candidates)]
        self.fields["lead"].initial = KEEP_LEAD
        self.fields["expected_lead"].initial = current_lead.pk
        self.candidates = {str(p.pk): p for p in candidates}

    @property
    def new_lead(self):
        return self.candidates.get(self.cleaned_data["lead"])


class TransferLeadForm(_ReasonMixin, GovukForm):
    new_lead = forms.ChoiceField(
        label="New lead practitioner",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new lead practitioner"},
    )
    reason = _reason_field(
        "Why is the lead changing?",
        message="Enter why the lead practitioner is changing",
    )
    expected_lead = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, current_lead, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_lead"].choices = _people_choices(candidates)
        self.fields["expected_lead"].initial = current_lead.pk
        self.candidates = {str(p.pk): p for p in candidates}

    @property
    def chosen(self):
        return self.candidates[self.cleaned_data["new_lead"]]


class AddToTeamForm(_ReasonMixin, GovukForm):
    practitioner = forms.ChoiceField(
        label="Practitioner",
        error_messages={"required": "Select a practitioner"},
    )
    role = forms.ChoiceField(
        label="Their part",
        choices=[
            (InvolvementRole.CONTRIBUTOR, "Contributor: works with the family too"),
            (
                InvolvementRole.CONSULTED,
                "Consulted: advises, without working with the family",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select their part"},
    )
    reason = _reason_field("Why are they joining?", required=False)

    def __init__(self, *args, candidates, reason_needed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].choices = [
            ("", "Select a practitioner"),
            *_people_choices(candidates),
        ]
        self.candidates = {str(p.pk): p for p in candidates}
        if reason_needed:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = (
                "Enter why the team needs to be bigger"
            )

    @property
    def chosen(self):
        return self.candidates[self.cleaned_data["practitioner"]]


class RecordContactForm(GovukForm):
    occurred_on = GovukDateField(label="Date")
    time = forms.TimeField(
        label="Time",
        help_text="For example, 14:30",
        input_formats=["%H:%M", "%H.%M", "%I:%M%p", "%I%p", "%H%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the time",
            "invalid": "Enter the time in the 24-hour clock, like 14:30",
        },
    )
    contact_type = forms.ChoiceField(
        label="Type of contact",
        choices=ContactType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of contact"},
    )
    practitioner = forms.ChoiceField(
        label="Practitioner",
        error_messages={"required": "Select the practitioner"},
    )
    attendance = forms.ChoiceField(
        label="Did it happen?",
        choices=Attendance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the contact happened"},
    )
    purpose = forms.ChoiceField(
        label="Purpose",
        choices=ContactPurpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the purpose"},
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes (optional)",
        required=False,
        min_value=1,
        max_value=600,
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}
        ),
        error_messages={
            "invalid": "Length must be a whole number of minutes",
            "min_value": "Length must be at least 1 minute",
            "max_value": "Length must be 600 minutes or fewer",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notes_restricted = forms.BooleanField(
        label="Restrict these notes to me and the lead practitioner",
        required=False,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practitioner"].choices = _people_choices(candidates)
        self.candidates = {str(p.pk): p for p in candidates}

    def clean_notes(self):
        return clean_text(self.cleaned_data["notes"])

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("occurred_on"), cleaned.get("time")
        if day and time:
            moment = timezone.make_aware(timezone.datetime.combine(day, time))
            if moment > timezone.now():
                self.add_error("occurred_on", "The contact must be in the past")
            cleaned["occurred_at"] = moment
        return cleaned

    def contact_details(self) -> dict:
        data = self.cleaned_data
        return {
            "occurred_at": data["occurred_at"],
            "contact_type": data["contact_type"],
            "practitioner": self.candidates[data["practitioner"]],
            "attendance": data["attendance"],
            "purpose": data["purpose"],
            "duration_minutes": data["duration_minutes"],
            "notes": data["notes"],
            "notes_restricted": data["notes_restricted"],
        }


class CloseEpisodeForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is support ending?",
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why support is ending"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_note(self):
        return clean_text(self.cleaned_data["note"])
