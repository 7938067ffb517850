import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class LearningEntry(models.Model):
    """One turn of a team's learning cycle (Human Learning Systems): what we
    asked, tried and noticed, and what we will try next; linked to the figures
    and the period it is about, and shown beside them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.CharField(max_length=7)  # "2026-Q3" or "2026-08"
    metric_codes = models.JSONField(default=list)
    question = models.TextField()
    tried = models.TextField()
    noticed = models.TextField()
    next_steps = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at"]
        verbose_name_plural = "learning entries"
        indexes = [
            models.Index(
                fields=["local_authority", "period"], name="learning_by_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.question[:60]}"


class AreaDeprivation(models.Model):
    """Reference data loaded by an administrator: a postcode's lower-layer super
    output area (LSOA) and its Index of Multiple Deprivation decile (1 = the most
    deprived tenth of areas in England). With it, figures break down by
    deprivation quintile."""

    postcode = models.CharField(max_length=8, unique=True)  # "PL1 2AA"
    lsoa_code = models.CharField(max_length=9)
    imd_decile = models.PositiveSmallIntegerField()
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(imd_decile__gte=1, imd_decile__lte=10),
                name="imd_decile_1_to_10",
            )
        ]

    def __str__(self) -> str:
        return f"{self.postcode}: decile {self.imd_decile}"
