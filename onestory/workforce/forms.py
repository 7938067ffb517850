from django import forms
from django.utils import timezone

from onestory.accounts.models import User
from onestory.core.forms import (
    NOT_OFFERED,
    GovukDateField,
    GovukForm,
    ObjectChoiceField,
    TextField,
)
from onestory.workforce import services
from onestory.workforce.models import SupervisionKind, TrainingCourse, TrainingStatus

CONFIDENCE = [
    ("1", "1 (not at all confident)"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 (very confident)"),
]


class TrainingRecordForm(GovukForm):
    course = ObjectChoiceField(
        label="Course",
        error_messages={"required": "Select the course", "invalid_choice": NOT_OFFERED},
    )
    status = forms.ChoiceField(
        label="Have you done it yet?",
        choices=[
            (TrainingStatus.COMPLETED, "Yes, completed"),
            (TrainingStatus.PLANNED, "No, it is planned"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the course is completed"},
    )
    completed_on = GovukDateField(label="Date completed", kind="past", required=False)
    planned_for = GovukDateField(label="Date planned", kind="plan", required=False)
    evidence_note = TextField(
        label="Evidence (optional)",
        help_text="For example the certificate number or who confirmed it.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, person, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.user = person, user
        self.fields["course"].offer(
            TrainingCourse.objects.filter(active=True),
            nothing=("", "Select a course"),
        )

    def record(self, data):
        """Record the training (workforce.services.record_training)."""
        return services.record_training(user=self.person, **data, by=self.user)

    def clean(self):
        cleaned = super().clean()
        status, today = cleaned.get("status"), timezone.localdate()
        if status == TrainingStatus.COMPLETED:
            done = cleaned.get("completed_on")
            if done is None and "completed_on" not in self.errors:
                self.add_error("completed_on", "Enter the date completed")
            elif done and done > today:
                self.add_error(
                    "completed_on", "Date completed must be today or in the past"
                )
        if status == TrainingStatus.PLANNED:
            planned = cleaned.get("planned_for")
            if planned is None and "planned_for" not in self.errors:
                self.add_error("planned_for", "Enter the date planned")
        return cleaned


class TrainingNeedForm(GovukForm):
    need = TextField(
        label="What would you like to learn or get better at?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what you would like to learn"},
    )
    confidence_before = forms.TypedChoiceField(
        label="How confident do you feel about it now?",
        choices=CONFIDENCE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how confident you feel now"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def record(self, data):
        """Record the need (workforce.services.record_need)."""
        return services.record_need(**data, by=self.user)


class MeetNeedForm(GovukForm):
    confidence_after = forms.TypedChoiceField(
        label="How confident do you feel about it now?",
        choices=CONFIDENCE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how confident you feel now"},
    )

    def __init__(self, *args, need, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.need, self.user = need, user

    def record(self, data):
        """Mark the need met (workforce.services.meet_need)."""
        return services.meet_need(need=self.need, **data, by=self.user)


class SupervisionForm(GovukForm):
    supervisee = ObjectChoiceField(
        label="Who did you supervise?",
        error_messages={
            "required": "Select who you supervised",
            "invalid_choice": "Select someone in your organisation",
        },
    )
    held_on = GovukDateField(label="Date of supervision", kind="past")
    kind = forms.ChoiceField(
        label="Type of supervision",
        choices=SupervisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of supervision"},
    )
    themes = TextField(
        label="Themes",
        help_text="What you talked about, in general terms. Do not name families.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agreed_actions = TextField(
        label="Agreed actions",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["supervisee"].offer(
            User.objects.in_organisation_of(user).exclude(pk=user.pk),
            nothing=("", "Select a member of staff"),
        )

    def record(self, data):
        """Record the supervision (workforce.services.record_supervision)."""
        return services.record_supervision(**data, by=self.user)

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on and held_on > timezone.localdate():
            raise forms.ValidationError(
                "Date of supervision must be today or in the past"
            )
        return held_on
