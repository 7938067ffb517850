"""A practitioner asks a specialist for advice, and the actions it agrees."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestory.support.models.episodes import Episode


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine: within 2 weeks"
    SOON = "soon", "Soon: within a week"
    URGENT = "urgent", "Urgent: within 2 working days"


class Consultation(models.Model):
    """A practitioner asks a specialist for advice; the family keeps its lead."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(
        Episode, on_delete=models.CASCADE, related_name="consultations"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations_received",
    )
    question = models.TextField()
    tried = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    asked_at = models.DateTimeField(default=timezone.now)
    advice = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # Flagged for the next triage meeting; cleared by the decision that discussed it.
    discuss_at_triage = models.BooleanField(default=False)
    discussed_at = models.ForeignKey(
        "TriageDecision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )

    class Meta:
        ordering = ["-asked_at"]
        indexes = [
            models.Index(
                fields=["specialist", "asked_at"],
                condition=Q(answered_at__isnull=True),
                name="consultations_awaiting_reply",
            )
        ]

    def __str__(self) -> str:
        return f"Consultation with {self.specialist}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None


class ConsultationAction(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.description
