"""Subject access: everything held about one person, third-party content flagged,
who it was shared with and who accessed it; for IG leads only; audited (R42)."""

import json
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.families.models import PersonRole
from tests import factories
from tests.conftest import CANARY_NHS_NUMBER


@pytest.fixture
def ig_lead(city):
    return factories.staff("Iona Governance", city.council, Role.INFORMATION_GOVERNANCE)


@pytest.fixture
def record(city, lead):
    """The canary carer's record, with a partner and a contact note."""
    from onestory.families import services as family_services

    family_services.add_member(
        family=city.family,
        details=family_services.PersonDetails(
            role=PersonRole.PARENT_CARER,
            given_name="PARTNER-CANARY",
            family_name="Zzcanaryson",
            date_of_birth=date(1990, 1, 1),
        ),
        by=lead,
    )
    factories.contact(
        city.family,
        by=lead,
        notes="NOTE-CANARY talked about sleep",
        restricted=True,
        when=datetime(2026, 11, 2, 10, tzinfo=UTC),
    )
    other = factories.family(by=lead, team=city.team_a, family_name="Elsewhereson")
    return other


def _export(client, **fields):
    return client.post(reverse("families:subject_access"), fields)


def test_everything_held_about_the_person_with_third_parties_flagged(
    client, city, lead, ig_lead, record
):
    client.force_login(lead)
    client.get(reverse("families:family_record", args=[city.family.pk]))
    client.force_login(ig_lead)
    response = _export(client, nhs_number=CANARY_NHS_NUMBER, format="json")
    assert "attachment" in response["Content-Disposition"]
    export = json.loads(response.content)
    sections = {s["title"]: s["items"] for s in export["sections"]}
    text = json.dumps(export)
    assert export["subject"]["nhs_number"] == CANARY_NHS_NUMBER
    about = {i["what"]: i["text"] for i in sections["About you"]}
    assert about["Phone number"] == "07700 900026"
    assert about["NHS number"] == CANARY_NHS_NUMBER
    assert "CANARY-STORY" in text  # the story
    assert "NOTE-CANARY" in text  # the contact note, even though restricted
    assert "Elsewhereson" not in text  # nothing from another family
    household = sections["Other people in your household"]
    partner = next(i for i in household if "PARTNER-CANARY" in i["text"])
    assert all(i["third_party"] for i in household)
    assert partner["what"] == "Parent or carer"
    note = next(
        i for i in sections["Support for your family"] if "NOTE-CANARY" in i["text"]
    )
    assert note["third_party"].startswith("Restricted note")
    assert all(i["third_party"] for i in sections["Your family's story"])
    shared = " ".join(
        i["what"] for i in sections["Who your information was shared with"]
    )
    assert "Test Harbour Families" in shared  # the consent to share
    accessed = sections["Who has looked at or changed your family's record"]
    assert any(i["what"] == "Opened the family record" for i in accessed)
    event = AuditEvent.objects.get(action="subject_access")
    assert (event.family_id, event.actor) == (city.family.pk, ig_lead)


def test_the_page_shows_it_and_flags_review(client, city, ig_lead, record):
    client.force_login(ig_lead)
    page = _export(client, nhs_number=CANARY_NHS_NUMBER).text
    assert "Download it all (JSON)" in page
    assert "Review" in page
    assert "PARTNER-CANARY" in page


def test_an_unknown_person_or_an_empty_form_says_so(client, city, ig_lead):
    client.force_login(ig_lead)
    assert (
        "No one in onestory matches" in _export(client, nhs_number="999 000 0042").text
    )
    assert (
        "Enter the NHS number or the person reference"
        in _export(client, nhs_number="").text
    )
    assert not AuditEvent.objects.filter(action="subject_access").exists()


@pytest.mark.parametrize(
    "persona", ["lead_practitioner", "team_manager", "commissioner", "admin"]
)
def test_only_ig_leads_produce_subject_access(client, city, persona):
    client.force_login(city.personas[persona])
    assert _export(client, nhs_number=CANARY_NHS_NUMBER).status_code == 403
