import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class LearningEntryQuerySet(models.QuerySet):
    def in_area_of(self, user) -> "LearningEntryQuerySet":
        """The learning log of the user's local authority."""
        return self.filter(local_authority_id=user.organisation.local_authority_id)


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

    objects = LearningEntryQuerySet.as_manager()

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


class ReportVersion(models.Model):
    """How often data that a finished quarter's figures rest on has changed in
    a local authority: stored figures are current only while they carry this
    number (stored.py)."""

    local_authority = models.OneToOneField(
        "accounts.LocalAuthority",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.local_authority_id}: {self.version}"


class StoredReport(models.Model):
    """A settled quarter's or month's report for one local authority and one choice of
    filters, as computed: every count exact (suppression applies on reading),
    with the version of the area's data it was computed from."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=7)  # "2026-Q3" or "2026-08"
    filters = models.CharField(max_length=300)  # stored.filters_key
    version = models.PositiveBigIntegerField()
    figures = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "period", "filters"],
                name="one_stored_report_per_choice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.filters or 'whole area'} (v{self.version})"
