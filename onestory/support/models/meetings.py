"""Multi-agency triage meetings, what they decide and the actions agreed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from onestory.support.models.episodes import Level
from onestory.support.models.requests import RequestStatus


class TriageMeeting(models.Model):
    """A multi-agency triage meeting hosted by one organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attending_organisations = models.ManyToManyField(
        "accounts.Organisation", related_name="+"
    )
    # Who came, in words, by organisation: "Health visiting: Jo Bloggs".
    attendees = models.TextField(blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [
            models.Index(
                fields=["organisation", "-starts_at"], name="meeting_by_organisation"
            )
        ]

    def __str__(self) -> str:
        day = timezone.localtime(self.starts_at)
        return f"Triage meeting on {day.day} {day:%B %Y}"


class DecisionOutcome(models.TextChoices):
    SUPPORT = "support", "Support from us"
    SIGNPOST = "signpost", "Signpost to another service"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


# A decision not to support the family declines its request, so wherever a
# decision is shown it says "Declined", the request's own word, and why. The
# one place these words are defined (the model's choices keep their first
# labels: changing them would need a migration).
DECLINED_BECAUSE: dict[str, str] = {
    DecisionOutcome.SIGNPOST: "signposted to another service",
    DecisionOutcome.NO_FURTHER_ACTION: "no further action",
}


def decision_label(outcome: str) -> str:
    """ "Support from us", "Declined: no further action"."""
    if outcome in DECLINED_BECAUSE:
        return f"{RequestStatus.DECLINED.label}: {DECLINED_BECAUSE[outcome]}"
    return DecisionOutcome(outcome).label


def declined_reason(outcome: str, summary: str) -> str:
    """Why a decision declined a request: "No further action: ..."."""
    return f"{DECLINED_BECAUSE[outcome].capitalize()}: {summary}"


def decision_choices() -> list[tuple[str, str]]:
    return [(value, decision_label(value)) for value in DecisionOutcome.values]


class TriageDecision(models.Model):
    """What a triage meeting decided for one family. Its effects (level, lead,
    consultation) are made through the same services as everywhere else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        TriageMeeting, on_delete=models.PROTECT, related_name="decisions"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="triage_decisions"
    )
    outcome = models.CharField(max_length=20, choices=DecisionOutcome.choices)
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_changed = models.BooleanField(default=False)
    offer = models.CharField(max_length=500, blank=True)
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signpost_to = models.CharField(max_length=500, blank=True)
    summary = models.TextField()
    # The consent check, as it stood: organisations present that may, and may
    # not, hear about this family (names, for the printed record).
    shared_with = models.JSONField(default=list)
    withheld_from = models.JSONField(default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "family"], name="one_decision_per_family_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return self.outcome_label

    @property
    def outcome_label(self) -> str:
        return decision_label(self.outcome)


class TriageAction(models.Model):
    decision = models.ForeignKey(
        TriageDecision, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description
