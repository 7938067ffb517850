"""Downloading a caseload (security case 24; R26): exactly the families the user
works with, nothing restricted, audited with the row count, rate-limited, and
safe to open in a spreadsheet."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from onestory.core.models import AuditEvent
from tests import factories
from tests.conftest import CANARY_PHONE, CANARY_STORY, CANARY_SURNAME

pytestmark = pytest.mark.security_case(24)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def _xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def caseloads(city, lead, other_hub_practitioner):
    """The lead has the canary family and 9 more; the other hub's practitioner
    has 5 of their own."""
    mine = [city.family] + [
        factories.family(by=lead, team=city.team_a, family_name=f"Mineson{n}")
        for n in range(9)
    ]
    theirs = [
        factories.family(
            by=other_hub_practitioner, team=city.team_b, family_name=f"Theirson{n}"
        )
        for n in range(5)
    ]
    return mine, theirs


def test_the_download_holds_exactly_the_users_caseload(lead, caseloads, client):
    mine, theirs = caseloads
    client.force_login(lead)
    for file_format, read in (("csv", _csv), ("xlsx", _xlsx)):
        response = client.get(reverse("families:export_caseload", args=[file_format]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        rows = read(response)
        assert rows[0][0] == "Family reference"
        assert sorted(row[0] for row in rows[1:]) == sorted(str(f.pk) for f in mine)
        text = str(rows)
        assert CANARY_SURNAME in text
        # A phone number is for the record's pages, never a spreadsheet.
        assert CANARY_PHONE not in text
        assert "07700 900026" not in text
        assert "Phone" not in str(rows[0])
        assert "Theirson" not in text
        assert not {str(f.pk) for f in theirs} & {row[0] for row in rows}
    events = AuditEvent.objects.filter(action="export_caseload").order_by("sequence")
    assert [(e.detail["format"], e.detail["rows"]) for e in events] == [
        ("csv", 10),
        ("xlsx", 10),
    ]
    assert set(events[0].detail["family_ids"]) == {str(f.pk) for f in mine}


def test_nothing_restricted_or_clinical_is_in_it(city, lead, client):
    factories.contact(
        city.family,
        by=lead,
        notes="RESTRICTED-CANARY disclosed at the visit",
        restricted=True,
    )
    client.force_login(lead)
    for file_format, read in (("csv", _csv), ("xlsx", _xlsx)):
        rows = read(client.get(reverse("families:export_caseload", args=[file_format])))
        text = str(rows)
        assert CANARY_SURNAME in text
        assert "RESTRICTED-CANARY" not in text
        assert CANARY_STORY not in text


def test_a_formula_in_a_name_cannot_run(city, lead, client):
    factories.family(
        by=lead, team=city.team_a, given_name="=HYPERLINK(1)", family_name="+Sum"
    )
    client.force_login(lead)
    csv_rows = _csv(client.get(reverse("families:export_caseload", args=["csv"])))
    assert any(row[1].startswith("'=HYPERLINK(1)") for row in csv_rows)
    response = client.get(reverse("families:export_caseload", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2)]
    formula_like = [c for c in names if str(c.value).startswith("=HYPERLINK")]
    assert [c.data_type for c in formula_like] == ["s"]


def test_downloads_are_limited_to_ten_an_hour(lead_client):
    url = reverse("families:export_caseload", args=["csv"])
    assert [lead_client.get(url).status_code for _ in range(10)] == [200] * 10
    refused = lead_client.get(url)
    assert refused.status_code == 429
    assert "You can download it 10 times an hour" in refused.text
    assert AuditEvent.objects.filter(action="export_caseload").count() == 10


@pytest.mark.parametrize("persona", ["commissioner", "admin"])
def test_roles_without_families_cannot_download(city, client, persona):
    client.force_login(city.personas[persona])
    response = client.get(reverse("families:export_caseload", args=["csv"]))
    assert response.status_code == 403
    assert CANARY_SURNAME not in response.text


def test_an_unknown_format_is_not_found(lead_client):
    assert lead_client.get("/families/caseload.pdf").status_code == 404


def test_the_caseload_says_how_long_it_has_really_been(city, lead, client):
    from datetime import timedelta

    from django.utils import timezone

    from onestory.families import presenters

    today = timezone.localdate()
    seen = timezone.now() - timedelta(days=26 * 7 + 2)
    factories.contact(city.family, by=lead, notes="Seen at home.", when=seen)
    city.family.__class__.objects.filter(pk=city.family.pk).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    client.force_login(lead)
    body = client.get(reverse("families:my_caseload")).text
    day = timezone.localtime(seen).date()
    year = f" {day.year}" if day.year != today.year else ""
    assert f"No contact since {day.day} {day:%B}{year}, 26 weeks" in body
    rows = _csv(client.get(reverse("families:export_caseload", args=["csv"])))
    assert f"No contact since {day.day} {day:%B}{year}, 26 weeks" in rows[1][6]

    added_at = timezone.now() - timedelta(days=7)
    assert presenters.quiet_for(None, added_at, today) == (
        f"No contact since added on {(today - timedelta(days=7)).day} "
        f"{(today - timedelta(days=7)):%B}"
        + (
            f" {today.year - 1}"
            if (today - timedelta(days=7)).year != today.year
            else ""
        )
        + ", 1 week"
    )
