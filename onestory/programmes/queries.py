"""Reads about courses, each with a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404

from onestory.families.models import Family
from onestory.programmes import domain
from onestory.programmes.models import Attendance, Course, Place, PlaceStatus


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
    course.is_facilitator = course.facilitators.filter(pk=user.pk).exists()
    return course


@dataclass(frozen=True)
class CoursePlace:
    """A place on a course as its page shows it."""

    place: Place
    shown: bool  # the person may be named to this viewer
    present: int  # sessions attended
    complete: bool


def people_on(course, user) -> list[CoursePlace]:
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
            shown=course.is_facilitator or place.person.family_id in visible,
            present=sum(m in domain.PRESENT for m in marks.get(place.pk, [])),
            complete=domain.is_complete(
                marks.get(place.pk, []), course.sessions_to_complete
            ),
        )
        for place in places
    ]


def register(session) -> list:
    """The booked people of a session with the mark each has, if any."""
    places = list(
        Place.objects.filter(course_id=session.course_id, status=PlaceStatus.BOOKED)
        .select_related("person")
        .order_by("asked_at", "id")
    )
    marks = dict(
        Attendance.objects.filter(session=session).values_list("place_id", "mark")
    )
    for place in places:
        place.current_mark = marks.get(place.pk)
    return places


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
    by_place = {}
    for attendance in marks:
        by_place.setdefault(attendance.place_id, []).append(attendance.mark)
    places_by_id = {place.pk: place for place in places}
    for place in places:
        place.present = sum(m in domain.PRESENT for m in by_place.get(place.pk, []))
        place.complete = domain.is_complete(
            by_place.get(place.pk, []), place.course.sessions_to_complete
        )
    for attendance in marks:
        attendance.place = places_by_id[attendance.place_id]
    return {"places": places, "marks": marks}
