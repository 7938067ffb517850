"""The service navigation names each role's places of work, few enough to sit
on one line on a laptop (tests/browser/test_service_navigation.py measures
that); what left it is one link away from a page the role uses
(docs/decisions/0023)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from tests import factories

TEMPLATES = Path(__file__).resolve().parents[2] / "onestory"


def _navigation(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:your_account"))
    return [item["text"] for item in response.context["primary_navigation"]]


@pytest.mark.parametrize(
    ("roles", "places"),
    [
        (
            (Role.TEAM_MANAGER, Role.PRACTITIONER),
            ["My caseload", "Search", "Courses", "Triage", "Your team", "Reports"],
        ),
        (
            (Role.SPECIALIST, Role.SUPERVISOR),
            ["My caseload", "Search", "Courses", "Consultations", "Supervision"],
        ),
        ((Role.PEER_SUPPORT_WORKER,), ["My caseload", "Search", "Courses"]),
        ((Role.TRIAGE_CHAIR,), ["My caseload", "Search", "Courses", "Triage"]),
        ((Role.SUPERVISOR,), ["Supervision"]),
        ((Role.COMMISSIONER,), ["Reports"]),
        (
            (Role.INFORMATION_GOVERNANCE,),
            ["Emergency access", "Audit trail", "Subject access"],
        ),
        ((Role.ADMINISTRATOR,), ["Administration"]),
    ],
)
def test_each_role_sees_its_places_of_work(client, city, roles, places):
    user = factories.staff("Robin Roles", city.council, *roles, teams=[city.team_a])
    assert _navigation(client, user) == places


@pytest.mark.parametrize(
    ("persona", "page", "links_to"),
    [
        ("lead_practitioner", "families:my_caseload", "families:add_family"),
        ("lead_practitioner", "programmes:courses", "programmes:quotes"),
        ("lead_practitioner", "accounts:your_account", "workforce:my_development"),
        ("team_manager", "workforce:team", "workforce:supervision_given"),
        ("team_manager", "workforce:team", "workforce:my_development"),
        ("team_manager", "workforce:team", "programmes:quotes"),
        ("team_manager", "insights:service_report", "programmes:quotes"),
        ("team_manager", "workforce:supervision_given", "workforce:my_development"),
    ],
)
def test_what_left_the_navigation_is_linked_from_the_roles_pages(
    client, city, persona, page, links_to
):
    client.force_login(city.personas[persona])
    body = client.get(reverse(page), follow=True).content.decode()
    main = body[body.index("<main") :]
    assert f'href="{reverse(links_to)}"' in main


def test_searching_offers_to_add_a_family_that_is_not_found(lead_client):
    body = factories.search(lead_client, name="Nobody Anywhere").content.decode()
    assert "0 results" in body
    assert f'href="{reverse("families:add_family")}"' in body[body.index("<main") :]


def test_every_scrolling_region_is_labelled_and_reachable_by_keyboard():
    regions = [
        (path, tag)
        for path in TEMPLATES.rglob("*.html")
        for tag in re.findall(r"<[^>]*onestory-table-scroll[^>]*>", path.read_text())
    ]
    assert len(regions) >= 19
    for path, tag in regions:
        assert 'role="region"' in tag, path
        assert re.search(r'aria-label="[^"]+"', tag), path
        assert 'tabindex="0"' in tag, path
