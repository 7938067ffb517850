"""An episode of support and the history of its level."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Level(models.TextChoices):
    UNIVERSAL = "universal", "Universal"
    TARGETED = "targeted", "Targeted"
    SPECIALIST = "specialist", "Specialist"


class ClosureReason(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    MOVED_AWAY = "moved_away", "Moved away"
    DECLINED = "declined", "Declined further support"
    REFERRED_ELSEWHERE = "referred_elsewhere", "Referred elsewhere"
    NOT_SUITABLE = "not_suitable", "Not suitable"
    OTHER = "other", "Other"


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
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closure_reason = models.CharField(
        max_length=30, choices=ClosureReason.choices, blank=True
    )
    closure_note = models.CharField(max_length=500, blank=True)

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


class LevelChange(models.Model):
    """One immutable step in an episode's level history; the latest is current."""

    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="level_changes"
    )
    from_level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    to_level = models.CharField(max_length=20, choices=Level.choices)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=1000, blank=True)
    lead_kept = models.BooleanField(null=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["episode", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.from_level or 'opened'} to {self.to_level}"
