"""Demo city: a past major incident shaped like Keyham's, February 2024
(docs/incidents.md), with its welfare checks, stood down; the emergency lead
can declare a new one.

The places are real grid references in Plymouth, approximate for the demo: a
cordon in Keyham of 200 m, widened to 309 m after two days, then a 300 m cordon
along a route towards the Torpoint ferry, with rest centres at the Life Centre
and in North Prospect. The families inside are the demo's own, invented."""

import random
from datetime import timedelta

from django.utils import timezone

from onestory.incidents import areas, services
from onestory.incidents.models import (
    IncidentArea,
    Method,
    Outcome,
    WelfareCheck,
)

KEYHAM = "SX 45650 55900"
ROUTE = "SX 45650 55900\nSX 45300 55400\nSX 44900 55150"
# How the demo's families were found, by share: most reached within hours.
OUTCOMES = [
    (Outcome.SAFE_AT_HOME, 35),
    (Outcome.WITH_FAMILY_OR_FRIENDS, 30),
    (Outcome.AT_REST_CENTRE, 20),
    (Outcome.NEEDS_FORMULA, 5),
    (Outcome.NEEDS_TRANSPORT, 5),
    (Outcome.NEEDS_MEDICATION, 5),
]


def build_incident(*, lead, staff, seed: int = 0):
    """The past incident, declared by `lead` with `staff` assigned."""
    rng = random.Random(f"{seed}-incident")
    began = (timezone.now() - timedelta(days=40)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    incident = services.declare(
        name="Unexploded bomb, Keyham",
        started_at=began,
        area_name="Cordon in Keyham",
        kind="circle",
        where=KEYHAM,
        radius_m=200,
        by=lead,
    )
    first = incident.areas.get()
    _dated(first, began + timedelta(minutes=20))
    for user in staff:
        services.assign_staff(incident=incident, user=user, by=lead)
    wider = areas.widen(area=first, radius_m=309, by=lead)
    _dated(wider, began + timedelta(days=1, hours=22, minutes=30))
    route = areas.add_area(
        incident=incident,
        name="Convoy route to the Torpoint ferry",
        kind="route",
        route=ROUTE,
        buffer_m=300,
        by=lead,
    )
    _dated(route, began + timedelta(days=3, hours=3))
    centres = [
        services.open_rest_centre(
            incident=incident, name=name, postcode=postcode, by=lead
        )
        for name, postcode in (
            ("PCH Beacon Centre, North Prospect", ""),
            ("Life Centre, Central Park", ""),
        )
    ]
    _check_everyone(incident, centres, began, lead, rng)
    services.stand_down(incident=incident, by=lead)
    ended = began + timedelta(days=3, hours=7)
    incident.stood_down_at = ended
    incident.save(update_fields=["stood_down_at"])
    incident.areas.filter(ended_at__gt=ended).update(ended_at=ended)
    return incident


def _dated(area, when):
    IncidentArea.objects.filter(pk=area.pk).update(added_at=when)
    if area.replaces_id:
        IncidentArea.objects.filter(pk=area.replaces_id).update(ended_at=when)


def _check_everyone(incident, centres, began, lead, rng):
    outcomes, weights = zip(*OUTCOMES, strict=True)
    for check in WelfareCheck.objects.filter(incident=incident).order_by("rank"):
        by = check.assigned_to or lead
        at = began + timedelta(minutes=25 + check.rank * rng.randint(2, 9))
        if rng.random() < 0.1:  # no answer three times, then reached at a visit
            for _ in range(3):
                services.record_attempt(
                    check=check,
                    method=Method.PHONE,
                    outcome=Outcome.NO_ANSWER,
                    by=by,
                    at=at,
                )
                at += timedelta(minutes=40)
        outcome = rng.choices(outcomes, weights)[0]
        centre = rng.choice(centres) if outcome == Outcome.AT_REST_CENTRE else None
        method = (
            Method.REST_CENTRE if centre else rng.choice([Method.PHONE, Method.VISIT])
        )
        services.record_attempt(
            check=check,
            method=method,
            outcome=outcome,
            rest_centre=centre,
            by=by,
            at=at,
        )
