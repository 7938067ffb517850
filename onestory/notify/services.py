"""The only writes to the outbox (docs/notify.md).

`queue_message` is what the rest of onestory calls, inside its own
transaction: the message is queued with the change that asked for it, or not
at all. The rest is the drain's (notify/tasks.py) and the receipts' callback
(notify/views.py): claiming due messages, settling each try, recording a
receipt. Every settle names the claim it belongs to, so a worker whose claim
was taken back can never overwrite what a later one did.
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.notify import domain
from onestory.notify.domain import Channel
from onestory.notify.models import Message, MessageEvent, MessageStatus

FINISHED_FOR_GOOD = (
    MessageStatus.DELIVERED,
    MessageStatus.NOT_DELIVERED,
    MessageStatus.FAILED,
)

# What is cleared once a message needs no sending any more.
FORGOTTEN = {"to": "", "personalisation": {}}


def queue_message(
    *,
    kind: str,
    reference: str,
    personalisation: dict,
    by,
    to_email: str = "",
    to_phone: str = "",
    family=None,
    person=None,
) -> Message:
    """Queue one message to one person, in the caller's transaction, audited.

    `reference` is the caller's name for this message, unique to it (such as
    "sign-in:<link id>"): the same reference queued again is the same message,
    queued once. It is never sent anywhere. Raises domain.NotAllowed for a
    message the rules refuse (a kind's personalisation is an allow-list)."""
    if bool(to_email) == bool(to_phone):
        raise domain.NotAllowed("Give an email address or a phone number.")
    channel = Channel.EMAIL if to_email else Channel.SMS
    to = domain.email_address(to_email) if to_email else domain.phone_number(to_phone)
    domain.check_message(kind, channel, personalisation)
    with transaction.atomic():
        existing = Message.objects.filter(reference=reference).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    reference=reference,
                    kind=kind,
                    channel=channel,
                    template_id=settings.NOTIFY_TEMPLATES.get(f"{kind}:{channel}", ""),
                    to=to,
                    to_hint=domain.hint(channel, to),
                    personalisation=personalisation,
                    # Staff are named; a family member (or no one) is not.
                    queued_by=by if isinstance(by, get_user_model()) else None,
                )
        except IntegrityError:
            # Queued meanwhile by another transaction with the same reference.
            return Message.objects.get(reference=reference)
        _event(message, MessageStatus.QUEUED)
        audit.record(
            action=AuditAction.QUEUE_MESSAGE,
            by=by,
            family=family,
            person=person,
            obj=message,
            detail={"kind": kind, "channel": channel},
        )
        from onestory.notify.tasks import ask_for_drain

        ask_for_drain(message.next_attempt_at)
    return message


def claim_due(*, now: datetime, limit: int) -> list[Message]:
    """Claim up to `limit` messages due by `now` for this worker, in a short
    transaction of its own: each is marked sending, under a new claim, before
    any of it is sent. Two workers never claim one message (on PostgreSQL the
    rows are locked and skipped by the other; on SQLite writers take turns,
    and the update re-checks the status anyway)."""
    claim = uuid.uuid4()
    with transaction.atomic():
        due = Message.objects.filter(
            status=MessageStatus.QUEUED, next_attempt_at__lte=now
        ).order_by("next_attempt_at")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        Message.objects.filter(pk__in=ids, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING,
            claim=claim,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
        claimed = list(Message.objects.filter(claim=claim).order_by("next_attempt_at"))
        MessageEvent.objects.bulk_create(
            MessageEvent(
                message=m, status=MessageStatus.SENDING, attempt=m.attempts, at=now
            )
            for m in claimed
        )
    return claimed


def renew_claim(message: Message, *, now: datetime) -> bool:
    """Restart the claim's time as a try begins; False if it is not this
    worker's any more (taken back from a worker thought stopped)."""
    with transaction.atomic():
        renewed = Message.objects.filter(
            pk=message.pk, claim=message.claim, status=MessageStatus.SENDING
        ).update(claimed_at=now)
    return bool(renewed)


def take_back_abandoned(*, now: datetime) -> int:
    """Messages whose worker stopped mid-send go back to the queue, unsure:
    the send may have reached Notify, so the next try asks first."""
    with transaction.atomic():
        abandoned = list(
            Message.objects.filter(
                status=MessageStatus.SENDING,
                claimed_at__lt=now - domain.CLAIM_LASTS,
            ).values_list("pk", "claim")
        )
        for pk, claim in abandoned:
            _settle(
                pk,
                claim,
                now,
                MessageStatus.QUEUED,
                "taken back from a stopped worker",
                unsure=True,
                next_attempt_at=now,
            )
    return len(abandoned)


def accepted(message: Message, *, notify_id: str, now: datetime, found=False) -> bool:
    """Notify has it: the recipient and personalisation are forgotten."""
    return _settle(
        message.pk,
        message.claim,
        now,
        MessageStatus.SENT,
        "found at Notify, not sent again" if found else "",
        notify_id=notify_id,
        sent_at=now,
        unsure=False,
        **FORGOTTEN,
    )


def try_later(
    message: Message,
    *,
    now: datetime,
    after,
    unsure: bool,
    error: str,
    attempt_counts: bool = True,
) -> bool:
    """Back to the queue until `now + after`. `attempt_counts` False for a
    message handed back untried (the drain paused for a 429)."""
    return _settle(
        message.pk,
        message.claim,
        now,
        MessageStatus.QUEUED,
        error,
        next_attempt_at=now + after,
        unsure=unsure,
        last_error=error[:80],
        **({} if attempt_counts else {"attempts": F("attempts") - 1}),
    )


def give_up(message: Message, *, now: datetime, reason: str) -> bool:
    """Never to be sent: refused by Notify, too many tries, or too late to help."""
    return _settle(
        message.pk,
        message.claim,
        now,
        MessageStatus.FAILED,
        reason,
        finished_at=now,
        last_error=reason[:80],
        **FORGOTTEN,
    )


def _settle(pk, claim, now, status, detail, **fields) -> bool:
    """Change a message being sent under `claim`; False (and nothing written)
    if the claim is no longer its own."""
    with transaction.atomic():
        changed = Message.objects.filter(
            pk=pk, claim=claim, status=MessageStatus.SENDING
        ).update(status=status, **fields)
        if changed:
            attempt = Message.objects.values_list("attempts", flat=True).get(pk=pk)
            MessageEvent.objects.create(
                message_id=pk, status=status, attempt=attempt, at=now, detail=detail
            )
    return bool(changed)


class UnknownMessage(LookupError):
    """A receipt for a message not in the outbox."""


def record_receipt(*, reference: str, notify_id: str, status: str) -> Message:
    """Notify's delivery receipt: delivered, or not (its final statuses); any
    other status is noted and changes nothing else. A receipt may come before
    the worker recorded Notify's answer (it stopped in between): the message is
    found by our reference and takes Notify's id from the receipt. A receipt
    sent again changes nothing."""
    with transaction.atomic():
        by_reference, by_id = _uuid(reference), _uuid(notify_id)
        found = Q(pk=by_reference) if by_reference else Q()
        if by_id:
            found = found | Q(notify_id=by_id) if found else Q(notify_id=by_id)
        message = (
            Message.objects.select_for_update().filter(found).first() if found else None
        )
        if message is None:
            raise UnknownMessage(reference or notify_id)
        if message.status in (MessageStatus.DELIVERED, MessageStatus.NOT_DELIVERED):
            return message
        message.notify_status = status[:40]
        fields = ["notify_status"]
        if domain.receipt_final(status):
            message.status = (
                MessageStatus.DELIVERED
                if status == domain.DELIVERED
                else MessageStatus.NOT_DELIVERED
            )
            message.notify_id = message.notify_id or by_id
            message.finished_at = timezone.now()
            message.claim = None
            message.to, message.personalisation = "", {}
            fields += ["status", "notify_id", "finished_at", "claim", *FORGOTTEN]
            _event(message, message.status, status)
        message.save(update_fields=fields)
    return message


def _uuid(text: str):
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return None


def _event(message: Message, status, detail: str = "") -> None:
    MessageEvent.objects.create(
        message=message, status=status, attempt=message.attempts, detail=detail
    )


# Finished messages are kept this long (their events with them), for "was it
# delivered?" and the service's own figures, then deleted.
KEPT_FOR = timedelta(days=90)


def delete_finished(*, now: datetime) -> int:
    """Delete messages finished more than KEPT_FOR ago; how many went."""
    with transaction.atomic():
        deleted, _ = Message.objects.filter(
            status__in=FINISHED_FOR_GOOD, finished_at__lt=now - KEPT_FOR
        ).delete()
    return deleted
