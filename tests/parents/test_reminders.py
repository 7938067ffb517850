"""Review-point reminders: each adult who may fill a questionnaire in is told
one is due, by email or text message, with no clinical content, once."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from onestory.measures.models import Intervention, ReviewPoint
from onestory.notify.models import Message
from tests import factories


def _point(person, code, days, by):
    programme = factories.programme()
    enrolment = Intervention.objects.create(
        person=person,
        programme=programme,
        name=programme.name,
        started_on=timezone.localdate() - timedelta(weeks=6),
        planned_weeks=12,
        created_by=by,
    )
    return ReviewPoint.objects.create(
        intervention=enrolment,
        kind="midpoint",
        instrument_code=code,
        due_on=timezone.localdate() + timedelta(days=days),
    )


def _reminders():
    return Message.objects.filter(kind="review_reminder")


def test_each_adult_who_may_fill_it_in_is_reminded_once(city, lead, family_personas):
    robin = city.family.members.get(role="baby")
    mine = _point(family_personas.this_parent.person, "PHQ9", 1, lead)
    _point(robin, "GAD7", 2, lead)  # Alex is Robin's parent
    _point(family_personas.other_parent.person, "GAD7", 5, lead)  # not yet
    _point(family_personas.paused_parent.person, "PHQ9", 0, lead)  # paused
    call_command("review_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = list(_reminders().order_by("reference"))
    assert {m.to for m in sent} == {"alex@example.com"}
    assert len(sent) == 2
    reminder = next(
        m for m in sent if m.reference.startswith(f"review-reminder:{mine.pk}:")
    )
    assert set(reminder.personalisation) == {"link", "due_by", "area"}
    assert reminder.personalisation["link"].endswith("/your-family/questionnaires/")
    assert "PHQ" not in str(reminder.personalisation)
    call_command("review_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _reminders().count() == 2


def test_a_reminder_goes_by_text_message_to_an_adult_given_access_by_phone(
    lead, family_personas
):
    _point(
        family_personas.other_parent.person,
        "GAD7",
        0,
        lead,
    )
    call_command("review_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [reminder] = _reminders()
    assert (reminder.channel, reminder.to) == ("sms", "07700900111")


def test_a_questionnaire_done_with_a_practitioner_is_not_reminded(
    lead, family_personas
):
    from onestory.measures import instruments

    together = next(
        code for code in instruments.CODES if not instruments.get(code).self_completion
    )
    _point(
        family_personas.this_parent.person,
        together,
        1,
        lead,
    )
    call_command("review_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not _reminders().exists()
