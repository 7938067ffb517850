"""Reads about courses, each with a fixed number of queries."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from onestory.accounts.models import Role
from onestory.families.models import Family
from onestory.programmes import domain
from onestory.programmes.models import (
    Attendance,
    Course,
    CourseSession,
    Feedback,
    Place,
    PlaceStatus,
)


def courses_in_area(user):
    """Courses at hubs in the user's local authority, with their numbers."""
    return (
        Course.objects.filter(
            hub__organisation__local_authority_id=user.organisation.local_authority_id
        )
        .select_related("programme", "hub")
        .annotate(
            booked=Count("places", filter=Q(places__status=PlaceStatus.BOOKED)),
            waiting=Count("places", filter=Q(places__status=PlaceStatus.WAITING)),
        )
    )


def get_course(user, course_id) -> Course:
    course = courses_in_area(user).filter(pk=course_id).first()
    if course is None:
        raise Http404
    return course


def facilitates(user, course) -> bool:
    return course.facilitators.filter(pk=user.pk).exists()


def get_facilitated_course(user, course_id) -> Course:
    """A course the user facilitates (403 for one they only see)."""
    course = get_course(user, course_id)
    if not facilitates(user, course):
        raise PermissionDenied
    return course


def get_session(course, number) -> CourseSession:
    return get_object_or_404(CourseSession, course=course, number=number)


def get_place(course, place_id) -> Place:
    return get_object_or_404(Place, pk=place_id, course=course)


@dataclass(frozen=True)
class CoursePlace:
    """A place on a course as its page shows it."""

    place: Place
    shown: bool  # the person may be named to this viewer
    present: int  # sessions attended
    complete: bool


def people_on(course, user, *, is_facilitator: bool) -> list[CoursePlace]:
    """Places on the course, in order. A person is named to the course's
    facilitators, and to anyone who may see their family; to others they are
    only counted. Nothing clinical is here (peer support workers facilitate)."""
    places = list(
        Place.objects.filter(course=course)
        .exclude(status=PlaceStatus.LEFT)
        .select_related("person")
        .order_by("asked_at", "id")
    )
    visible = set(
        Family.objects.visible_to(user)
        .filter(pk__in={place.person.family_id for place in places})
        .values_list("pk", flat=True)
    )
    marks: dict[object, list[str]] = {}
    for place_id, mark in Attendance.objects.filter(place__in=places).values_list(
        "place_id", "mark"
    ):
        marks.setdefault(place_id, []).append(mark)
    return [
        CoursePlace(
            place,
            shown=is_facilitator or place.person.family_id in visible,
            present=sum(m in domain.PRESENT for m in marks.get(place.pk, [])),
            complete=domain.is_complete(
                marks.get(place.pk, []), course.sessions_to_complete
            ),
        )
        for place in places
    ]


@dataclass(frozen=True)
class RegisterLine:
    """A booked place on a session's register, with its mark if it has one."""

    place: Place
    mark: str | None


def quotes_shown(hubs, chosen: dict):
    """Quotes families agreed to share and a manager let through, at these
    hubs (and the hub or programme chosen), newest first."""
    return (
        Feedback.objects.filter(quote_shown=True, hub__in=hubs, **chosen)
        .select_related("hub", "programme")
        .prefetch_related("themes")
    )


def quotes_to_check(user, hubs) -> int:
    """For a team manager, how many quotes at these hubs wait to be read."""
    if Role.TEAM_MANAGER not in user.roles:
        return 0
    return Feedback.objects.filter(
        consent_to_quote=True, quote_checked_at=None, hub__in=hubs
    ).count()


def quotes_waiting(user):
    """Quotes in the user's area waiting to be read before they are shown."""
    return (
        Feedback.objects.in_area_of(user)
        .filter(consent_to_quote=True, quote_checked_at=None)
        .select_related("hub", "programme")
    )


def register(session) -> list[RegisterLine]:
    """The booked people of a session with the mark each has, if any."""
    places = (
        Place.objects.filter(course_id=session.course_id, status=PlaceStatus.BOOKED)
        .select_related("person")
        .order_by("asked_at", "id")
    )
    marks = dict(
        Attendance.objects.filter(session=session).values_list("place_id", "mark")
    )
    return [RegisterLine(place, marks.get(place.pk)) for place in places]


@dataclass(frozen=True)
class AttendedPlace:
    """A family member's place on a course, with the sessions they attended."""

    place: Place
    present: int
    complete: bool


def family_courses(family) -> dict:
    """Each family member's course places with their attendance, for the family
    record beside their outcomes, and the marks for its timeline. Two queries."""
    places = list(
        Place.objects.filter(person__family=family)
        .select_related("course__programme", "course__hub", "person")
        .annotate(sessions=Count("course__sessions", distinct=True))
        .order_by("-asked_at")
    )
    marks = list(
        Attendance.objects.filter(place__in=places)
        .select_related("session")
        .order_by("session__starts_at")
    )
    by_place: dict[object, list[str]] = {}
    for attendance in marks:
        by_place.setdefault(attendance.place_id, []).append(attendance.mark)
    places_by_id = {place.pk: place for place in places}
    for attendance in marks:  # its place as loaded above, not one query each
        attendance.place = places_by_id[attendance.place_id]
    attended = [
        AttendedPlace(
            place,
            present=sum(m in domain.PRESENT for m in by_place.get(place.pk, [])),
            complete=domain.is_complete(
                by_place.get(place.pk, []), place.course.sessions_to_complete
            ),
        )
        for place in places
    ]
    return {"places": attended, "marks": marks}
