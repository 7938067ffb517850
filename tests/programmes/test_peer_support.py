"""Peer support workers see what their role needs (issue 6): the people in their
group and the family records they work on, but no outcome measures, scores or
risk answers."""

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.measures import instruments
from onestory.measures import services as measures
from onestory.support.models import Involvement, InvolvementRole
from tests import factories


@pytest.fixture
def peer(city):
    worker = factories.staff(
        "Pia Peer", city.council, Role.PEER_SUPPORT_WORKER, teams=[city.team_a]
    )
    Involvement.objects.create(
        episode=city.family.episodes.get(),
        practitioner=worker,
        role=InvolvementRole.CONTRIBUTOR,
    )
    return worker


@pytest.fixture
def scored(city, lead):
    """A PHQ-9 with a risk answer for the canary carer."""
    from datetime import date

    from django.db import transaction

    carer = city.family.members.get(role="parent_carer")
    with transaction.atomic():
        return measures.record_response(
            person=carer,
            instrument=instruments.get("PHQ9"),
            answers={str(n): 2 for n in range(1, 10)},
            completed_on=date(2026, 11, 20),
            by=lead,
        )


def test_the_record_shows_no_scores_or_risk_to_a_peer_support_worker(
    city, lead, client, peer, scored
):
    client.force_login(peer)
    name = city.family.members.get(role="parent_carer").full_name
    questionnaires = reverse("families:family_questionnaires", args=[city.family.pk])
    for section in ("family_record", "family_questionnaires", "family_timeline"):
        page = client.get(reverse(f"families:{section}", args=[city.family.pk]))
        assert page.status_code == 200
        assert name in page.text
        assert "PHQ" not in page.text
        assert "Risk" not in page.text
        assert questionnaires not in page.text  # not in their sub navigation
    assert "not shown to peer support workers" in client.get(questionnaires).text
    courses = client.get(reverse("families:family_courses", args=[city.family.pk]))
    assert "Courses and groups" in courses.text  # their part: not clinical
    caseload = client.get(reverse("families:my_caseload")).text
    assert "Risk: action needed" not in caseload
    # The lead sees both, for contrast.
    client.force_login(lead)
    lead_page = client.get(questionnaires)
    assert "PHQ9" in lead_page.text
    summary = client.get(reverse("families:family_record", args=[city.family.pk]))
    assert "1 risk answer with no action recorded" in summary.text
    assert "Risk: action needed" in client.get(reverse("families:my_caseload")).text


@pytest.mark.parametrize(
    ("name", "extra"),
    [
        ("measures:choose_questionnaire", []),
        ("measures:print_progress_sheet", []),
        ("measures:start_intervention", []),
        ("measures:send_questionnaire_link", []),
        ("measures:show_questionnaire", ["response"]),
    ],
)
def test_measures_pages_refuse_a_peer_support_worker(
    city, client, peer, scored, name, extra
):
    client.force_login(peer)
    args = [city.family.pk] + [scored.pk for _ in extra]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 403
    assert "PHQ" not in response.text
