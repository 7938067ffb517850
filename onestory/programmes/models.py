"""The programme catalogue: what a family can be offered, how it is delivered,
who may deliver it, and when its outcomes are reviewed."""

import uuid

from django.db import models

from onestory.support.models import Level


class Delivery(models.TextChoices):
    ONE_TO_ONE = "one_to_one", "One to one"
    GROUP = "group", "Group course"
    DROP_IN = "drop_in", "Drop-in group"


class Programme(models.Model):
    """Managed by administrators; seeded with Plymouth's programmes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    delivery = models.CharField(max_length=12, choices=Delivery.choices)
    level = models.CharField(max_length=12, choices=Level.choices)
    # Only staff holding this accreditation now may deliver or facilitate it.
    required_course = models.ForeignKey(
        "workforce.TrainingCourse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programmes",
        limit_choices_to={"accredits": True},
    )
    # The review schedule: these measures at baseline, midpoint and end.
    instrument_codes = models.JSONField(default=list, blank=True)
    planned_weeks = models.PositiveSmallIntegerField(default=12)
    sessions_planned = models.PositiveSmallIntegerField(default=8)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
