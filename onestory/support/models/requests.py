"""Requests for support and the history of their status."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from onestory.support.models.consultations import Urgency
from onestory.support.models.episodes import Level


class RequestSource(models.TextChoices):
    """Where a request for support came from (R3 reports new requests by source)."""

    SELF = "self", "The family themselves"
    HUB_TEAM = "hub_team", "The team already working with the family"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    MIDWIFE = "midwife", "Midwife"
    GP = "gp", "GP"
    TALKING_THERAPIES = "talking_therapies", "NHS Talking Therapies"
    SOCIAL_CARE = "social_care", "Children's social care"
    VOLUNTARY_PARTNER = "voluntary_partner", "Voluntary partner"
    OTHER = "other", "Other"


class RequestKind(models.TextChoices):
    STEP_UP = "step_up", "Step-up"
    REFERRAL = "referral", "Referral"
    SELF_REFERRAL = "self_referral", "Self-referral"


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    AWAITING_TRIAGE = "awaiting_triage", "Awaiting triage"
    DECIDED = "decided", "Decided at triage"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_REQUEST_STATUSES = (
    RequestStatus.NEW,
    RequestStatus.AWAITING_TRIAGE,
    RequestStatus.DECIDED,
)

# Where a request may go next. Deciding happens only at a triage meeting.
NEXT_STATUSES = {
    RequestStatus.NEW: (RequestStatus.AWAITING_TRIAGE, RequestStatus.WITHDRAWN),
    RequestStatus.AWAITING_TRIAGE: (RequestStatus.DECIDED, RequestStatus.WITHDRAWN),
    RequestStatus.DECIDED: (
        RequestStatus.ACCEPTED,
        RequestStatus.DECLINED,
        RequestStatus.WITHDRAWN,
    ),
}
STATUSES_NEEDING_A_REASON = (RequestStatus.DECLINED, RequestStatus.WITHDRAWN)


class SupportRequest(models.Model):
    """A step-up, referral or self-referral asking an organisation's triage for
    support. Its status history is immutable rows; `status` mirrors the latest."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="support_requests"
    )
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    source = models.CharField(max_length=30, choices=RequestSource.choices)
    requested_level = models.CharField(max_length=20, choices=Level.choices)
    reason = models.TextField()
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    received_on = models.DateField()
    to_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField(default=timezone.now)
    # A request to an organisation that does not hold the family's support rests
    # on the family's consent to that referral, or on a recorded override.
    consent = models.ForeignKey(
        "families.Consent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consent_override_reason = models.CharField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    decision = models.ForeignKey(
        "TriageDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )

    class Meta:
        ordering = ["-made_at"]
        indexes = [
            models.Index(
                fields=["to_organisation", "status", "made_at"],
                name="request_by_organisation",
            ),
            models.Index(fields=["family", "status"], name="request_by_family"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.get_requested_level_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class RequestStatusChange(models.Model):
    """One immutable step in a request's life."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(max_length=20, choices=RequestStatus.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return self.get_status_display()
