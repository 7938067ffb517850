"""Questionnaires to do: an adult's review points due, and their children's,
filled in here without a separate link; scored on the server, the review
point marked done, audited with the adult."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.measures.models import Intervention, Mode, ReviewPoint
from tests import factories
from tests.parents.conftest import sign_in


@pytest.fixture
def review_points(lead, family_personas):
    programme = factories.programme()
    today = timezone.localdate()

    def point(person, code, days):
        enrolment = Intervention.objects.create(
            person=person,
            programme=programme,
            name=programme.name,
            started_on=today - timedelta(weeks=6),
            planned_weeks=12,
            created_by=lead,
        )
        return ReviewPoint.objects.create(
            intervention=enrolment,
            kind="midpoint",
            instrument_code=code,
            due_on=today + timedelta(days=days),
        )

    return {
        "mine": point(family_personas.this_parent.person, "PHQ9", 3),
        "later": point(family_personas.this_parent.person, "GAD7", 40),
        "jordans": point(family_personas.other_parent.person, "GAD7", -2),
    }


def _phq9(position):
    return {f"item_{n}": str(position) for n in range(1, 10)}


def test_an_adult_sees_only_their_own_questionnaires_due(
    client, family_personas, review_points
):
    sign_in(client, family_personas.this_parent)
    page = client.get("/your-family/questionnaires/").content.decode()
    assert "PHQ-9" in page
    assert "GAD-7" not in page  # Jordan's, and Alex's own not due for 40 days
    sign_in(client, family_personas.other_parent)
    theirs = client.get("/your-family/questionnaires/").content.decode()
    assert "GAD-7" in theirs
    assert "Was due on" in theirs
    assert "PHQ-9" not in theirs


def test_a_phq9_is_filled_in_here_and_scored_on_the_server(
    client, family_personas, review_points
):
    point = review_points["mine"]
    sign_in(client, family_personas.this_parent)
    url = f"/your-family/questionnaires/{point.pk}/"
    form = client.get(url).content.decode()
    assert "Patient Health Questionnaire" in form
    missing = client.post(url, {"item_1": "1"})
    assert "There is a problem" in missing.content.decode()
    done = client.post(url, {**_phq9(1), "score": "0"})
    assert done["Location"] == "/your-family/questionnaires/"
    point.refresh_from_db()
    response = point.completed_by
    assert response.total == 9  # nine answers of "several days": the server's sum
    assert response.mode == Mode.SELF_COMPLETION
    assert response.recorded_by is None
    event = AuditEvent.objects.get(action="complete_questionnaire_family_view")
    assert event.detail["family_member"] == str(family_personas.this_parent.person.pk)
    again = client.post(url, _phq9(2))
    assert again.status_code == 404  # done: no longer to do


@pytest.mark.security_case(43)
def test_another_adults_questionnaire_cannot_be_filled_in(
    client, family_personas, review_points
):
    sign_in(client, family_personas.this_parent)
    url = f"/your-family/questionnaires/{review_points['jordans'].pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, _phq9(0)).status_code == 404
    review_points["jordans"].refresh_from_db()
    assert review_points["jordans"].completed_by is None
