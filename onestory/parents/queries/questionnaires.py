"""An adult's questionnaires: whose they may see, their progress, what is
to do, and the reminders due."""

from dataclasses import dataclass
from datetime import timedelta

from django.http import Http404
from django.utils import timezone

from onestory.families.models import Relationship, RelationshipKind
from onestory.measures import instruments
from onestory.measures import presenters as measures_presenters
from onestory.measures import queries as measures_queries
from onestory.measures.models import ReviewPoint
from onestory.parents.models import (
    FamilyAccess,
)

# How things are changing --------------------------------------------------------------


def whose_questionnaires(access) -> set:
    """The people whose questionnaires an adult sees: their own, and their
    children's where they are recorded as the child's parent or carer; never
    another adult's."""
    children = Relationship.objects.filter(
        person_id=access.person_id,
        kind__in=[RelationshipKind.PARENT_OF, RelationshipKind.CARER_OF],
    ).values_list("relative_id", flat=True)
    return {access.person_id, *children}


def progress_of(access) -> list:
    """The progress pictures (measures' own, in the family's words) of the
    questionnaires this adult may see, with the review points still to do."""
    people = whose_questionnaires(access)
    groups = {
        key: responses
        for key, responses in measures_queries.responses_by_measure(
            access.family
        ).items()
        if key[0].pk in people
    }
    outstanding = {
        key: points
        for key, points in measures_queries.outstanding_by_measure(
            access.family
        ).items()
        if key[0] in people
    }
    return measures_presenters.progress_sheets(groups, outstanding)


# Questionnaires to do -----------------------------------------------------------------

# Review points shown as to do from this many days before they are due.
DUE_WITHIN_DAYS = 14


@dataclass(frozen=True)
class ToDo:
    point: ReviewPoint
    instrument: object  # with any licensed wording (measures.queries)
    online: bool  # whether it can be filled in here, alone


def questionnaires_to_do(access) -> list[ToDo]:
    """The review points not yet done of the questionnaires this adult may
    see, due in the next two weeks or overdue, oldest first; each says
    whether it can be filled in online (some are completed together with a
    practitioner, and licensed wording must be loaded)."""
    today = timezone.localdate()
    points = (
        ReviewPoint.objects.filter(
            intervention__person_id__in=whose_questionnaires(access),
            intervention__person__family=access.family,
            completed_by__isnull=True,
            due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS),
        )
        .select_related("intervention__person")
        .order_by("due_on", "pk")
    )
    shown: dict = {}  # one read of licensed wording for each measure
    to_do = []
    for point in points:
        code = point.instrument_code
        if code not in shown:
            shown[code] = measures_queries.with_licensed_text(instruments.get(code))
        instrument = shown[code]
        to_do.append(
            ToDo(point, instrument, instrument.self_completion_refusal() is None)
        )
    return to_do


def review_point_to_do(access, point_id) -> ToDo:
    """One of the adult's questionnaires to do that can be filled in online;
    404 for any other."""
    for item in questionnaires_to_do(access):
        if item.point.pk == point_id and item.online:
            return item
    raise Http404("No such questionnaire to do")


# Reminders ------------------------------------------------------------------------

# A reminder goes this many days before a review point is due (and on the day).
REMIND_DAYS_BEFORE = 2


def reminders_due(today) -> list[tuple]:
    """(access, review point) for each review point due in the next
    `REMIND_DAYS_BEFORE` days, not done, that a parent can fill in alone, and
    each adult not paused who may see it (theirs, or their child's). Starts
    from the adults with the family's own view, so the review points are
    found through their people and the outstanding points' partial index
    (intervention, due_on), never by walking every review point of the
    service; a few queries, whatever its size."""
    accesses = {
        access.person_id: access
        for access in FamilyAccess.objects.filter(paused_at=None).select_related(
            "family__local_authority"
        )
    }
    adults_of: dict = {adult: {adult} for adult in accesses}
    for adult, child in Relationship.objects.filter(
        person_id__in=accesses,
        kind__in=[RelationshipKind.PARENT_OF, RelationshipKind.CARER_OF],
    ).values_list("person_id", "relative_id"):
        adults_of.setdefault(child, set()).add(adult)
    points = list(
        ReviewPoint.objects.filter(
            intervention__person_id__in=adults_of,
            completed_by__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        ).select_related("intervention")
    )
    online = {
        code: measures_queries.with_licensed_text(
            instruments.get(code)
        ).self_completion_refusal()
        is None
        for code in {point.instrument_code for point in points}
    }
    return [
        (accesses[adult], point)
        for point in points
        if online[point.instrument_code]
        for adult in sorted(adults_of[point.intervention.person_id], key=str)
    ]
