"""The outbox: each message to a family member, from queued to its receipt
(docs/notify.md). Written only by notify/services.py."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from onestory.notify.domain import HINT_LENGTH, Channel


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Taken by GOV.UK Notify"
    DELIVERED = "delivered", "Delivered"
    NOT_DELIVERED = "not_delivered", "Not delivered"
    FAILED = "failed", "Not sent"


# The statuses after which the recipient and personalisation are gone.
FINISHED = (
    MessageStatus.SENT,
    MessageStatus.DELIVERED,
    MessageStatus.NOT_DELIVERED,
    MessageStatus.FAILED,
)


class Message(models.Model):
    """One email or text message. Its id is the reference Notify is given, so a
    worker that lost Notify's answer can ask Notify for it; `reference` is the
    caller's, and queuing the same reference again queues nothing new.

    The recipient and the personalisation (which may hold a sign-in link) are
    kept only until Notify has the message or it is given up; after that the
    row says what was sent, when and how it went, and to whom only as a hint."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=5, choices=[(c, c) for c in Channel])
    template_id = models.CharField(max_length=36)
    to = models.CharField(max_length=320, blank=True)
    to_hint = models.CharField(max_length=HINT_LENGTH)
    personalisation = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=13, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(default=0)
    # The claim of the worker sending it now: only that worker may settle it.
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Notify may have it already (an unknown answer, a worker that stopped
    # mid-send): the next try asks Notify before sending.
    unsure = models.BooleanField(default=False)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    notify_id = models.UUIDField(null=True, blank=True, unique=True)
    notify_status = models.CharField(max_length=40, blank=True)
    # The last failed try, as a status code and Notify's error name: never the
    # recipient (Notify's messages may quote what it refused).
    last_error = models.CharField(max_length=80, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="messages_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} to {self.to_hint}"


class MessageEvent(models.Model):
    """A message's history, one immutable row per change of status."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=13, choices=MessageStatus.choices)
    attempt = models.PositiveIntegerField(default=0)
    detail = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.status}"
