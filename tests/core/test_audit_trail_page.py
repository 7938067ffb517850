"""The information governance lead's audit trail: search, page, CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from tests import factories
from tests.conftest import CANARIES


@pytest.fixture
def ig_lead(city):
    return factories.staff("Iona Governance", city.council, Role.INFORMATION_GOVERNANCE)


def _activity(client, city, lead):
    """The lead opens the canary record; an oddly named organisation's worker
    opens nothing."""
    client.force_login(lead)
    client.get(reverse("families:family_record", args=[city.family.pk]))


@pytest.mark.parametrize(
    "persona", ["lead_practitioner", "team_manager", "commissioner", "admin"]
)
def test_only_ig_leads_reach_the_audit_trail(client, city, persona):
    client.force_login(city.personas[persona])
    assert client.get(reverse("core:audit_trail")).status_code == 403


def test_activity_for_one_user(client, city, lead, same_team_practitioner, ig_lead):
    _activity(client, city, lead)
    client.force_login(ig_lead)
    page = client.get(reverse("core:audit_trail"), {"email": lead.email}).text
    assert "Opened the family record" in page
    assert str(city.family.pk) in page
    assert [c for c in CANARIES if c in page] == []  # references, not details
    other = same_team_practitioner.email
    assert "0 events" in client.get(reverse("core:audit_trail"), {"email": other}).text
    assert AuditEvent.objects.filter(action="search_audit", actor=ig_lead).exists()


def test_the_csv_export_is_audited_and_spreadsheet_safe(client, city, ig_lead):
    odd = factories.organisation('=HYPERLINK("http://evil.example","click")')
    worker = factories.staff("Odd Worker", odd, Role.PRACTITIONER)
    client.force_login(worker)
    client.get(reverse("families:family_record", args=[city.family.pk]))  # refused
    client.force_login(ig_lead)
    response = client.get(
        reverse("core:audit_trail"), {"family": str(city.family.pk), "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Position"
    organisations = [row[4] for row in rows[1:]]
    assert "'" + str(odd) in organisations
    assert not any(cell.startswith("=") for row in rows for cell in row)
    export = AuditEvent.objects.get(action="export_audit")
    assert export.detail == {
        "filters": ["family"],
        "format": "csv",
        "rows": len(rows) - 1,
    }


def test_a_bad_date_range_says_what_is_wrong(client, city, ig_lead):
    client.force_login(ig_lead)
    page = client.get(
        reverse("core:audit_trail"),
        {
            "since_0": "2",
            "since_1": "11",
            "since_2": "2026",
            "until_0": "1",
            "until_1": "11",
            "until_2": "2026",
        },
    ).text
    assert "The &#x27;to&#x27; date must be on or after" in page
