"""A register is taken only from its session's day; a course that has already
run can be entered afterwards, marked as entered later (issue 13)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.programmes import domain, services
from onestory.programmes.models import Attendance, Course, CourseSession
from tests import factories
from tests.programmes.test_courses import _people


def _run(cos, hub, facilitator, first_session_at, **extra):
    with transaction.atomic():
        return services.run_course(
            programme=cos,
            hub=hub,
            title="Later",
            facilitators=[facilitator],
            first_session_at=first_session_at,
            sessions=4,
            venue="Hub hall",
            capacity=4,
            by=facilitator,
            **extra,
        )


def test_the_rules_are_by_day():
    today = timezone.localdate()
    assert domain.register_is_open(today, today)
    assert domain.register_is_open(today - timedelta(days=1), today)
    assert not domain.register_is_open(today + timedelta(days=1), today)
    assert domain.entered_later(today - timedelta(days=1), today)
    assert not domain.entered_later(today, today)


def test_a_register_is_refused_before_its_session_day(city, cos, hub, facilitator):
    course = _run(cos, hub, facilitator, timezone.now() + timedelta(days=1))
    (person,) = _people(city, 1)
    place = services.book_place(course=course, person=person, by=facilitator)
    session = course.sessions.first()
    with pytest.raises(services.SessionNotYet, match="register can be taken from"):
        services.take_register(
            session=session, marks={place.pk: "attended"}, by=facilitator
        )
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action="take_register").exists()
    with time_machine.travel(session.starts_at + timedelta(hours=1)):
        services.take_register(
            session=session, marks={place.pk: "attended"}, by=facilitator
        )
    assert Attendance.objects.get().mark == "attended"


def test_a_head_count_is_refused_before_its_session_day(city, hub, db):
    peer = factories.course("Peer support worker training")
    group = factories.programme(
        "Perinatal peer support group", required=peer, delivery="drop_in"
    )
    worker = factories.staff("Pia Peer", city.council, "peer_support_worker")
    factories.accredit(worker, peer)
    course = _run(
        group,
        hub,
        worker,
        timezone.now() + timedelta(days=7),
        anonymous_head_count=True,
    )
    session = course.sessions.first()
    with pytest.raises(services.SessionNotYet):
        services.record_head_count(session=session, count=9, by=worker)
    session.refresh_from_db()
    assert session.head_count is None


def test_the_pages_offer_a_register_only_from_the_session_day(
    city,
    client,
    cos,
    hub,
    facilitator,
):
    course = _run(cos, hub, facilitator, timezone.now() + timedelta(days=2))
    (person,) = _people(city, 1)
    place = services.book_place(course=course, person=person, by=facilitator)
    client.force_login(facilitator)
    page = client.get(reverse("programmes:show_course", args=[course.pk])).text
    assert "Take register" not in page
    assert "Register from" in page
    url = reverse("programmes:take_register", args=[course.pk, 1])
    day = CourseSession.objects.get(course=course, number=1).day
    shown = client.get(url).text
    assert f"Session 1 is on {day.day} " in shown
    assert 'name="place_' not in shown  # no register to fill in yet
    refused = client.post(url, {f"place_{place.pk}": "attended"})
    assert refused.status_code == 200
    assert "its register can be taken from that day" in refused.text
    assert not Attendance.objects.exists()


def _course_post(cos, hub, facilitator, day, **extra):
    return {
        "programme": cos.pk,
        "hub": hub.pk,
        "title": "Autumn, entered afterwards",
        "facilitators": [facilitator.pk],
        "first_session_on_0": day.day,
        "first_session_on_1": day.month,
        "first_session_on_2": day.year,
        "first_session_time": "10:00",
        "sessions": "4",
        "venue": "Hub hall",
        "capacity": "6",
        "sessions_to_complete": "3",
    } | extra


def test_a_course_that_has_run_is_entered_later_and_marked_so(
    city,
    client,
    cos,
    hub,
    facilitator,
):
    client.force_login(facilitator)
    day = timezone.localdate() - timedelta(weeks=5)
    url = reverse("programmes:run_course")
    asked = client.post(url, _course_post(cos, hub, facilitator, day))
    assert asked.status_code == 200
    assert "The first session is in the past" in asked.text
    assert "Autumn, entered afterwards" in asked.text  # what was typed is kept
    assert not Course.objects.exists()
    saved = client.post(url, _course_post(cos, hub, facilitator, day, already_run="on"))
    assert saved.status_code == 302
    course = Course.objects.get()
    assert course.entered_later
    event = AuditEvent.objects.get(action="run_course")
    assert event.detail["entered_later"] is True
    page = client.get(saved["Location"]).text
    assert "Entered later" in page
    assert page.count("Take register") == 4  # every session has run
    (person,) = _people(city, 1)
    place = services.book_place(course=course, person=person, by=facilitator)
    register = reverse("programmes:take_register", args=[course.pk, 4])
    assert client.post(register, {f"place_{place.pk}": "late"}).status_code == 302
    event = AuditEvent.objects.filter(action="take_register").get()
    assert event.detail == {"mark": "late", "entered_later": True}


def test_a_course_entered_before_it_starts_is_not_marked(
    city,
    client,
    cos,
    hub,
    facilitator,
):
    client.force_login(facilitator)
    day = timezone.localdate()
    saved = client.post(
        reverse("programmes:run_course"),
        _course_post(cos, hub, facilitator, day, already_run="on"),
    )
    assert saved.status_code == 302
    assert not Course.objects.get().entered_later
    assert AuditEvent.objects.get(action="run_course").detail["entered_later"] is False
    assert "Entered later" not in client.get(saved["Location"]).text
