"""Recording a contact with the family: a visit, a call, a session."""

from django import forms
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.core.forms import GovukDateField, GovukForm, ObjectChoiceField, TextField
from onestory.support import queries, services
from onestory.support.forms.shared import person_and_organisation
from onestory.support.models import Attendance, ContactPurpose, ContactType

# Roles a restricted note can be opened to, beyond its author and the lead.
NOTE_ROLES = (Role.TEAM_MANAGER, Role.SPECIALIST, Role.TRIAGE_CHAIR)


def time_field() -> forms.TimeField:
    return forms.TimeField(
        label="Time",
        help_text="For example, 14:30",
        input_formats=["%H:%M", "%H.%M", "%I:%M%p", "%I%p", "%H%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the time",
            "invalid": "Enter the time in the 24-hour clock, like 14:30",
        },
    )


def contact_type_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Type of contact",
        choices=ContactType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of contact"},
    )


def practitioner_field() -> ObjectChoiceField:
    """Who the contact is with: offered the team around the family, the
    user first (`queries.allocation_candidates`)."""
    return ObjectChoiceField(
        label="Practitioner",
        describe=person_and_organisation,
        error_messages={"required": "Select the practitioner"},
    )


class RecordContactForm(GovukForm):
    occurred_on = GovukDateField(label="Date", kind="past")
    time = time_field()
    contact_type = contact_type_field()
    practitioner = practitioner_field()
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
    notes = TextField("Notes (optional)", required=False, max_length=20000, rows=5)
    notes_restricted = forms.BooleanField(
        label="Restrict these notes to me and the lead practitioner",
        required=False,
    )
    notes_roles = forms.MultipleChoiceField(
        label="Who else may read them (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (role.value, f"{role.label}s in the family's scope") for role in NOTE_ROLES
        ],
    )

    reveals = {"notes_restricted": {True: ("notes_roles",)}}

    def __init__(self, *args, episode, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode, self.by = episode, by
        self.fields["practitioner"].offer(queries.allocation_candidates(episode))
        self.fields["practitioner"].initial = str(by.pk)

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("occurred_on"), cleaned.get("time")
        if day and time:
            moment = timezone.make_aware(timezone.datetime.combine(day, time))
            if moment > timezone.now():
                self.add_error("occurred_on", "The contact must be in the past")
            cleaned["occurred_at"] = moment
        return cleaned

    def record_contact(self, data):
        details = (
            "occurred_at",
            "contact_type",
            "practitioner",
            "attendance",
            "purpose",
            "duration_minutes",
            "notes",
            "notes_restricted",
            "notes_roles",
        )
        return services.record_contact(
            episode=self.episode, by=self.by, **{name: data[name] for name in details}
        )


class ArrangeContactForm(GovukForm):
    """The next contact arranged with the family, which they see coming up."""

    starts_on = GovukDateField(label="Date", kind="plan")
    time = time_field()
    contact_type = contact_type_field()
    practitioner = practitioner_field()

    def __init__(self, *args, episode, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode, self.by = episode, by
        self.fields["practitioner"].offer(queries.allocation_candidates(episode))
        self.fields["practitioner"].initial = str(by.pk)

    def arrange(self, data):
        starts_at = timezone.make_aware(
            timezone.datetime.combine(data["starts_on"], data["time"])
        )
        return services.arrange_contact(
            episode=self.episode,
            starts_at=starts_at,
            contact_type=data["contact_type"],
            practitioner=data["practitioner"],
            by=self.by,
        )
