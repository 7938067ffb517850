"""Fixtures for courses: a group programme that needs an accreditation, an
accredited facilitator and a hub."""

from datetime import UTC, datetime

import pytest

from onestory.accounts.models import Hub, Role
from tests import factories

# A course that has run (registers are taken from each session's day), entered
# afterwards; courses still to come are set up in the tests that need them.
FIRST = datetime(2026, 10, 7, 10, tzinfo=UTC)


@pytest.fixture
def cos(db):
    course = factories.course("Circle of Security Parenting facilitator")
    return factories.programme(
        "Circle of Security Parenting", required=course, delivery="group"
    )


@pytest.fixture
def facilitator(city, cos):
    person = factories.staff(
        "Fay Facilitator", city.council, Role.PRACTITIONER, teams=[city.team_a]
    )
    factories.accredit(person, cos.required_course, FIRST.date().replace(year=2025))
    return person


@pytest.fixture
def hub(city):
    return Hub.objects.create(name="Test Hub", organisation=city.council)
