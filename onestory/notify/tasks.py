"""The drain: the background worker sends what the outbox holds
(`python -m onestory db_worker`; docs/notify.md).

Each round takes back messages a stopped worker left mid-send, claims a
batch of due messages (marking them sending, under a claim, in a short
transaction: no lock is held while Notify is called), and tries each. A
message that may have reached Notify already (an unknown answer, a stopped
worker) is looked up by its reference before it is sent again: a message is
sent again only when Notify says it does not have it. A 429 pauses every
send; so does our own count of sends this minute, shared by all workers,
under Notify's 3,000 a minute per key.
"""

import contextlib
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from onestory.notify import domain, services
from onestory.notify.backends import NoAnswer, Outgoing, backend
from onestory.notify.domain import Answer
from onestory.notify.models import Message, MessageStatus

logger = logging.getLogger("onestory.notify")

BATCH = 50
_spread = random.SystemRandom()


@dataclass
class Drained:
    sent: int = 0
    found: int = 0
    retried: int = 0
    failed: int = 0
    paused_until: datetime | None = None
    errors: list[str] = field(default_factory=list)


@task
def drain_messages() -> dict:
    """Send what is due, then ask for the next drain when more will be due.
    Messages finished long enough ago are deleted on the way."""
    drained = drain()
    services.delete_finished(now=timezone.now())
    due = next_due()
    if due and drained.paused_until:
        due = max(due, drained.paused_until)
    ask_for_drain(due)
    return {"sent": drained.sent, "found": drained.found, "failed": drained.failed}


def drain(*, now=None, sender=None, rounds: int = 100) -> Drained:
    """Send every message due, in batches, until none is due or Notify (or our
    own count) says to wait. `now` fixes the drain's clock (the tests move
    time on by it); by default each step reads the real one."""
    clock = (lambda: now) if now else timezone.now
    sender = sender or backend()
    drained = Drained()
    services.take_back_abandoned(now=clock())
    for _ in range(rounds):
        at = clock()
        allowed = _take_from_budget(BATCH, at)
        if not allowed:
            drained.paused_until = _next_minute(at)
            break
        claimed = services.claim_due(now=at, limit=allowed)
        # What was taken from the budget and not claimed goes back to it: a
        # drain that finds little to send (or none) spends only what it sends.
        _give_back_to_budget(allowed - len(claimed), at)
        if not claimed:
            break
        for position, message in enumerate(claimed):
            at = clock()
            # The claim is renewed as each try starts, so a batch of slow
            # sends never outlives it; one taken back meanwhile is not ours.
            if not services.renew_claim(message, now=at):
                continue
            if _try(message, sender, at, drained) == Answer.SLOW_DOWN:
                _hand_back(claimed[position + 1 :], at, drained.paused_until or at)
                return drained
    return drained


def _hand_back(untried: list[Message], now: datetime, until: datetime) -> None:
    """Back to the queue untried (their try not counted) until `until`."""
    for message in untried:
        services.try_later(
            message,
            now=now,
            after=until - now,
            unsure=message.unsure,
            error="paused: Notify answered 429",
            attempt_counts=False,
        )


def _try(message: Message, sender, now: datetime, drained: Drained):
    """One try of one claimed message; Notify's answer."""
    outgoing = Outgoing(
        reference=str(message.pk),
        channel=message.channel,
        to=message.to,
        to_hint=message.to_hint,
        template_id=message.template_id,
        personalisation=message.personalisation,
        kind=message.kind,
    )
    try:
        if message.unsure:
            if notify_id := sender.find(outgoing.reference):
                services.accepted(message, notify_id=notify_id, now=now, found=True)
                drained.found += 1
                return Answer.ACCEPTED
            # Notify has not got it: sending it now sends it once.
            message.unsure = False
        if now - message.queued_at > domain.KINDS[message.kind].worth_sending_for:
            services.give_up(message, now=now, reason="too late to help")
            drained.failed += 1
            return Answer.REJECTED
        notify_id = sender.send(outgoing)
    except NoAnswer as error:
        return _not_taken(message, error, now, drained)
    services.accepted(message, notify_id=notify_id, now=now)
    drained.sent += 1
    return Answer.ACCEPTED


def _not_taken(message, error: NoAnswer, now, drained: Drained):
    """Notify did not take it (or did not say): again later, or never."""
    answer = domain.answer_to(error.status_code)
    said = f"{error.status_code or 'no answer'} {error.error}".strip()
    drained.errors.append(said)
    logger.warning(
        "Message %s to %s, try %s: %s",
        message.pk,
        message.to_hint,
        message.attempts,
        said,
    )
    # Still unsure if the question to Notify was what failed; unsure now if
    # the send got no clear answer.
    unsure = message.unsure or answer == Answer.UNKNOWN
    if domain.gives_up(message.attempts) or not (
        domain.tried_again(answer) or message.unsure
    ):
        services.give_up(message, now=now, reason=said)
        drained.failed += 1
        return answer
    wait = domain.wait_before(message.attempts, answer, spread=_spread.random())
    if answer == Answer.SLOW_DOWN:
        drained.paused_until = now + wait
    services.try_later(message, now=now, after=wait, unsure=unsure, error=said)
    drained.retried += 1
    return answer


def _take_from_budget(wanted: int, now: datetime) -> int:
    """Up to `wanted` of this minute's sends (every worker shares the count,
    in the shared cache); 0 when the minute's are spent."""
    key = f"notify:minute:{int(now.timestamp() // 60)}"
    cache.add(key, 0, timeout=120)
    used = cache.incr(key, wanted)
    return max(0, min(wanted, settings.NOTIFY_PER_MINUTE - (used - wanted)))


def _give_back_to_budget(unused: int, now: datetime) -> None:
    if unused > 0:
        # ValueError: the minute's count has expired, so there is nothing to give.
        with contextlib.suppress(ValueError):
            cache.decr(f"notify:minute:{int(now.timestamp() // 60)}", unused)


def _next_minute(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def next_due() -> datetime | None:
    """When the next drain has work: the soonest queued message, or the soonest
    claim of a stopped worker to take back."""
    queued = (
        Message.objects.filter(status=MessageStatus.QUEUED)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    sending = (
        Message.objects.filter(status=MessageStatus.SENDING)
        .order_by("claimed_at")
        .values_list("claimed_at", flat=True)
        .first()
    )
    if sending is not None:
        sending += domain.CLAIM_LASTS
    times = [t for t in (queued, sending) if t is not None]
    return min(times) if times else None


def ask_for_drain(when: datetime | None) -> None:
    """Queue a drain to start at `when`, unless one waiting will start by then."""
    if when is None:
        return
    from django_tasks_db.models import DBTaskResult, get_date_max

    with transaction.atomic():
        waiting = DBTaskResult.objects.filter(
            Q(run_after=get_date_max()) | Q(run_after__lte=when),
            task_path=drain_messages.module_path,
            status=TaskResultStatus.READY,
        )
        if waiting.exists():
            return
        if when <= timezone.now():
            drain_messages.enqueue()
        else:
            drain_messages.using(run_after=when).enqueue()
