"""Questionnaire responses, review points and self-completion links.

Scores are computed by `onestory.measures.instruments` on the server and stored
with the raw answers and the instrument version; reports read stored scores and
never rescore silently.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone


class ReviewPointKind(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    MIDPOINT = "midpoint", "Midpoint"
    END = "end", "End"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "Under way"
    COMPLETED = "completed", "Completed"
    ENDED_EARLY = "ended_early", "Ended early"


class Intervention(models.Model):
    """A family member's enrolment in a one-to-one programme from the catalogue,
    delivered by an accredited practitioner, reviewed at baseline, midpoint and
    end. (Before the catalogue, interventions were named freely: each became a
    programme, kept inactive, when the catalogue came.)"""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "families.Person", on_delete=models.CASCADE, related_name="interventions"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="enrolments"
    )
    # The programme's name when the enrolment started.
    name = models.CharField(max_length=200)
    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_on = models.DateField()
    planned_weeks = models.PositiveSmallIntegerField()
    sessions_planned = models.PositiveSmallIntegerField(null=True, blank=True)
    sessions_attended = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    instrument_codes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.name


class ReviewPoint(models.Model):
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="review_points"
    )
    kind = models.CharField(max_length=10, choices=ReviewPointKind.choices)
    instrument_code = models.CharField(max_length=20)
    due_on = models.DateField()
    # At most one review point per response (the partial unique constraint
    # below), but no index on the NULLs: a unique index on this nullable column
    # told SQLite's planner, after ANALYZE, that "completed_by IS NULL" finds
    # about one row, and the caseload walked every outstanding review point of
    # the city through it. Outstanding points are found through
    # `outstanding_review_points` instead (docs/decisions/0011).
    completed_by = models.ForeignKey(
        "QuestionnaireResponse",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="review_points",
        db_index=False,
    )

    class Meta:
        ordering = ["due_on", "instrument_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "kind", "instrument_code"],
                name="one_review_point_per_kind_and_measure",
            ),
            models.UniqueConstraint(
                fields=["completed_by"],
                condition=Q(completed_by__isnull=False),
                name="one_review_point_per_response",
            ),
        ]
        indexes = [
            models.Index(
                fields=["intervention", "due_on"],
                condition=Q(completed_by__isnull=True),
                name="outstanding_review_points",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.instrument_name}"

    @property
    def instrument_name(self) -> str:
        """ "PHQ-9", as it is written, never the stored code "PHQ9"."""
        from onestory.measures import instruments

        return instruments.short_name(self.instrument_code)


class Mode(models.TextChoices):
    PRACTITIONER = "practitioner", "Entered by a practitioner"
    SELF_COMPLETION = "self_completion", "Completed by the parent online"


class QuestionnaireResponseQuerySet(models.QuerySet):
    # Both written as NOT EXISTS through the unique index on the one-to-one, not
    # as `superseded_by__isnull` / `risk_action__isnull` (a LEFT JOIN that
    # SQLite, after ANALYZE, ran as a scan of the whole table for every row):
    # docs/decisions/0011-absence-as-not-exists.md.
    def current(self):
        """Responses not replaced by an amendment."""
        replaced = QuestionnaireResponse.objects.filter(supersedes=OuterRef("pk"))
        return self.filter(~Exists(replaced))

    def with_open_risk(self):
        """Current responses with a positive risk answer and no action yet."""
        acted_on = RiskAction.objects.filter(response=OuterRef("pk"))
        return self.current().filter(has_risk=True).filter(~Exists(acted_on))


class QuestionnaireResponse(models.Model):
    """One completion of a measure by (or about) one person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "families.Person", on_delete=models.CASCADE, related_name="questionnaires"
    )
    instrument_code = models.CharField(max_length=20)
    instrument_version = models.PositiveSmallIntegerField()
    answers = models.JSONField()
    score = models.JSONField()
    # Copied out of `score` so that reports and lists can filter and sort in SQL.
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    status = models.CharField(max_length=12)
    has_risk = models.BooleanField(default=False)
    completed_on = models.DateField()
    mode = models.CharField(max_length=20, choices=Mode.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    amendment_reason = models.CharField(max_length=500, blank=True)

    objects = QuestionnaireResponseQuerySet.as_manager()

    class Meta:
        ordering = ["completed_on", "recorded_at"]
        indexes = [
            models.Index(fields=["person", "instrument_code", "completed_on"]),
            models.Index(
                fields=["person"],
                condition=Q(has_risk=True),
                name="questionnaires_with_risk",
            ),
        ]

    def __str__(self) -> str:
        day = self.completed_on
        return f"{self.instrument_name} on {day.day} {day:%B %Y}"

    @property
    def completed_online(self) -> bool:
        """The parent answered it themselves, through a link."""
        return self.mode == Mode.SELF_COMPLETION

    @property
    def instrument_name(self) -> str:
        """ "PHQ-9", as it is written, never the stored code "PHQ9"."""
        from onestory.measures import instruments

        return instruments.short_name(self.instrument_code)

    @property
    def instrument(self):
        from onestory.measures import instruments

        return instruments.get(self.instrument_code, self.instrument_version)

    @property
    def scored(self):
        from onestory.measures.instruments.scores import Score

        return Score.from_dict(self.score)


class RiskAction(models.Model):
    """What a practitioner did about a positive risk answer. Until then it shows."""

    response = models.OneToOneField(
        QuestionnaireResponse, on_delete=models.CASCADE, related_name="risk_action"
    )
    action_taken = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Action on {self.response}"


class SelfCompletionLink(models.Model):
    """A single-use, expiring link for a parent. Only a hash of the token is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(
        "families.Person", on_delete=models.CASCADE, related_name="+"
    )
    # The family's tenant: a parent opening the link is not signed in, so the
    # link says which local authority's records the page may touch.
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    instrument_code = models.CharField(max_length=20)
    review_point = models.ForeignKey(
        ReviewPoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A hint of the email address or mobile number (notify.domain.hint), for
    # the record: never the whole address.
    sent_to = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    response = models.OneToOneField(
        QuestionnaireResponse,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="self_completion_link",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        from onestory.measures import instruments

        return f"Link for {instruments.short_name(self.instrument_code)}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.used_at is None and now < self.expires_at


class LicensedText(models.Model):
    """Item and option text an organisation is licensed to show, loaded by an admin."""

    instrument_code = models.CharField(max_length=20)
    instrument_version = models.PositiveSmallIntegerField()
    payload = models.JSONField()
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name_plural = "licensed text"
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_code", "instrument_version"],
                name="one_licensed_text_per_instrument_version",
            )
        ]

    def __str__(self) -> str:
        from onestory.measures import instruments

        name = instruments.short_name(self.instrument_code)
        return f"Licensed text for {name} version {self.instrument_version}"
