"""Multi-agency triage meetings: scheduling one, and its decision for a family."""

from django import forms
from django.utils import timezone

from onestory.accounts.models import TRIAGE_ROLES, Organisation, User
from onestory.core.forms import (
    GovukDateField,
    GovukForm,
    ObjectChoiceField,
    ObjectsChoiceField,
    TextField,
)
from onestory.support import queries, services, triage
from onestory.support.forms.shared import (
    NOT_A_LEAD,
    ActionRowsForm,
    person_and_organisation,
)
from onestory.support.models import DecisionOutcome, Level, decision_choices


class ScheduleMeetingForm(GovukForm):
    held_on = GovukDateField(
        label="Date", kind="plan", help_text="For example, 3 12 2026"
    )
    time = forms.TimeField(
        label="Start time",
        help_text="For example, 09:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={
            "required": "Enter the start time",
            "invalid": "Enter the start time in the 24-hour clock, like 09:30",
        },
    )
    location = TextField(
        "Where",
        max_length=200,
        help_text="A room, or 'Video call'",
        message="Enter where the meeting is",
    )
    chair = ObjectChoiceField(
        label="Chair",
        describe=lambda person: person.full_name,
        error_messages={"required": "Select who will chair"},
    )
    organisations = ObjectsChoiceField(
        label="Organisations attending",
        widget=forms.CheckboxSelectMultiple,
        help_text="Your organisation attends. Select the others.",
        required=False,
    )
    attendees = TextField(
        "Who is attending (optional)", required=False, max_length=2000, rows=4
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.fields["chair"].offer(
            User.objects.in_organisation_of(by)
            .filter(role_grants__role__in=TRIAGE_ROLES)
            .distinct()
            .order_by("full_name"),
            nothing=("", "Select the chair"),
        )
        self.fields["chair"].initial = str(by.pk)
        self.fields["organisations"].offer(
            Organisation.objects.in_area_of(by)
            .exclude(pk=by.organisation_id)
            .order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("held_on"), cleaned.get("time")
        if day and time:
            cleaned["starts_at"] = timezone.make_aware(
                timezone.datetime.combine(day, time)
            )
        return cleaned

    def schedule_meeting(self, data):
        fields = ("starts_at", "location", "chair", "organisations", "attendees")
        return triage.schedule_meeting(
            by=self.by, **{name: data[name] for name in fields}
        )


NO_CONSULTATION = ""


class DecisionForm(ActionRowsForm):
    consent_checked = forms.BooleanField(
        label=(
            "We have checked the consent: only organisations the family has "
            "agreed to have heard about them"
        ),
        error_messages={
            "required": "Confirm that you have checked who may hear about this family"
        },
    )
    outcome = forms.ChoiceField(
        label="Decision",
        choices=decision_choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    level = forms.ChoiceField(
        label="Level of support", widget=forms.RadioSelect, required=False
    )
    lead = ObjectChoiceField(
        label="Lead practitioner",
        widget=forms.RadioSelect,
        required=False,
        describe=lambda person: (
            person_and_organisation(person)
            + (" (already knows the family)" if person.known else "")
            + f": {person.caseload} families led"
        ),
        help_text="Those who already know the family come first.",
        error_messages={"invalid_choice": NOT_A_LEAD},
    )
    lead_reason = TextField(
        "Why the lead is changing (if it is)", required=False, max_length=1000, rows=3
    )
    offer = TextField(
        "What is offered (optional)",
        required=False,
        max_length=500,
        help_text="For example, Video Interaction Guidance, or a place on Circle of "
        "Security Parenting",
    )
    specialist = ObjectChoiceField(
        label="Ask a specialist for a consultation (optional)",
        required=False,
        describe=person_and_organisation,
    )
    question = TextField(
        "Question for the specialist", required=False, max_length=1000, rows=3
    )
    signpost_to = TextField("Signposted to", required=False, max_length=500)
    summary = TextField(
        "What was discussed and decided, and why",
        max_length=5000,
        rows=5,
        message="Enter what was discussed and decided",
    )

    expected_lead = forms.UUIDField(widget=forms.HiddenInput)

    reveals = {
        "outcome": {
            DecisionOutcome.SUPPORT: (
                "level",
                "lead",
                "lead_reason",
                "offer",
                "specialist",
                "question",
            ),
            DecisionOutcome.SIGNPOST: ("signpost_to",),
        }
    }

    def __init__(self, *args, episode, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self.current_lead = lead = queries.lead_of(episode)
        current_level = services.current_level(episode)
        candidates = queries.allocation_candidates(episode, exclude=[lead])
        self.specialists = queries.specialists_for(episode)
        self.fields["expected_lead"].initial = lead.pk
        self.fields["level"].choices = [
            (value, f"{label} (stays the same)" if value == current_level else label)
            for value, label in Level.choices
        ]
        self.fields["level"].initial = current_level
        # Only those who hold a caseload are offered as leads; all may own actions.
        self.fields["lead"].offer(
            queries.lead_candidates(candidates),
            nothing=(str(lead.pk), f"Keep {person_and_organisation(lead)}"),
        )
        self.fields["lead"].initial = str(lead.pk)
        self.fields["specialist"].offer(
            self.specialists, nothing=(NO_CONSULTATION, "No consultation")
        )
        self.add_action_fields([lead, *candidates])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("expected_lead") not in (
            None,
            self.fields["expected_lead"].initial,
        ):
            raise forms.ValidationError(services.LeadChangedMeanwhile.message)
        self.clean_action_rows(cleaned)
        outcome = cleaned.get("outcome")
        if outcome == DecisionOutcome.SIGNPOST and not cleaned.get("signpost_to"):
            self.add_error("signpost_to", "Enter where the family is signposted to")
        if outcome == DecisionOutcome.SUPPORT:
            if not cleaned.get("level"):
                self.add_error("level", "Select the level of support")
            if self.new_lead is not None and not cleaned.get("lead_reason"):
                self.add_error("lead_reason", "Enter why the lead is changing")
            if cleaned.get("specialist") and not cleaned.get("question"):
                self.add_error("question", "Enter the question for the specialist")
        return cleaned

    @property
    def new_lead(self):
        return self.cleaned_data.get("lead")

    def decision(self) -> triage.Decision:
        data = self.cleaned_data
        support = data["outcome"] == DecisionOutcome.SUPPORT
        return triage.Decision(
            outcome=data["outcome"],
            summary=data["summary"],
            level=data["level"] if support else "",
            lead=self.new_lead if support else None,
            lead_reason=data["lead_reason"],
            offer=data["offer"] if support else "",
            specialist=data["specialist"] if support else None,
            question=data["question"],
            signpost_to=data["signpost_to"],
            actions=tuple(self.actions()),
            expected_lead_id=data["expected_lead"],
        )

    def record_decision(self, meeting, family, item):
        """Record the meeting's decision for the family on its agenda."""
        return triage.record_decision(
            meeting=meeting,
            family=family,
            decision=self.decision(),
            check=item.check,
            by=self.by,
        )
