"""The family's one shared plan: goals and actions."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Plan(models.Model):
    """The family's one shared plan: their goals in their words, strengths, actions."""

    family = models.OneToOneField(
        "families.Family", on_delete=models.CASCADE, related_name="plan"
    )
    strengths = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    # Bumped on every change to the plan's own fields: a stale edit is refused.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Plan for {self.family}"


class PlanGoal(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=500)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.text


class PlanAction(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    # Who will do it, in words: a practitioner, a parent, "the family".
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    # Marked done by a parent or carer in the family's own view, with their note.
    done_by_person = models.ForeignKey(
        "families.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_note = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description
