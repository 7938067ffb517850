"""A Keyham-like incident in the test city: a handful of postcode points, the
city's family inside a 309 m circle, and families inside, outside and in
another local authority."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from onestory.core.roles import Role
from onestory.families.models import Person, PersonRole
from onestory.incidents import services
from onestory.incidents.models import PostcodePoint
from tests import factories

CENTRE = (246000, 55000)  # "PL1 4AB", where the city's family lives
POINTS = {
    "PL1 4AB": CENTRE,
    "PL2 1AA": (246200, 55100),  # 224 m away: inside 309 m
    "PL2 1BB": (246300, 55000),  # 300 m: inside, near the edge
    "PL5 1AA": (246600, 55000),  # 600 m: outside until widened to 700 m
    "PL6 1AA": (249000, 60000),  # far away
}


@dataclass
class Keyham:
    lead: object  # the emergency lead
    responder: object  # assigned to the incident
    due: object  # a family with a birth due in 3 weeks, inside
    edge: object  # a family near the edge, inside, no open risk
    outside: object  # 600 m away
    elsewhere_family: object  # at the same postcode, another local authority


@pytest.fixture
def keyham(city, elsewhere, same_team_practitioner):
    PostcodePoint.objects.bulk_create(
        PostcodePoint(postcode=code, easting=e, northing=n)
        for code, (e, n) in POINTS.items()
    )
    lead = factories.staff("Em Lead", city.council, Role.EMERGENCY_LEAD)
    responder = factories.staff("Rae Responder", city.council, Role.PRACTITIONER)
    by = same_team_practitioner
    with transaction.atomic():
        due = factories.family(
            by=by, team=city.team_a, family_name="Duesoon", postcode="PL2 1AA"
        )
        Person.objects.create(
            family=due,
            role=PersonRole.UNBORN_BABY,
            family_name="Duesoon",
            expected_delivery_date=timezone.localdate() + timedelta(weeks=3),
            recorded_by=by,
            recorded_by_organisation=by.organisation,
            local_authority=due.local_authority,
        )
        edge = factories.family(
            by=by, team=city.team_a, family_name="Edgeworth", postcode="PL2 1BB"
        )
        outside = factories.family(
            by=by, team=city.team_a, family_name="Farley", postcode="PL5 1AA"
        )
    elsewhere.family.postcode = "PL1 4AB"
    elsewhere.family.save(update_fields=["postcode"])
    return Keyham(lead, responder, due, edge, outside, elsewhere.family)


def declare(keyham, radius=309, **more):
    return services.declare(
        name="Unexploded bomb, Keyham",
        started_at=timezone.now() - timedelta(hours=1),
        area_name="Cordon around St Michael Avenue",
        kind="circle",
        where="PL1 4AB",
        radius_m=radius,
        by=keyham.lead,
        **more,
    )


@pytest.fixture
def incident(keyham):
    incident = declare(keyham)
    services.assign_staff(incident=incident, user=keyham.responder, by=keyham.lead)
    return incident
