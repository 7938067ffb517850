"""Asking a specialist for advice, and the specialist's answer."""

from django import forms
from django.utils import timezone

from onestory.core.forms import GovukDateField, GovukForm, ObjectChoiceField, TextField
from onestory.support import queries, services
from onestory.support.forms.shared import ActionRowsForm, person_and_organisation
from onestory.support.models import Urgency


class AskConsultationForm(GovukForm):
    specialist = ObjectChoiceField(
        label="Specialist",
        describe=person_and_organisation,
        error_messages={
            "required": "Select the specialist to ask",
            "invalid_choice": "Select a specialist from the list",
        },
    )
    question = TextField(
        "What would you like advice on?",
        max_length=5000,
        rows=5,
        message="Enter your question",
    )
    tried = TextField(
        "What have you tried so far? (optional)",
        required=False,
        max_length=5000,
        rows=4,
    )
    urgency = forms.ChoiceField(
        label="How soon do you need an answer?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how soon you need an answer"},
    )
    discuss_at_triage = forms.BooleanField(
        label="Also discuss this family at the next triage meeting",
        required=False,
    )

    def __init__(self, *args, specialists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].offer(
            specialists, nothing=("", "Select a specialist")
        )


class AnswerConsultationForm(ActionRowsForm):
    advice = TextField(
        "Your advice", max_length=10000, rows=6, message="Enter your advice"
    )
    review_on = GovukDateField(
        label="Review date", kind="plan", help_text="When to look at this again"
    )

    def __init__(self, *args, consultation, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation, self.by = consultation, by
        self.add_action_fields(queries.allocation_candidates(consultation.episode))

    def clean_review_on(self):
        value = self.cleaned_data["review_on"]
        if value < timezone.localdate():
            raise forms.ValidationError("Review date must be today or in the future")
        return value

    def clean(self):
        cleaned = super().clean()
        self.clean_action_rows(cleaned)
        return cleaned

    def answer(self, data):
        return services.answer_consultation(
            consultation=self.consultation,
            advice=data["advice"],
            review_on=data["review_on"],
            actions=self.actions(),
            by=self.by,
        )
