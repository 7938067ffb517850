"""Training that decides who may deliver what, training needs, and supervision.

Staff data, not family data: it is read by the member of staff, their managers
and (for supervision) their supervisor, never by the families' other workers.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TrainingCourse(models.Model):
    """A course in the training catalogue, managed by administrators."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    # Completing it is an accreditation: programmes can require it.
    accredits = models.BooleanField(default=False)
    # Months until it must be renewed; empty when it never expires.
    renewal_months = models.PositiveSmallIntegerField(null=True, blank=True)
    # Completing it makes someone a perinatal mental health champion.
    makes_champion = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"


class TrainingRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training"
    )
    course = models.ForeignKey(
        TrainingCourse, on_delete=models.PROTECT, related_name="records"
    )
    status = models.CharField(max_length=10, choices=TrainingStatus.choices)
    planned_for = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    evidence_note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Completed training counts towards who may deliver only once a team
    # manager has confirmed it (recording it for someone else confirms it).
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "-planned_for"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(completed_on__isnull=False),
                name="completed_training_has_a_date",
            )
        ]
        indexes = [models.Index(fields=["user", "course"], name="training_by_user")]

    def __str__(self) -> str:
        return f"{self.course} ({self.get_status_display().lower()})"


class SupervisedPractice(models.Model):
    """An administrator's exception: someone may deliver what a course would
    accredit them for while they train, under supervision, until a date."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervised_practice",
    )
    course = models.ForeignKey(
        TrainingCourse, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    until = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-until"]
        verbose_name_plural = "supervised practice"

    def __str__(self) -> str:
        return f"Supervised practice: {self.course} until {self.until}"


class TrainingNeed(models.Model):
    """What someone wants to learn, and how confident they feel before and after."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="needs"
    )
    need = models.CharField(max_length=500)
    confidence_before = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    confidence_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    met_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["met_at", "-recorded_at"]

    def __str__(self) -> str:
        return self.need


class SupervisionKind(models.TextChoices):
    REFLECTIVE = "reflective", "Reflective"
    RESTORATIVE = "restorative", "Restorative"
    CASE = "case", "Case supervision"
    CLINICAL = "clinical", "Clinical supervision"


class Supervision(models.Model):
    """One supervision session. Private to the supervisee, the supervisor and the
    supervisee's team managers (workforce.queries.supervision_visible_to)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    supervisee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervision_received",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField()
    kind = models.CharField(max_length=12, choices=SupervisionKind.choices)
    themes = models.TextField(blank=True)
    agreed_actions = models.TextField(blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on"]
        indexes = [
            models.Index(
                fields=["supervisee", "-held_on"], name="supervision_by_supervisee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} supervision on {self.held_on}"
