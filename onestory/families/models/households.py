"""A household and the story it tells once."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from onestory.families.models.access import FamilyQuerySet


class Family(models.Model):
    """A household: the people who live together and the story they tell once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=8, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the retention period ran out and identifying details were removed.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # The tenant: that of the organisation that added the family. Never changes.
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "families"

    def __str__(self) -> str:
        return f"Family {self.pk}"


class StoryVersion(models.Model):
    """One version of the family's story, in their words. Never edited in place."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="story_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    written_at = models.DateTimeField(default=timezone.now)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_by_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            # Two saves from the same version cannot both win: no lost updates.
            models.UniqueConstraint(
                fields=["family", "number"], name="one_story_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"Story version {self.number}"
