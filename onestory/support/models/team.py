"""Who is involved in an episode: its lead and the team around the family."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.support.models.episodes import Episode


class InvolvementRole(models.TextChoices):
    LEAD = "lead", "Lead practitioner"
    CONTRIBUTOR = "contributor", "Contributor"
    CONSULTED = "consulted", "Consulted"


# Who holds a caseload, and so may be a family's lead practitioner. Peer support
# workers work alongside a lead; triage chairs, supervisors, commissioners,
# information governance leads and administrators hold no caseload (someone who
# does as well holds the practitioner role too). docs/continuity.md.
LEAD_ROLES = frozenset({Role.PRACTITIONER, Role.SPECIALIST, Role.TEAM_MANAGER})


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
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Why they joined (a transfer's reason, or why the team grew past its size).
    reason = models.CharField(max_length=1000, blank=True)
    beyond_team_size = models.BooleanField(default=False)
    end_reason = models.CharField(max_length=1000, blank=True)

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
