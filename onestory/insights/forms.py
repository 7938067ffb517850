from django import forms
from django.utils import timezone

from onestory.accounts.models import Hub, Organisation, Team
from onestory.core.forms import NOT_OFFERED, GovukForm, ObjectChoiceField, TextField
from onestory.insights import domain, learning_text, services
from onestory.insights.queries import GROUPS
from onestory.programmes.models import Programme
from onestory.support.models import Level

QUARTERS_OFFERED = 8


def period_choices(today) -> list[tuple[str, str]]:
    """The last full quarters, newest first, then the current quarter so far;
    each quarter's months come after it for the drill-down."""
    last = domain.last_full_quarter(today)
    quarters = domain.quarters_before(last, QUARTERS_OFFERED)[::-1]
    current = domain.quarter_of(today)
    choices = [(current.key, f"{current.label} (so far)")]
    choices += [
        (m.key, f"  {m.label}" + (" (so far)" if m.end > today else ""))
        for m in current.months()
        if m.start <= today
    ]
    for quarter in quarters:
        choices.append((quarter.key, quarter.label))
        choices += [(m.key, f"  {m.label}") for m in quarter.months()]
    return choices


def _choice(label):
    return ObjectChoiceField(
        label=label, required=False, error_messages={"invalid_choice": NOT_OFFERED}
    )


class ReportFilterForm(GovukForm):
    period = forms.ChoiceField(label="Period")
    hub = _choice("Hub")
    organisation = _choice("Organisation")
    team = _choice("Team")
    level = forms.ChoiceField(
        label="Level", required=False, choices=[("", "All levels"), *Level.choices]
    )
    programme = _choice("Programme")
    group = forms.ChoiceField(
        label="Families",
        required=False,
        choices=[("", "All families"), *GROUPS],
        help_text="Narrow every figure about families to one group, to compare.",
    )

    def __init__(self, data, *, local_authority, today=None):
        super().__init__(data)
        self.fields["period"].choices = period_choices(today or timezone.localdate())
        self.fields["period"].error_messages["invalid_choice"] = (
            "Select a period from the list"
        )
        area = {"organisation__local_authority": local_authority}
        self.fields["hub"].offer(
            Hub.objects.filter(**area).order_by("name"), nothing=("", "All hubs")
        )
        self.fields["team"].offer(
            Team.objects.filter(**area).order_by("name"), nothing=("", "All teams")
        )
        self.fields["organisation"].offer(
            Organisation.objects.filter(local_authority=local_authority).order_by(
                "name"
            ),
            nothing=("", "All"),
        )
        self.fields["programme"].offer(
            Programme.objects.filter(active=True).order_by("name"),
            nothing=("", "All programmes"),
        )


FIGURES = [
    ("R1", "R1 Families reached"),
    ("R2", "R2 People in the families reached"),
    ("R3", "R3 New requests for support"),
    ("R4", "R4 Open caseload"),
    ("R6", "R6 Staff with a current accreditation"),
    ("W1", "W1 Days from request to first contact"),
    ("W2", "W2 Days from request to the first intervention session"),
    ("W3", "W3 Hidden waits"),
    ("W4", "W4 Waiting for a first contact"),
    ("W5", "W5 Open episodes with no recent contact"),
    ("E1", "E1 Completed episodes"),
    ("E2", "E2 Ended before any intervention session"),
    ("E3", "E3 Ended after one intervention session"),
    ("E4", "E4 Why episodes ended"),
    ("E5", "E5 Did not attend"),
    ("O1", "O1 Paired scores"),
    ("O2", "O2 NHS Talking Therapies outcomes"),
    ("O3", "O3 ORS outcomes"),
    ("O4", "O4 MORS-SF change"),
    ("O5", "O5 SDQ change"),
    ("O6", "O6 Outcomes Star"),
    ("C1", "C1 Usual practitioner (UPC)"),
    ("C2", "C2 Continuity of care index (COCI)"),
    ("C3", "C3 Sequential continuity and handoffs"),
    ("C4", "C4 Different practitioners per episode"),
    ("C5", "C5 Lead kept at a change of level"),
    ("C6", "C6 Consultation, not transfer"),
    ("C7", "C7 Days without a lead"),
    ("C8", "C8 Lost at handoff"),
    ("C9", "C9 Assessments per episode"),
    ("T1", "T1 Triage"),
    ("P1", "P1 Peer support"),
    ("Supervision", "Supervision on time"),
    ("F1", "F1 Feedback from families"),
]


def _answer(label, what):
    return TextField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{label} must be 2,000 characters or fewer",
        },
    )


class LearningEntryForm(GovukForm):
    metric = forms.ChoiceField(
        label="Which figure is this about?",
        choices=[("", "Choose a figure"), *FIGURES],
        error_messages={"required": "Select the figure this is about"},
    )
    period = forms.ChoiceField(
        label="Which period?",
        error_messages={"required": "Select the period this is about"},
    )
    team = _choice("Team (optional)")
    question = _answer(
        "What did we want to understand?", "what you wanted to understand"
    )
    tried = _answer("What did we try?", "what you tried")
    noticed = _answer("What did we notice?", "what you noticed")
    next_steps = _answer("What will we try next?", "what you will try next")

    def __init__(
        self, data=None, *, local_authority, user=None, initial=None, today=None
    ):
        """For the area; `user` writes the entry. `initial` may name a metric
        by any of its figures' codes (the report links to a figure)."""
        if initial and "metric" in initial:
            initial = {**initial, "metric": domain.metric_of(initial["metric"])}
        super().__init__(data, initial=initial)
        self.user = user
        self.fields["period"].choices = [
            ("", "Choose a period"),
            *period_choices(today or timezone.localdate()),
        ]
        self.fields["team"].offer(
            Team.objects.filter(organisation__local_authority=local_authority).order_by(
                "name"
            ),
            nothing=("", "The whole service"),
        )
        self.local_authority = local_authority

    def record(self, data):
        """Add the entry (insights.services.record_learning), as the user."""
        answers = ("team", "question", "tried", "noticed", "next_steps")
        return services.record_learning(
            period=data["period"],
            metric_codes=[data["metric"]],
            by=self.user,
            **{name: data[name] for name in answers},
        )

    def clean(self):
        """Commissioners read the log: refuse text that identifies someone."""
        cleaned = super().clean()
        answers = {name: cleaned[name] for name in ANSWERS if cleaned.get(name)}
        for name, text in answers.items():
            if learning_text.holds_nhs_number(text):
                self.add_error(
                    name,
                    f"Remove the NHS number from {ANSWERS[name]}: "
                    "the learning log is read outside the team",
                )
            elif learning_text.holds_date(text):
                self.add_error(
                    name,
                    f"Remove the date from {ANSWERS[name]}: a date "
                    "could be a date of birth. Write the month or the "
                    "period instead, like April 2026",
                )
        people = people_named(answers.values(), self.local_authority)
        for name, text in answers.items():
            if name in self.errors:
                continue
            found = learning_text.names_in(text, people)
            if found:
                self.add_error(
                    name,
                    f"Remove the name {found[0]} from "
                    f"{ANSWERS[name]}: write 'a parent' or 'a family' "
                    "instead, as the learning log is read outside the team",
                )
        return cleaned


ANSWERS = {
    "question": "what you wanted to understand",
    "tried": "what you tried",
    "noticed": "what you noticed",
    "next_steps": "what you will try next",
}


def people_named(texts, local_authority) -> list[tuple[str, str]]:
    """The area's people whose given and family names both appear among the
    texts' words: one query, bounded by the words written (never every
    person)."""
    from django.db.models.functions import Lower

    from onestory.families.models import Person

    runs = set().union(*(learning_text.word_runs(text) for text in texts))
    if not runs:
        return []
    return list(
        Person.objects.filter(local_authority=local_authority)
        .annotate(given_lower=Lower("given_name"), family_lower=Lower("family_name"))
        .filter(given_lower__in=runs, family_lower__in=runs)
        .values_list("given_name", "family_name")
        .distinct()[:50]
    )
