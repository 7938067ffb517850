"""A parent's or carer's access to their family's own view: the access a
practitioner gave (and may pause), the sign-in links sent for it, the family
sessions it has, and the changes to the story the family has suggested.

Each row names its local authority, for row-level security on PostgreSQL
(core/tenancy.py). A link's token and a session's key are stored only as
hashes (domain.hash_secret), and the address only beside the hash it is found
by."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from onestory.notify.domain import Channel


class FamilyAccess(models.Model):
    """One adult's access to their family's own view, by their own email
    address or mobile number, given by a practitioner once the family agreed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(
        "families.Person", on_delete=models.CASCADE, related_name="family_access"
    )
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="+"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=5, choices=[(c, c) for c in Channel])
    address = models.CharField(max_length=320)
    address_key = models.CharField(max_length=64, db_index=True)
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # For staff only: the adult is told only that their access is paused.
    pause_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name_plural = "family access"

    def __str__(self) -> str:
        return f"Family view access ({self.channel})"

    @property
    def paused(self) -> bool:
        return self.paused_at is not None


class SignInLink(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    access = models.ForeignKey(
        FamilyAccess, on_delete=models.CASCADE, related_name="links"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    # The channel and address it went to: a link works only for the access
    # it was sent for, by the way it was sent.
    channel = models.CharField(max_length=5, choices=[(c, c) for c in Channel])
    address_key = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    wrong_dates = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"Sign-in link ({self.channel})"


class FamilySession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    access = models.ForeignKey(
        FamilyAccess, on_delete=models.CASCADE, related_name="sessions"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "Family session"


class SuggestionKind(models.TextChoices):
    ADDITION = "addition", "Something to add"
    CORRECTION = "correction", "Something to correct"


class SuggestionStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for your practitioner"
    ACCEPTED = "accepted", "Added to your story"
    TALK_THROUGH = "talk_through", "Your practitioner will talk it through with you"


class StorySuggestion(models.Model):
    """A change to the family's story, in a parent's own words. The lead
    practitioner accepts it (it joins the story as that parent wrote it) or
    will talk it through with them; the family sees which."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family", on_delete=models.CASCADE, related_name="story_suggestions"
    )
    local_authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    suggested_by = models.ForeignKey(
        "families.Person", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=SuggestionKind.choices)
    text = models.TextField()
    suggested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=12,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.WAITING,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The story version it joined, when accepted.
    story_version = models.ForeignKey(
        "families.StoryVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-suggested_at"]
        indexes = [models.Index(fields=["family", "-suggested_at"])]

    def __str__(self) -> str:
        return f"Story suggestion ({self.get_status_display()})"
