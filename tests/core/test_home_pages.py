"""Each role starts where its work is, and no page says a feature is coming."""

from pathlib import Path

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from tests import factories

ONESTORY = Path(__file__).resolve().parents[2] / "onestory"


@pytest.mark.parametrize(
    ("roles", "home"),
    [
        ((Role.PRACTITIONER,), "families:my_caseload"),
        ((Role.COMMISSIONER,), "insights:service_report"),
        ((Role.SUPERVISOR,), "workforce:supervision_given"),
        ((Role.INFORMATION_GOVERNANCE,), "core:audit_trail"),
        ((Role.ADMINISTRATOR,), "admin:index"),
        ((Role.SUPERVISOR, Role.PRACTITIONER), "families:my_caseload"),
        ((Role.COMMISSIONER, Role.ADMINISTRATOR), "insights:service_report"),
    ],
)
def test_each_role_starts_where_its_work_is(city, client, roles, home):
    user = factories.staff("Rhona Role", city.council, *roles)
    client.force_login(user)
    start = client.get(reverse("core:start"))
    assert start.status_code == 302
    assert start["Location"] == reverse(home)
    assert client.get(start["Location"]).status_code == 200


def test_an_account_with_no_role_is_told_why_and_who_can_help(city, client):
    client.force_login(factories.staff("Nora Norole", city.council))
    page = client.get(reverse("core:start"))
    assert page.status_code == 200
    assert "Your account has no role yet" in page.text
    assert "Ask your organisation" in page.text
    assert reverse("workforce:my_development") in page.text


def test_no_page_says_a_feature_is_coming():
    said = []
    for template in ONESTORY.rglob("templates/**/*.html"):
        text = " ".join(template.read_text().lower().split())
        for phrase in (
            "coming soon",
            "later release",
            "coming in a",
            "not yet available",
        ):
            if phrase in text:
                said.append(f"{template.relative_to(ONESTORY)}: {phrase}")
    assert said == []
