"""Queuing a message, and what the drain does with each of Notify's answers
(against a scripted backend: the stand-in's tests are test_fault_injection.py)."""

import logging
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onestory.core.models import AuditAction, AuditEvent
from onestory.notify import domain, services, tasks
from onestory.notify.backends import ConsoleBackend, NoAnswer
from onestory.notify.models import Message, MessageStatus

pytestmark = pytest.mark.django_db

LINK = "https://onestory.example/q/secret-token/"


def queue(reference="q:1", **overrides):
    arguments = {
        "kind": "questionnaire_link",
        "reference": reference,
        "personalisation": {"link": LINK, "first_name": "Ada"},
        "to_phone": "07700 900123",
        "by": None,
    }
    return services.queue_message(**(arguments | overrides))


class Scripted:
    """A backend that answers from a script: a status code raises NoAnswer."""

    def __init__(self, *answers, found=None):
        self.answers = list(answers)
        self.found = found
        self.sent = []
        self.asked = []

    def send(self, message):
        answer = self.answers.pop(0) if self.answers else 201
        if answer != 201:
            raise NoAnswer(answer, "Scripted")
        self.sent.append(message.reference)
        return str(uuid.uuid5(uuid.NAMESPACE_URL, message.reference))

    def find(self, reference):
        self.asked.append(reference)
        return self.found


def test_a_queued_message_is_written_audited_and_a_drain_asked_for():
    message = queue()
    assert message.status == MessageStatus.QUEUED
    assert message.to == "07700900123"
    assert message.to_hint == "•••123"
    assert message.channel == "sms"
    event = AuditEvent.objects.get(action=AuditAction.QUEUE_MESSAGE)
    assert event.object_id == str(message.pk)
    assert event.detail == {"kind": "questionnaire_link", "channel": "sms"}
    assert (
        DBTaskResult.objects.filter(task_path=tasks.drain_messages.module_path).count()
        == 1
    )


def test_the_same_reference_queues_one_message_and_one_drain():
    first = queue()
    again = queue()
    queue("q:2")
    assert first.pk == again.pk
    assert Message.objects.count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.QUEUE_MESSAGE).count() == 2
    assert (
        DBTaskResult.objects.filter(task_path=tasks.drain_messages.module_path).count()
        == 1
    )


def test_the_template_comes_from_the_settings(settings):
    settings.NOTIFY_TEMPLATES = {
        **settings.NOTIFY_TEMPLATES,
        "questionnaire_link:email": "f33517ff-2a88-4f6e-b855-c550268ce08a",
    }
    message = queue(to_phone="", to_email="ada@example.org")
    assert message.template_id == "f33517ff-2a88-4f6e-b855-c550268ce08a"


def test_every_kind_and_channel_has_a_template_setting_in_env_example():
    listed = (Path(settings.BASE_DIR) / ".env.example").read_text()
    for kind in domain.KINDS.values():
        for channel in kind.channels:
            assert f"{kind.name}:{channel}" in settings.NOTIFY_TEMPLATES
            assert domain.template_setting(kind.name, channel) in listed


@pytest.mark.parametrize(
    "overrides",
    [
        {"personalisation": {"link": LINK, "score": "21"}},
        {"to_email": "ada@example.org"},  # and a phone: one or the other
        {"to_phone": ""},
        {"to_phone": "not a number"},
        {"kind": "lab_results"},
    ],
)
def test_a_message_the_rules_refuse_is_not_queued(overrides):
    with pytest.raises(domain.NotAllowed):
        queue(**overrides)
    assert not Message.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.QUEUE_MESSAGE).exists()


def test_sent_forgets_the_recipient_and_the_link():
    message = queue()
    drained = tasks.drain(sender=Scripted(201))
    message.refresh_from_db()
    assert drained.sent == 1
    assert message.status == MessageStatus.SENT
    assert message.to == ""
    assert message.personalisation == {}
    assert message.notify_id == uuid.uuid5(uuid.NAMESPACE_URL, str(message.pk))
    assert [e.status for e in message.events.all()] == ["queued", "sending", "sent"]


def test_a_429_pauses_every_send_and_counts_no_try_for_those_not_tried():
    first, second = queue("a"), queue("b")
    now = timezone.now()
    drained = tasks.drain(now=now, sender=Scripted(429))
    first.refresh_from_db()
    second.refresh_from_db()
    assert drained.paused_until is not None
    assert (first.status, first.attempts) == (MessageStatus.QUEUED, 1)
    assert (second.status, second.attempts) == (MessageStatus.QUEUED, 0)
    assert second.next_attempt_at == drained.paused_until
    assert not first.unsure


def test_an_unknown_answer_is_looked_up_before_sending_again():
    message = queue()
    now = timezone.now()
    tasks.drain(now=now, sender=Scripted(500))
    message.refresh_from_db()
    assert message.unsure
    assert message.next_attempt_at >= now + domain.UNKNOWN_WAIT
    later = Scripted(found="8b2c0c36-7a9a-4c4e-9a4f-6c1c1f6f0002")
    drained = tasks.drain(now=message.next_attempt_at, sender=later)
    message.refresh_from_db()
    assert later.asked == [str(message.pk)]
    assert later.sent == []
    assert drained.found == 1
    assert message.status == MessageStatus.SENT


def test_an_unknown_answer_not_found_at_notify_is_sent_again_once():
    message = queue()
    tasks.drain(sender=Scripted(None))
    message.refresh_from_db()
    later = Scripted(found=None)
    tasks.drain(now=message.next_attempt_at, sender=later)
    message.refresh_from_db()
    assert later.asked == later.sent == [str(message.pk)]
    assert message.status == MessageStatus.SENT
    assert not message.unsure


def test_a_refusal_gives_up_at_once_and_forgets():
    message = queue()
    drained = tasks.drain(sender=Scripted(400))
    message.refresh_from_db()
    assert drained.failed == 1
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "400 Scripted"
    assert message.to == ""
    assert message.personalisation == {}


def test_our_keys_problem_is_tried_again_not_given_up():
    message = queue()
    tasks.drain(sender=Scripted(403))
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert not message.unsure


def test_a_message_is_given_up_after_its_last_try():
    message = queue()
    now = timezone.now()
    for _ in range(domain.ATTEMPTS):
        tasks.drain(now=now, sender=Scripted(429))
        message.refresh_from_db()
        now = message.next_attempt_at
    assert message.status == MessageStatus.FAILED
    assert message.attempts == domain.ATTEMPTS


def test_a_sign_in_link_not_sent_within_15_minutes_is_not_sent():
    message = queue(
        kind="sign_in_link", personalisation={"link": LINK, "minutes": "15"}
    )
    backend = Scripted()
    tasks.drain(now=timezone.now() + timedelta(minutes=16), sender=backend)
    message.refresh_from_db()
    assert backend.sent == []
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "too late to help"


def test_a_claim_taken_back_cannot_be_settled_by_the_worker_that_lost_it():
    queue()
    now = timezone.now()
    [claimed] = services.claim_due(now=now, limit=10)
    assert services.take_back_abandoned(now=now + domain.CLAIM_LASTS * 2) == 1
    assert not services.accepted(claimed, notify_id=str(claimed.pk), now=now)
    claimed.refresh_from_db()
    assert claimed.status == MessageStatus.QUEUED
    assert claimed.unsure


def test_our_own_count_keeps_sends_under_the_minutes_limit(settings):
    settings.NOTIFY_PER_MINUTE = 3
    for number in range(5):
        queue(f"q:{number}")
    now = timezone.now().replace(second=1) + timedelta(minutes=1)
    drained = tasks.drain(now=now, sender=Scripted())
    assert drained.sent == 3
    assert drained.paused_until == now.replace(second=0, microsecond=0) + timedelta(
        minutes=1
    )
    assert tasks.drain(now=drained.paused_until, sender=Scripted()).sent == 2


def test_drains_that_find_nothing_to_send_spend_none_of_the_minutes_limit(settings):
    """A worker polling an empty outbox (or one whose messages another worker
    holds) must not use up the minute's sends before there is work."""
    settings.NOTIFY_PER_MINUTE = 60
    now = timezone.now().replace(second=1) + timedelta(minutes=1)
    for _ in range(10):
        assert tasks.drain(now=now, sender=Scripted()).sent == 0
    for number in range(5):
        queue(f"q:{number}")
    assert tasks.drain(now=now, sender=Scripted()).sent == 5


def test_the_drain_asks_for_the_next_when_more_is_due():
    message = queue()
    DBTaskResult.objects.all().delete()
    tasks.ask_for_drain(tasks.next_due())
    waiting = DBTaskResult.objects.get()
    assert (
        waiting.run_after <= message.next_attempt_at or waiting.run_after.year == 9999
    )
    tasks.ask_for_drain(timezone.now() + timedelta(minutes=5))
    assert DBTaskResult.objects.count() == 1


def test_the_console_shows_no_recipient_and_withholds_values(caplog, settings):
    settings.DEBUG = False
    message = queue()
    with caplog.at_level(logging.INFO, logger="onestory.notify"):
        tasks.drain(sender=ConsoleBackend())
    assert "07700900123" not in caplog.text
    assert "secret-token" not in caplog.text
    assert "•••123" in caplog.text
    assert "[withheld]" in caplog.text
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_the_console_prints_the_link_in_development_but_not_in_the_log(
    caplog, capsys, settings
):
    settings.DEBUG = True
    queue()
    with caplog.at_level(logging.INFO, logger="onestory.notify"):
        tasks.drain(sender=ConsoleBackend())
    printed = capsys.readouterr().out
    assert "secret-token" in printed
    assert "07700900123" not in printed
    assert "secret-token" not in caplog.text


def test_finished_messages_are_deleted_after_90_days():
    message = queue()
    tasks.drain(sender=Scripted(400))
    later = timezone.now() + services.KEPT_FOR + timedelta(days=1)
    queue("still waiting")
    assert services.delete_finished(now=timezone.now()) == 0
    assert services.delete_finished(now=later) >= 1
    assert not Message.objects.filter(pk=message.pk).exists()
    assert Message.objects.filter(reference="still waiting").exists()


def test_each_try_renews_its_claim_and_one_taken_back_is_not_ours():
    queue()
    now = timezone.now()
    [claimed] = services.claim_due(now=now, limit=1)
    assert services.renew_claim(claimed, now=now + timedelta(minutes=4))
    assert services.take_back_abandoned(now=now + timedelta(minutes=6)) == 0
    assert services.take_back_abandoned(now=now + timedelta(minutes=10)) == 1
    assert not services.renew_claim(claimed, now=now + timedelta(minutes=10))
