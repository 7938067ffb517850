"""The real Notify backend against a stand-in for Notify on loopback that
answers 429, 500 and not at all: no message lost, none sent twice.

"Sent" is counted at the stand-in: the notifications it created, by reference.
Time moves on by the drain's own clock (`now`), to each message's next try,
so the backoff is the real one without the test waiting for it. What a real
wait guarantees, that a request the client gave up on has been dealt with at
Notify before the look-up minutes later, the test gives by waiting, before
each drain, until the stand-in has decided every request sent so far.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from onestory.notify import domain, services, tasks
from onestory.notify.backends import Outgoing
from onestory.notify.models import Message, MessageEvent, MessageStatus
from tests.notify.conftest import Counted

FAULTS = [
    "429",
    None,
    "500",
    "timeout after create",
    None,
    "500 after create",
    "timeout",
    "429",
    "429",
    None,
    "500",
    "timeout after create",
    "garbled",
]


def _queue_many(count: int):
    for number in range(count):
        kind, personalisation = (
            ("questionnaire_link", {"link": f"https://x/q/t{number}/", "hub": "North"})
            if number % 2
            else (
                "review_reminder",
                {"link": f"https://x/q/t{number}/", "due_by": "1 May"},
            )
        )
        services.queue_message(
            kind=kind,
            reference=f"fault-test:{number}",
            personalisation=personalisation,
            by=None,
            **(
                {"to_phone": f"07700 900{number:03d}"}
                if number % 3
                else {"to_email": f"parent{number}@example.org"}
            ),
        )


def _outgoing(message) -> Outgoing:
    return Outgoing(
        reference=str(message.pk),
        channel=message.channel,
        to=message.to,
        to_hint=message.to_hint,
        template_id=message.template_id,
        personalisation=message.personalisation,
        kind=message.kind,
    )


def _settled(standin):
    standin.wait_until_decided(Counted.sent_requests)


def _drain_until_done(make_backend, now, rounds=200, standin=None):
    for _ in range(rounds):
        if standin is not None:
            _settled(standin)
        tasks.drain(now=now, sender=make_backend())
        due = tasks.next_due()
        if due is None:
            return now
        now = max(now, due)
    raise AssertionError("the outbox did not empty")


def _drain_beside_another(make_backend, now, standin, rounds=400, patience=60):
    """As _drain_until_done, but never moving the clock past a claim the other
    worker holds: in real time a claim outlasts any send (CLAIM_LASTS is
    minutes, a send seconds), and a clock jumped past it would take back a
    send still under way. Waiting for the other worker's sends is not a round:
    it is bounded by `patience` seconds of real time, however loaded the
    machine."""
    deadline = time.monotonic() + patience
    while rounds and time.monotonic() < deadline:
        _settled(standin)
        tasks.drain(now=now, sender=make_backend())
        waiting = Message.objects.filter(status=MessageStatus.QUEUED)
        due = waiting.order_by("next_attempt_at").values_list(
            "next_attempt_at", flat=True
        )
        if due:
            now = max(now, due[0])
            rounds -= 1
        elif Message.objects.filter(status=MessageStatus.SENDING).exists():
            time.sleep(0.02)
        else:
            return
    raise AssertionError("the outbox did not empty")


def _exactly_once(standin):
    sent = standin.sent_per_reference()
    messages = {str(pk) for pk in Message.objects.values_list("pk", flat=True)}
    assert set(sent) == messages, "a message was lost"
    assert set(sent.values()) == {1}, "a message was sent twice"
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


@pytest.mark.django_db
def test_429s_500s_and_timeouts_lose_nothing_and_send_nothing_twice(
    standin, notify_backend
):
    standin.send_faults = FAULTS * 3
    standin.find_faults = ["500", None, "timeout", None, "429"]
    _queue_many(30)
    _drain_until_done(notify_backend, timezone.now(), standin=standin)

    _exactly_once(standin)
    assert len(standin.sent_per_reference()) == 30
    assert not standin.send_faults, "every fault was served"
    # The answers that lied were found at Notify, not sent again (and so was
    # any answer slower than the client's patience on a busy machine).
    found = MessageEvent.objects.filter(detail="found at Notify, not sent again")
    lied = ("timeout after create", "500 after create", "garbled")
    assert found.count() >= sum(FAULTS.count(fault) for fault in lied) * 3
    # What Notify has, the outbox has forgotten.
    assert not Message.objects.exclude(to="").exists()
    assert not Message.objects.exclude(personalisation={}).exists()


@pytest.mark.django_db
def test_a_worker_stopped_mid_send_is_not_sent_again(standin, notify_backend):
    _queue_many(2)
    now = timezone.now()
    claimed = services.claim_due(now=now, limit=10)
    sender = notify_backend()
    # The worker sends the first and is killed before it writes down the answer.
    sender.send(_outgoing(claimed[0]))
    # Nothing is sent while the claim lasts; then it is taken back and looked up.
    assert (
        tasks.drain(now=now + timedelta(minutes=1), sender=notify_backend()).sent == 0
    )
    drained = tasks.drain(now=now + domain.CLAIM_LASTS * 2, sender=notify_backend())
    assert (drained.found, drained.sent) == (1, 1)
    _exactly_once(standin)


@pytest.mark.django_db
def test_a_receipt_before_the_answer_is_written_down_stops_a_resend(
    standin, notify_backend
):
    _queue_many(1)
    now = timezone.now()
    [claimed] = services.claim_due(now=now, limit=10)
    # Sent, and the worker stops before writing down Notify's answer; the
    # receipt comes first.
    notify_backend().send(_outgoing(claimed))
    [created] = standin.created
    services.record_receipt(
        reference=created["reference"], notify_id=created["id"], status="delivered"
    )
    tasks.drain(now=now + domain.CLAIM_LASTS * 2, sender=notify_backend())
    claimed.refresh_from_db()
    assert claimed.status == MessageStatus.DELIVERED
    assert str(claimed.notify_id) == created["id"]
    assert standin.sent_per_reference() == {str(claimed.pk): 1}


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_at_once_send_each_message_once(standin, notify_backend):
    standin.send_faults = ["429", None, "500", "timeout after create", None] * 4
    _queue_many(40)
    start = timezone.now()
    failures = []

    def worker():
        try:
            _drain_beside_another(notify_backend, start, standin)
        except Exception as error:  # reported below, in the test's own thread
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    assert failures == []
    _exactly_once(standin)
    assert len(standin.sent_per_reference()) == 40
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db(transaction=True)
def test_the_worker_drains_the_outbox_and_asks_for_the_next_drain(standin, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from tests.notify.standin import API_KEY

    settings.NOTIFY_BACKEND = "notify"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = standin.base_url
    # No timeouts in this one: patience enough for a busy machine.
    settings.NOTIFY_TIMEOUT_SECONDS = 10
    standin.send_faults = ["500"]
    _queue_many(3)
    [queued] = DBTaskResult.objects.all()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == {"sent": 2, "found": 0, "failed": 0}
    unsure = Message.objects.get(status=MessageStatus.QUEUED)
    assert unsure.unsure
    [next_drain] = DBTaskResult.objects.filter(status="READY")
    assert next_drain.run_after == unsure.next_attempt_at
    assert len(standin.sent_per_reference()) == 2
