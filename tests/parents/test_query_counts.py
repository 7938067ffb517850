"""Each page of the family's own view runs a fixed number of queries,
however much the family's record holds (no query per row)."""

from datetime import date, timedelta

from django.utils import timezone

from onestory.measures import instruments
from onestory.measures import services as measures_services
from onestory.measures.models import Intervention, ReviewPoint
from onestory.parents import services
from onestory.support import plans
from onestory.support import services as support
from tests import factories
from tests.pages import queries_for
from tests.parents.conftest import sign_in

PAGES = (
    "/your-family/",
    "/your-family/story/",
    "/your-family/plan/",
    "/your-family/progress/",
    "/your-family/questionnaires/",
    "/your-family/who-can-see/",
    "/your-family/coming-up/",
)


def _more(city, lead, family_personas, n):
    """n more of each thing the pages list."""
    episode = city.family.episodes.get()
    programme = factories.programme()
    for number in range(n):
        plans.add_plan_action(
            family=city.family,
            description=f"Action {number}",
            owner="Parent" if number % 2 else "Lena Lead",
            due_on=date(2026, 12, 20),
            by=lead,
        )
        services.suggest_story_change(
            access=family_personas.other_parent.access,
            kind="addition",
            text=f"Suggestion {number}",
        )
        measures_services.record_response(
            person=family_personas.this_parent.person,
            instrument=instruments.get("GAD7"),
            answers={str(item): number % 4 for item in range(1, 8)},
            completed_on=date(2026, 10, 1) + timedelta(days=number),
            by=lead,
        )
        enrolment = Intervention.objects.create(
            person=family_personas.this_parent.person,
            programme=programme,
            name=programme.name,
            started_on=date(2026, 10, 1),
            planned_weeks=12,
            created_by=lead,
        )
        ReviewPoint.objects.create(
            intervention=enrolment,
            kind="midpoint",
            instrument_code="PHQ9",
            due_on=timezone.localdate() + timedelta(days=number % 10),
        )
        support.arrange_contact(
            episode=episode,
            starts_at=timezone.now() + timedelta(days=number + 1),
            contact_type="phone",
            practitioner=lead,
            by=lead,
        )


def _counts(client):
    return {page: queries_for(client, page) for page in PAGES}


def test_every_page_runs_as_many_queries_for_many_rows_as_for_few(
    client, city, lead, family_personas
):
    _more(city, lead, family_personas, 1)
    sign_in(client, family_personas.this_parent)
    few = _counts(client)
    _more(city, lead, family_personas, 6)
    many = _counts(client)
    assert many == few
    assert max(few.values()) <= 25, few
