"""Episodes of support and who is involved. Issue 4 grows levels, requests,
consultations and triage here; the access scope already reads these tables."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Episode(models.Model):
    """A family's support from one team, open for as long as it is needed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="episodes"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="episodes"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(closed_at__isnull=True),
                name="one_open_episode_per_family",
            )
        ]
        indexes = [
            models.Index(
                fields=["team", "family"],
                condition=Q(closed_at__isnull=True),
                name="open_episode_by_team",
            )
        ]

    def __str__(self) -> str:
        return f"Episode with {self.team}"


class InvolvementRole(models.TextChoices):
    LEAD = "lead", "Lead practitioner"
    CONTRIBUTOR = "contributor", "Contributor"
    CONSULTED = "consulted", "Consulted"


class Involvement(models.Model):
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="involvements"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="involvements"
    )
    role = models.CharField(max_length=20, choices=InvolvementRole.choices)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode"],
                condition=Q(role="lead", ended_at__isnull=True),
                name="one_current_lead_per_episode",
            )
        ]
        indexes = [
            models.Index(
                fields=["practitioner", "episode"],
                condition=Q(ended_at__isnull=True),
                name="current_involvement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} ({self.get_role_display()})"
