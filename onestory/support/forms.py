from django import forms
from django.utils import timezone

from onestory.accounts.models import Organisation, Role
from onestory.core.forms import GovukDateField, GovukForm
from onestory.families.domain import clean_text
from onestory.support import triage
from onestory.support.models import (
    STATUSES_NEEDING_A_REASON,
    Attendance,
    ClosureReason,
    ContactPurpose,
    ContactType,
    DecisionOutcome,
    InvolvementRole,
    Level,
    RequestSource,
    RequestStatus,
    Urgency,
    decision_choices,
)

KEEP_LEAD = "keep"
# Roles a restricted note can be opened to, beyond its author and the lead.
NOTE_ROLES = (Role.TEAM_MANAGER, Role.SPECIALIST, Role.TRIAGE_CHAIR)
STALE_LEAD = (
    "Someone changed the lead practitioner while you were on this page, so nothing "
    "was saved. Check the team around the family and try again"
)


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


NOT_A_LEAD = (
    "Select someone who can be the lead practitioner: peer support workers, "
    "triage chairs and commissioners hold no caseload"
)

TEAM_NEEDS_A_REASON = "Enter why the team needs to be bigger"


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
        error_messages={
            "required": "Select who will be the lead practitioner",
            "invalid_choice": NOT_A_LEAD,
        },
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
        error_messages={
            "required": "Select the new lead practitioner",
            "invalid_choice": NOT_A_LEAD,
        },
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
        error_messages={
            "required": "Select a practitioner",
            "invalid_choice": "Select someone who may join the team around the "
            "family: staff who work with families, in the organisation holding its "
            "support or one the family has agreed to share its record with",
        },
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
            self.fields["reason"].error_messages["required"] = TEAM_NEEDS_A_REASON

    @property
    def chosen(self):
        return self.candidates[self.cleaned_data["practitioner"]]


class JoinTeamForm(_ReasonMixin, GovukForm):
    """A specialist joins the team around the family as a contributor."""

    reason = _reason_field("Why are you joining? (optional)", required=False)

    def __init__(self, *args, reason_needed, **kwargs):
        super().__init__(*args, **kwargs)
        if reason_needed:
            self.fields["reason"].required = True
            self.fields["reason"].label = "Why does the team need to be bigger?"
            self.fields["reason"].error_messages["required"] = TEAM_NEEDS_A_REASON


class RecordContactForm(GovukForm):
    occurred_on = GovukDateField(label="Date", kind="past")
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
    notes_roles = forms.MultipleChoiceField(
        label="Who else may read them (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (role.value, f"{role.label}s in the family's scope") for role in NOTE_ROLES
        ],
    )

    reveals = {"notes_restricted": {True: ("notes_roles",)}}

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
            "notes_roles": data["notes_roles"],
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
    discuss_at_triage = forms.BooleanField(
        label="Also discuss this family at the next triage meeting",
        required=False,
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


class ActionRows:
    """Up to three optional actions, each with an owner and a due date."""

    def add_action_fields(self, owners):
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
                label=f"Action {row} due by", kind="plan", required=False
            )

    def clean_action_rows(self, cleaned):
        for row in range(1, ACTION_ROWS + 1):
            if cleaned.get(f"action_{row}"):
                if not cleaned.get(f"owner_{row}"):
                    self.add_error(f"owner_{row}", f"Select who will do action {row}")
                if not cleaned.get(f"due_{row}") and f"due_{row}" not in self.errors:
                    self.add_error(f"due_{row}", f"Enter when action {row} is due")

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
                "description": clean_text(data[f"action_{row}"]),
                "owner": self.owners[data[f"owner_{row}"]],
                "due_on": data[f"due_{row}"],
            }
            for row in range(1, ACTION_ROWS + 1)
            if data.get(f"action_{row}")
        ]


class AnswerConsultationForm(ActionRows, GovukForm):
    advice = forms.CharField(
        label="Your advice",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter your advice"},
    )
    review_on = GovukDateField(
        label="Review date", kind="plan", help_text="When to look at this again"
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_action_fields(owners)

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
        self.clean_action_rows(cleaned)
        return cleaned


class PlanForm(GovukForm):
    strengths = forms.CharField(
        label="Strengths",
        required=False,
        max_length=5000,
        help_text="What is going well, and what the family can build on.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    review_on = GovukDateField(label="Review the plan on", kind="plan", required=False)
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
    due_on = GovukDateField(label="Due by", kind="plan")

    def clean_description(self):
        return clean_text(self.cleaned_data["description"])

    def clean_owner(self):
        return clean_text(self.cleaned_data["owner"])


def _text_field(label, *, required=False, max_length=1000, rows=3, message=None):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message} if message else {},
    )


class _CleanTextMixin:
    """Every free-text field is cleaned of control characters and edge spaces."""

    def clean(self):
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str) and isinstance(
                self.fields[name].widget, forms.Textarea
            ):
                cleaned[name] = clean_text(value)
        return cleaned


class MakeRequestForm(_CleanTextMixin, GovukForm):
    requested_level = forms.ChoiceField(
        label="What level of support is needed?",
        choices=Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the level of support needed"},
    )
    to_organisation = forms.ChoiceField(
        label="Which organisation's triage should consider it?",
        error_messages={"required": "Select the organisation"},
    )
    source = forms.ChoiceField(
        label="Who asked for this support?",
        choices=RequestSource.choices,
        error_messages={"required": "Select who asked for this support"},
    )
    received_on = GovukDateField(
        kind="past",
        label="Date the request was received",
        help_text="For example, 27 3 2026",
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how urgent it is"},
    )
    reason = _text_field(
        "What support is needed, and why?",
        required=True,
        max_length=5000,
        rows=5,
        message="Enter what support is needed, and why",
    )
    override_reason = _text_field(
        "Reason to make this referral without the family's consent (optional)"
    )

    def __init__(self, *args, user, episode, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.user, self.episode = user, episode
        organisations = Organisation.objects.in_area_of(user).order_by("name")
        holder = episode.team.organisation
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["to_organisation"].choices = [
            (str(o.pk), str(o)) for o in organisations
        ]
        self.fields["to_organisation"].initial = str(holder.pk)
        self.fields["override_reason"].help_text = (
            "Only if the family has not agreed to a referral to that organisation "
            "and it must be made anyway. Only triage chairs and team managers can "
            "override; the override is recorded in the audit trail."
        )

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date received must be today or earlier")
        return value

    def clean_reason(self):
        value = clean_text(self.cleaned_data["reason"])
        if not value:
            raise forms.ValidationError("Enter what support is needed, and why")
        return value

    @property
    def organisation(self):
        return self.organisations[self.cleaned_data["to_organisation"]]

    def make_request(self, data):
        """Send the request (support.triage.make_request), as the user."""
        fields = ("requested_level", "source", "urgency", "reason", "received_on")
        return triage.make_request(
            episode=self.episode,
            to_organisation=self.organisation,
            override_reason=data["override_reason"],
            by=self.user,
            **{name: data[name] for name in fields},
        )


class RequestStatusForm(_CleanTextMixin, GovukForm):
    status = forms.ChoiceField(
        label="What has happened?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select what has happened"},
    )
    reason = _text_field("Reason (needed to decline or withdraw)")
    expected = forms.CharField(widget=forms.HiddenInput)

    LABELS = {
        RequestStatus.AWAITING_TRIAGE: "Ready for the next triage meeting",
        RequestStatus.ACCEPTED: "The family accepted the support offered",
        RequestStatus.DECLINED: "Declined",
        RequestStatus.WITHDRAWN: "Withdrawn: the request is no longer needed",
    }

    def __init__(self, *args, allowed, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, self.LABELS[s]) for s in allowed]
        self.fields["expected"].initial = current

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") in STATUSES_NEEDING_A_REASON and not cleaned.get(
            "reason"
        ):
            self.add_error("reason", "Enter the reason")
        return cleaned


class ScheduleMeetingForm(_CleanTextMixin, GovukForm):
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
    location = forms.CharField(
        label="Where",
        max_length=200,
        help_text="A room, or 'Video call'",
        error_messages={"required": "Enter where the meeting is"},
    )
    chair = forms.ChoiceField(
        label="Chair", error_messages={"required": "Select who will chair"}
    )
    organisations = forms.MultipleChoiceField(
        label="Organisations attending",
        widget=forms.CheckboxSelectMultiple,
        help_text="Your organisation attends. Select the others.",
        required=False,
    )
    attendees = _text_field("Who is attending (optional)", max_length=2000, rows=4)

    def __init__(self, *args, chairs, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.chairs = {str(p.pk): p for p in chairs}
        self.fields["chair"].choices = [("", "Select the chair")] + [
            (str(p.pk), p.full_name) for p in chairs
        ]
        self.organisation_choices = {str(o.pk): o for o in organisations}
        self.fields["organisations"].choices = [
            (str(o.pk), str(o)) for o in organisations
        ]

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("held_on"), cleaned.get("time")
        if day and time:
            cleaned["starts_at"] = timezone.make_aware(
                timezone.datetime.combine(day, time)
            )
        return cleaned

    def meeting(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data["starts_at"],
            "location": data["location"].strip(),
            "chair": self.chairs[data["chair"]],
            "organisations": [
                self.organisation_choices[pk] for pk in data["organisations"]
            ],
            "attendees": data["attendees"],
        }


NO_CONSULTATION = ""


class DecisionForm(ActionRows, _CleanTextMixin, GovukForm):
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
    lead = forms.ChoiceField(
        label="Lead practitioner",
        widget=forms.RadioSelect,
        required=False,
        help_text="Those who already know the family come first.",
        error_messages={"invalid_choice": NOT_A_LEAD},
    )
    lead_reason = _text_field("Why the lead is changing (if it is)")
    offer = forms.CharField(
        label="What is offered (optional)",
        required=False,
        max_length=500,
        help_text="For example, Video Interaction Guidance, or a place on Circle of "
        "Security Parenting",
    )
    specialist = forms.ChoiceField(
        label="Ask a specialist for a consultation (optional)", required=False
    )
    question = _text_field("Question for the specialist")
    signpost_to = forms.CharField(label="Signposted to", required=False, max_length=500)
    summary = _text_field(
        "What was discussed and decided, and why",
        required=True,
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

    def __init__(self, *args, current_level, lead, candidates, specialists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_lead"].initial = lead.pk
        self.current_lead = lead
        self.fields["level"].choices = [
            (value, f"{label} (stays the same)" if value == current_level else label)
            for value, label in Level.choices
        ]
        self.fields["level"].initial = current_level
        # Only those who hold a caseload are offered as leads; all may own actions.
        leads = [p for p in candidates if p.can_lead]
        self.people = {str(p.pk): p for p in leads}
        self.fields["lead"].choices = [
            (str(lead.pk), f"Keep {lead.full_name}, {lead.organisation}")
        ] + [
            (
                str(p.pk),
                f"{p.full_name}, {p.organisation}"
                + (" (already knows the family)" if p.known else "")
                + f": {p.caseload} families led",
            )
            for p in leads
        ]
        self.fields["lead"].initial = str(lead.pk)
        self.specialists = {str(p.pk): p for p in specialists}
        self.fields["specialist"].choices = [
            (NO_CONSULTATION, "No consultation"),
            *_people_choices(specialists),
        ]
        self.add_action_fields([lead, *candidates])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("expected_lead") not in (
            None,
            self.fields["expected_lead"].initial,
        ):
            raise forms.ValidationError(STALE_LEAD)
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
        return self.people.get(self.cleaned_data.get("lead") or "")

    def decision(self):
        from onestory.support.triage import Decision

        data = self.cleaned_data
        support = data["outcome"] == DecisionOutcome.SUPPORT
        return Decision(
            outcome=data["outcome"],
            summary=data["summary"],
            level=data["level"] if support else "",
            lead=self.new_lead if support else None,
            lead_reason=data["lead_reason"],
            offer=data["offer"].strip() if support else "",
            specialist=self.specialists.get(data["specialist"]) if support else None,
            question=data["question"],
            signpost_to=data["signpost_to"].strip(),
            actions=tuple(self.actions()),
            expected_lead_id=data["expected_lead"],
        )
