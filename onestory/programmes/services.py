"""The only write path for courses, places and registers; each audited."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import dateformat, timezone

from onestory.core import audit, changes
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.programmes import domain
from onestory.programmes.models import (
    Attendance,
    Course,
    CourseSession,
    Delivery,
    Feedback,
    FeedbackSource,
    Place,
    PlaceStatus,
)
from onestory.workforce.queries import NotAccredited, check_may_deliver


class AlreadyOnCourse(Refusal):
    """The person already has a place, or is waiting for one, on this course."""

    field = "course"
    message = "They already have a place on this course"


class NotAGroupProgramme(Exception):
    """A guard: the form offers only group programmes."""


class NotAFacilitator(Exception):
    """A guard: the views let only facilitators take a register."""


class SessionNotYet(Refusal):
    """A register is taken on or after its session's day, never before."""


def register_not_yet(session) -> str | None:
    """Why the session's register cannot be taken yet; None once it can."""
    if session.register_is_open:
        return None
    return (
        f"Session {session.number} is on {dateformat.format(session.day, 'j F Y')}: "
        "its register can be taken from that day"
    )


def _check_register_open(session) -> None:
    if not_yet := register_not_yet(session):
        raise SessionNotYet(not_yet)


@transaction.atomic
def run_course(
    *,
    programme,
    hub,
    title: str,
    facilitators,
    first_session_at: datetime,
    sessions: int,
    venue: str,
    capacity: int | None = None,
    sessions_to_complete: int | None = None,
    anonymous_head_count: bool = False,
    by,
) -> Course:
    """A run of a group or drop-in programme, with weekly sessions. Every
    facilitator must be allowed to deliver it (workforce rules)."""
    if programme.delivery == Delivery.ONE_TO_ONE:
        raise NotAGroupProgramme
    for person in facilitators:
        try:
            check_may_deliver(person, programme, first_session_at.date())
        except NotAccredited as refusal:
            raise NotAccredited(
                f"{person.full_name}: {refusal}", field="facilitators"
            ) from None
    later = domain.entered_later(
        timezone.localdate(first_session_at), timezone.localdate()
    )
    course = Course.objects.create(
        programme=programme,
        hub=hub,
        title=title.strip(),
        capacity=capacity,
        sessions_to_complete=sessions_to_complete,
        anonymous_head_count=anonymous_head_count
        and programme.delivery == Delivery.DROP_IN,
        created_by=by,
        entered_later=later,
    )
    course.facilitators.set(facilitators)
    CourseSession.objects.bulk_create(
        CourseSession(
            course=course,
            number=number,
            starts_at=first_session_at + timedelta(weeks=number - 1),
            venue=venue.strip(),
        )
        for number in range(1, sessions + 1)
    )
    # A course entered after it ran: its sessions are in the report from the first.
    changes.data_changed(
        on=timezone.localdate(first_session_at),
        local_authority=hub.organisation.local_authority_id,
    )
    audit.record(
        action=AuditAction.RUN_COURSE,
        by=by,
        obj=course,
        detail={"entered_later": later},
    )
    return course


@transaction.atomic
def book_place(*, course: Course, person, by) -> Place:
    """A place while there is room, else the waiting list, in the order asked.
    The course row is locked so that two bookings cannot both take the last place."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    booked = course.places.filter(status=PlaceStatus.BOOKED).count()
    status = domain.status_for_new_place(booked, course.capacity)
    place = Place.objects.filter(course=course, person=person).first()
    if place is not None and place.status != PlaceStatus.LEFT:
        raise AlreadyOnCourse
    if place is None:
        place = Place.objects.create(
            course=course, person=person, status=status, added_by=by
        )
        # The programme filter's families are anyone ever given a place, in
        # every period (Scope.programme_families): of no one date.
        changes.data_changed(family=person.family_id)
    else:  # came back after leaving: the back of the queue
        Place.objects.filter(pk=place.pk).update(
            status=status, asked_at=timezone.now(), added_by=by
        )
        place.refresh_from_db()
    audit.record(
        action=AuditAction.BOOK_PLACE,
        by=by,
        family=person.family_id,
        person=person,
        obj=place,
        detail={"status": place.status},
    )
    return place


@transaction.atomic
def leave_course(*, place: Place, by) -> Place | None:
    """The person leaves; the first on the waiting list gets the place if there
    is room. Returns that place, if anyone was waiting."""
    course = Course.objects.select_for_update().get(pk=place.course_id)
    place = Place.objects.select_related("person").get(pk=place.pk)
    if place.status == PlaceStatus.LEFT:
        return None  # already gone: nothing frees twice
    Place.objects.filter(pk=place.pk).update(status=PlaceStatus.LEFT)
    audit.record(
        action=AuditAction.LEAVE_COURSE,
        by=by,
        family=place.person.family_id,
        person=place.person,
        obj=place,
    )
    following = (
        Place.objects.filter(course_id=place.course_id, status=PlaceStatus.WAITING)
        .select_related("person")
        .order_by("asked_at", "id")
        .first()
    )
    booked = course.places.filter(status=PlaceStatus.BOOKED).count()
    if (
        following is None
        or place.status != PlaceStatus.BOOKED
        or domain.status_for_new_place(booked, course.capacity) != PlaceStatus.BOOKED
    ):
        return None
    Place.objects.filter(pk=following.pk).update(status=PlaceStatus.BOOKED)
    audit.record(
        action=AuditAction.BOOK_PLACE,
        by=by,
        family=following.person.family_id,
        person=following.person,
        obj=following,
        detail={"status": PlaceStatus.BOOKED, "from_waiting_list": True},
    )
    return following


def _register_changed(session: CourseSession) -> None:
    """A register taken or changed counts on its session's day (the peer
    support figures): late, for a session in a settled period, it moves them.
    The area is looked up only then."""
    changes.data_changed(
        on=session.day,
        local_authority=lambda: session.course.hub.organisation.local_authority_id,
    )


@transaction.atomic
def take_register(*, session: CourseSession, marks: dict, by) -> int:
    """Marks for the booked people of one session, by place id; facilitators
    only, from the session's day. Taking it again replaces the marks. Returns
    how many were marked."""
    if not session.course.facilitators.filter(pk=by.pk).exists():
        raise NotAFacilitator
    _check_register_open(session)
    places = {
        place.pk: place
        for place in Place.objects.filter(
            course_id=session.course_id, status=PlaceStatus.BOOKED
        ).select_related("person")
    }
    _register_changed(session)
    marked = 0
    for place_id, mark in marks.items():
        place = places.get(place_id)
        if place is None:
            continue
        Attendance.objects.update_or_create(
            session=session, place=place, defaults={"mark": mark, "recorded_by": by}
        )
        audit.record(
            action=AuditAction.TAKE_REGISTER,
            by=by,
            family=place.person.family_id,
            person=place.person,
            obj=session,
            detail={"mark": mark, "entered_later": session.course.entered_later},
        )
        marked += 1
    return marked


@transaction.atomic
def record_head_count(*, session: CourseSession, count: int, by) -> None:
    if not session.course.facilitators.filter(pk=by.pk).exists():
        raise NotAFacilitator
    _check_register_open(session)
    CourseSession.objects.filter(pk=session.pk).update(head_count=count)
    _register_changed(session)
    audit.record(
        action=AuditAction.TAKE_REGISTER,
        by=by,
        obj=session,
        detail={"head_count": count, "entered_later": session.course.entered_later},
    )


@transaction.atomic
def give_feedback(
    *,
    text: str,
    hub=None,
    programme=None,
    about_practitioner: bool = False,
    rating: int | None = None,
    consent_to_quote: bool = False,
    themes=(),
    by=None,
) -> Feedback:
    """A family's own feedback (no one signed in), or what they said in person,
    recorded by staff (`by`). Anonymous either way."""
    feedback = Feedback.objects.create(
        text=text.strip(),
        hub=hub,
        programme=programme,
        about_practitioner=about_practitioner,
        rating=rating,
        consent_to_quote=consent_to_quote,
        source=FeedbackSource.VERBAL if by else FeedbackSource.FAMILY,
        recorded_by=by,
    )
    feedback.themes.set(themes)
    if by is not None:
        audit.record(action=AuditAction.RECORD_FEEDBACK, by=by, obj=feedback)
    return feedback


@transaction.atomic
def check_quote(*, feedback: Feedback, show: bool, by) -> None:
    """A team manager reads a quote before it is shown: show it, or not (it
    names someone, or could identify a family)."""
    Feedback.objects.filter(pk=feedback.pk, consent_to_quote=True).update(
        quote_checked_by=by, quote_checked_at=timezone.now(), quote_shown=show
    )
    audit.record(
        action=AuditAction.RECORD_FEEDBACK,
        by=by,
        obj=feedback,
        changed_fields=["quote_shown"],
        detail={"shown": show},
    )
