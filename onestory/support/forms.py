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
    Urgency,
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


class AskConsultationForm(GovukForm):
    specialist = forms.ChoiceField(
        label="Specialist",
        error_messages={
            "required": "Select the specialist to ask",
            "invalid_choice": "Select a specialist from the list",
        },
    )
    question = forms.CharField(
        label="What would you like advice on?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter your question"},
    )
    tried = forms.CharField(
        label="What have you tried so far? (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    urgency = forms.ChoiceField(
        label="How soon do you need an answer?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how soon you need an answer"},
    )

    def __init__(self, *args, specialists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].choices = [
            ("", "Select a specialist"),
            *_people_choices(specialists),
        ]
        self.specialists = {str(p.pk): p for p in specialists}

    def clean_question(self):
        value = clean_text(self.cleaned_data["question"])
        if not value:
            raise forms.ValidationError("Enter your question")
        return value

    def clean_tried(self):
        return clean_text(self.cleaned_data["tried"])

    @property
    def chosen(self):
        return self.specialists[self.cleaned_data["specialist"]]


ACTION_ROWS = 3


class AnswerConsultationForm(GovukForm):
    advice = forms.CharField(
        label="Your advice",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your advice"},
    )
    review_on = GovukDateField(
        label="Review date", help_text="When to look at this again"
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {str(p.pk): p for p in owners}
        for row in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{row}"] = forms.CharField(
                label=f"What will be done (action {row})",
                required=False,
                max_length=500,
            )
            self.fields[f"owner_{row}"] = forms.ChoiceField(
                label=f"Who will do action {row}",
                required=False,
                choices=[("", "Select who"), *_people_choices(owners)],
            )
            self.fields[f"due_{row}"] = GovukDateField(
                label=f"Action {row} due by", required=False
            )

    def clean_advice(self):
        value = clean_text(self.cleaned_data["advice"])
        if not value:
            raise forms.ValidationError("Enter your advice")
        return value

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value < timezone.localdate():
            raise forms.ValidationError("Review date must be today or in the future")
        return value

    def clean(self):
        cleaned = super().clean()
        for row in range(1, ACTION_ROWS + 1):
            if cleaned.get(f"action_{row}"):
                if not cleaned.get(f"owner_{row}"):
                    self.add_error(f"owner_{row}", f"Select who will do action {row}")
                if not cleaned.get(f"due_{row}") and f"due_{row}" not in self.errors:
                    self.add_error(f"due_{row}", f"Enter when action {row} is due")
        return cleaned

    def action_fields(self):
        """(action, owner, due) bound fields for each row, for the template."""
        return [
            (row, self[f"action_{row}"], self[f"owner_{row}"], self[f"due_{row}"])
            for row in range(1, ACTION_ROWS + 1)
        ]

    def actions(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "description": data[f"action_{row}"],
                "owner": self.owners[data[f"owner_{row}"]],
                "due_on": data[f"due_{row}"],
            }
            for row in range(1, ACTION_ROWS + 1)
            if data.get(f"action_{row}")
        ]


class PlanForm(GovukForm):
    strengths = forms.CharField(
        label="Strengths",
        required=False,
        max_length=5000,
        help_text="What is going well, and what the family can build on.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    review_on = GovukDateField(label="Review the plan on", required=False)
    based_on = forms.IntegerField(widget=forms.HiddenInput)

    def clean_strengths(self):
        return clean_text(self.cleaned_data["strengths"])


class GoalForm(GovukForm):
    goal = forms.CharField(
        label="A goal, in the family's own words",
        max_length=500,
        help_text='For example, "I want to enjoy bath time with Noah"',
        error_messages={"required": "Enter the goal, in the family's words"},
    )

    def clean_goal(self):
        value = clean_text(self.cleaned_data["goal"])
        if not value:
            raise forms.ValidationError("Enter the goal, in the family's words")
        return value


class PlanActionForm(GovukForm):
    description = forms.CharField(
        label="Action",
        max_length=500,
        error_messages={"required": "Enter the action"},
    )
    owner = forms.CharField(
        label="Who will do it",
        max_length=200,
        help_text="A practitioner, a parent, or the family",
        error_messages={"required": "Enter who will do it"},
    )
    due_on = GovukDateField(label="Due by")

    def clean_description(self):
        return clean_text(self.cleaned_data["description"])

    def clean_owner(self):
        return clean_text(self.cleaned_data["owner"])
