"""Group courses (issue 6): who may facilitate, places and the waiting list in
order, registers by facilitators only, and the completion rule."""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.programmes import domain, services
from onestory.programmes.models import Attendance, Place
from tests import factories
from tests.programmes.conftest import FIRST


def test_the_completion_rule_counts_late_as_there():
    marks = ["attended", "late", "absent", "attended", "cancelled", "late"]
    assert domain.is_complete(marks, 4)
    assert not domain.is_complete(marks, 5)
    assert not domain.is_complete(marks, None)


def test_a_new_place_is_booked_while_there_is_room():
    assert domain.status_for_new_place(7, 8) == "booked"
    assert domain.status_for_new_place(8, 8) == "waiting"
    assert domain.status_for_new_place(200, None) == "booked"


def _run(cos, hub, facilitators, by, **extra):
    with transaction.atomic():
        return services.run_course(
            programme=cos,
            hub=hub,
            facilitators=facilitators,
            first_session_at=FIRST,
            sessions=8,
            venue="Hub hall",
            by=by,
            **{"title": "Winter 2026", "capacity": 2, "sessions_to_complete": 6}
            | extra,
        )


def _people(city, count):
    lead = city.personas["lead_practitioner"]
    return [
        factories.family(
            by=lead, team=city.team_a, family_name=f"Coursey{n}"
        ).members.get(role="parent_carer")
        for n in range(count)
    ]


def test_only_accredited_staff_can_facilitate(lead, cos, hub, facilitator):
    with pytest.raises(services.NotAccredited) as refusal:
        _run(cos, hub, [facilitator, lead], facilitator)
    assert str(refusal.value) == (
        "Lena Lead: Circle of Security Parenting can only be delivered by someone "
        "with a current Circle of Security Parenting facilitator."
    )
    course = _run(cos, hub, [facilitator], facilitator)
    sessions = list(course.sessions.all())
    assert [s.number for s in sessions] == list(range(1, 9))
    assert sessions[-1].starts_at == datetime(2026, 11, 25, 10, tzinfo=UTC)


def test_places_fill_then_the_waiting_list_is_offered_in_order(
    city, lead, cos, hub, facilitator
):
    course = _run(cos, hub, [facilitator], facilitator)
    a, b, c, d = _people(city, 4)
    places = [
        services.book_place(course=course, person=p, by=lead) for p in (a, b, c, d)
    ]
    assert [p.status for p in places] == ["booked", "booked", "waiting", "waiting"]
    promoted = services.leave_course(place=places[0], by=lead)
    assert promoted.pk == places[2].pk  # c asked first
    statuses = dict(Place.objects.values_list("person_id", "status"))
    assert statuses == {a.pk: "left", b.pk: "booked", c.pk: "booked", d.pk: "waiting"}
    # Someone on the waiting list leaving frees no place.
    assert services.leave_course(place=places[3], by=lead) is None
    assert (
        AuditEvent.objects.filter(
            action="book_place", detail__from_waiting_list=True
        ).count()
        == 1
    )


def test_only_facilitators_take_the_register_and_it_decides_completion(
    city, lead, cos, hub, facilitator
):
    course = _run(cos, hub, [facilitator], facilitator)
    (person,) = _people(city, 1)
    place = services.book_place(course=course, person=person, by=facilitator)
    sessions = list(course.sessions.all())
    with pytest.raises(services.NotAFacilitator):
        services.take_register(
            session=sessions[0],
            marks={place.pk: "attended"},
            by=lead,
        )
    marks = ["attended", "late", "absent", "attended", "attended", "attended"]
    for session, mark in zip(sessions, marks, strict=False):
        services.take_register(session=session, marks={place.pk: mark}, by=facilitator)
    # Taking a register again replaces the mark.
    services.take_register(
        session=sessions[2], marks={place.pk: "late"}, by=facilitator
    )
    recorded = list(
        Attendance.objects.filter(place=place)
        .order_by("session__number")
        .values_list("mark", flat=True)
    )
    assert recorded == ["attended", "late", "late", "attended", "attended", "attended"]
    assert domain.is_complete(recorded, course.sessions_to_complete)
    event = AuditEvent.objects.filter(action="take_register").latest("sequence")
    assert event.family_id == person.family_id


def test_people_not_booked_are_not_marked(city, cos, hub, facilitator):
    course = _run(cos, hub, [facilitator], facilitator, capacity=1)
    first, second = _people(city, 2)
    booked = services.book_place(course=course, person=first, by=facilitator)
    waiting = services.book_place(course=course, person=second, by=facilitator)
    session = course.sessions.first()
    marked = services.take_register(
        session=session,
        marks={booked.pk: "attended", waiting.pk: "attended"},
        by=facilitator,
    )
    assert marked == 1
    assert list(Attendance.objects.values_list("place_id", flat=True)) == [booked.pk]


def test_a_drop_in_can_count_heads_without_names(city, hub, db):
    peer = factories.course("Peer support worker training")
    group = factories.programme(
        "Perinatal peer support group", required=peer, delivery="drop_in"
    )
    worker = factories.staff("Pia Peer", city.council, Role.PEER_SUPPORT_WORKER)
    factories.accredit(worker, peer, FIRST.date())
    course = _run(
        group, hub, [worker], worker, capacity=None, anonymous_head_count=True
    )
    assert course.anonymous_head_count
    session = course.sessions.first()
    services.record_head_count(session=session, count=11, by=worker)
    session.refresh_from_db()
    assert session.head_count == 11


# Pages


def test_a_course_is_set_up_booked_and_registered_through_the_pages(
    city, lead, client, cos, hub, facilitator
):
    from django.urls import reverse
    from django.utils import timezone

    client.force_login(facilitator)
    day = timezone.localdate()  # its first register can be taken today
    response = client.post(
        reverse("programmes:run_course"),
        {
            "programme": cos.pk,
            "hub": hub.pk,
            "title": "Spring",
            "facilitators": [facilitator.pk],
            "first_session_on_0": day.day,
            "first_session_on_1": day.month,
            "first_session_on_2": day.year,
            "first_session_time": "10:00",
            "sessions": "8",
            "venue": "Hub hall",
            "capacity": "1",
            "sessions_to_complete": "6",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    course_url = response["Location"]
    (first, second) = _people(city, 2)
    client.force_login(lead)
    course = facilitator.facilitated_courses.get()
    for person in (first, second):
        booked = client.post(
            reverse("programmes:book_place", args=[person.family_id]),
            {"person": person.pk, "course": course.pk},
        )
        assert booked.status_code == 302
    page = client.get(course_url).text
    assert "1 of 1 booked, 1 waiting" in page
    assert "Take register" not in page  # the lead does not facilitate
    register = reverse("programmes:take_register", args=[course.pk, 1])
    assert client.get(register).status_code == 403
    client.force_login(facilitator)
    form = client.get(register).text
    assert first.full_name in form
    assert second.full_name not in form  # waiting, not booked
    place = Place.objects.get(person=first)
    saved = client.post(register, {f"place_{place.pk}": "late"})
    assert saved.status_code == 302
    assert Attendance.objects.get(place=place).mark == "late"


def test_the_course_page_names_only_people_the_viewer_may_see(
    city, other_hub_practitioner, lead, commissioner, client, cos, hub, facilitator
):
    """A facilitator sees their group; a colleague sees the people in families
    they may see, and only a count of the rest."""
    from django.urls import reverse

    course = _run(cos, hub, [facilitator], facilitator)
    theirs = factories.family(
        by=other_hub_practitioner, team=city.team_b, family_name="Elsewhereby"
    ).members.get(role="parent_carer")
    services.book_place(course=course, person=theirs, by=other_hub_practitioner)
    url = reverse("programmes:show_course", args=[course.pk])
    client.force_login(facilitator)
    assert "Elsewhereby" in client.get(url).text
    client.force_login(lead)
    page = client.get(url).text
    assert "Elsewhereby" not in page
    assert "Someone you cannot see" in page
    client.force_login(commissioner)
    assert client.get(url).status_code == 403


def test_a_course_in_another_local_authority_is_not_found(
    city, client, cos, hub, facilitator, elsewhere
):
    from django.urls import reverse

    course = _run(cos, hub, [facilitator], facilitator)
    client.force_login(elsewhere.practitioner)
    assert (
        client.get(reverse("programmes:show_course", args=[course.pk])).status_code
        == 404
    )


def test_the_family_record_shows_attendance_beside_outcomes_in_fixed_queries(
    city, lead, client, cos, hub, facilitator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.families.test_query_counts import RECORD_PAGE_QUERIES

    carer = city.family.members.get(role="parent_carer")
    urls = [
        reverse("families:family_courses", args=[city.family.pk]),
        reverse("families:family_timeline", args=[city.family.pk]),
    ]
    client.force_login(lead)

    def count():
        counts, pages = [], []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                pages.append(client.get(url).text)
            counts.append(len(captured))
        return counts, pages

    def attend(course, sessions):
        place = services.book_place(course=course, person=carer, by=facilitator)
        for session in list(course.sessions.all())[:sessions]:
            services.take_register(
                session=session, marks={place.pk: "attended"}, by=facilitator
            )

    attend(_run(cos, hub, [facilitator], facilitator, capacity=5), 1)
    count()  # warm the session
    small, _ = count()
    for n in range(3):
        course = _run(cos, hub, [facilitator], facilitator, title=f"Run {n}")
        attend(course, 6)
    large, (courses, timeline) = count()
    assert small == large
    assert large[0] <= RECORD_PAGE_QUERIES["families:family_courses"]
    assert "Courses and groups" in courses
    assert "6 of 8" in courses
    assert "Completed" in courses
    assert "attended at session 6 of Circle of Security Parenting" in timeline


def test_course_and_register_pages_have_a_fixed_number_of_queries(
    city, client, cos, hub, facilitator
):
    from django.urls import reverse

    from tests.pages import queries_for

    course = _run(cos, hub, [facilitator], facilitator, capacity=20)
    people = _people(city, 7)
    session = course.sessions.first()
    pages = [
        reverse("programmes:show_course", args=[course.pk]),
        reverse("programmes:take_register", args=[course.pk, 1]),
        reverse("programmes:courses"),
    ]
    client.force_login(facilitator)

    def counts():
        return [queries_for(client, url) for url in pages]

    def book(person):
        place = services.book_place(course=course, person=person, by=facilitator)
        services.take_register(
            session=session, marks={place.pk: "late"}, by=facilitator
        )

    book(people[0])
    client.get(pages[0])
    small = counts()
    for person in people[1:]:
        book(person)
    assert counts() == small


def test_booking_twice_is_refused_and_someone_who_left_can_come_back(
    city, lead, client, cos, hub, facilitator
):
    from django.urls import reverse

    course = _run(cos, hub, [facilitator], facilitator)
    (person,) = _people(city, 1)
    client.force_login(lead)
    url = reverse("programmes:book_place", args=[person.family_id])
    data = {"person": person.pk, "course": course.pk}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 200
    assert "They already have a place on this course" in again.text
    place = Place.objects.get(person=person)
    client.force_login(facilitator)
    left = client.post(reverse("programmes:leave_course", args=[course.pk, place.pk]))
    assert left.status_code == 302
    place.refresh_from_db()
    assert place.status == "left"
    # Leaving twice frees nothing twice.
    assert services.leave_course(place=place, by=facilitator) is None
    client.force_login(lead)
    assert client.post(url, data).status_code == 302
    place.refresh_from_db()
    assert place.status == "booked"


def test_only_facilitators_record_someone_leaving(
    city, lead, client, cos, hub, facilitator
):
    from django.urls import reverse

    course = _run(cos, hub, [facilitator], facilitator)
    (person,) = _people(city, 1)
    place = services.book_place(course=course, person=person, by=facilitator)
    client.force_login(lead)
    url = reverse("programmes:leave_course", args=[course.pk, place.pk])
    assert client.post(url).status_code == 403
    place.refresh_from_db()
    assert place.status == "booked"


def test_reading_names_on_a_course_is_audited(city, client, cos, hub, facilitator):
    from django.urls import reverse

    course = _run(cos, hub, [facilitator], facilitator)
    (person,) = _people(city, 1)
    services.book_place(course=course, person=person, by=facilitator)
    client.force_login(facilitator)
    client.get(reverse("programmes:show_course", args=[course.pk]))
    client.get(reverse("programmes:take_register", args=[course.pk, 1]))
    events = AuditEvent.objects.filter(action="view_course")
    assert [e.detail["families"] for e in events] == [[str(person.family_id)]] * 2
