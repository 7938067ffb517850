"""Who sees an incident's families: a lawful emergency disclosure to those
who respond to it, while it is open (docs/incidents.md, "Who sees what").
Every page, every persona, with the canary family's surname as the marker."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.incidents import services
from onestory.incidents.models import Method, Outcome, WelfareCheck
from tests.conftest import CANARY_STORY, CANARY_SURNAME, _signed_in
from tests.factories import checked_radio

pytestmark = pytest.mark.security_case(46)


def _pages(incident, check, centre):
    pk = incident.pk
    return {
        "incident": reverse("incidents:incident", args=[pk]),
        "families": reverse("incidents:families", args=[pk]),
        "export": reverse("incidents:export", args=[pk]),
        "print": reverse("incidents:print", args=[pk]),
        "my_checks": reverse("incidents:my_checks", args=[pk]),
        "check": reverse("incidents:welfare_check", args=[pk, check.pk]),
        "rest_centres": reverse("incidents:rest_centres", args=[pk]),
        "check_in": reverse("incidents:check_in", args=[pk, centre.pk])
        + f"?q={CANARY_SURNAME}",
        "report": reverse("incidents:report", args=[pk]),
    }


@pytest.fixture
def scene(city, keyham, incident):
    check = WelfareCheck.objects.get(incident=incident, family=city.family)
    centre = services.open_rest_centre(
        incident=incident, name="Life Centre", postcode="", by=keyham.lead
    )
    return incident, check, centre


def _client(user):
    return _signed_in(Client(), user)


# (persona, page) -> status while open. The city's family's lead is given its
# check; staff assigned to the incident see every family in it.
RESPONDER_PAGES = {
    "incident",
    "families",
    "export",
    "print",
    "my_checks",
    "check",
    "rest_centres",
    "check_in",
    "report",
}


@pytest.fixture
def who(keyham, lead, other_hub_practitioner, commissioner, admin):
    return {
        "emergency lead": keyham.lead,
        "assigned responder": keyham.responder,
        "the family's lead": lead,
        "another hub's practitioner": other_hub_practitioner,
        "commissioner": commissioner,
        "administrator": admin,
    }


EXPECTED = {
    "emergency lead": dict.fromkeys(RESPONDER_PAGES, 200),
    "assigned responder": dict.fromkeys(RESPONDER_PAGES, 200),
    # Their own check, and its incident's summary; not the whole list.
    "the family's lead": {
        **dict.fromkeys(RESPONDER_PAGES, 404),
        "incident": 200,
        "my_checks": 200,
        "check": 200,
    },
    "another hub's practitioner": dict.fromkeys(RESPONDER_PAGES, 404),
    "commissioner": dict.fromkeys(RESPONDER_PAGES, 404),
    "administrator": dict.fromkeys(RESPONDER_PAGES, 404),
}


def test_every_page_for_every_persona_while_open(who, scene):
    pages = _pages(*scene)
    seen = {}
    for persona, user in who.items():
        client = _client(user)
        for page, url in pages.items():
            response = client.get(url)
            seen[persona, page] = response.status_code
            if response.status_code != 200:
                assert CANARY_SURNAME.encode() not in response.content, (persona, page)
    expected = {
        (persona, page): status
        for persona, statuses in EXPECTED.items()
        for page, status in statuses.items()
    }
    assert {k: v for k, v in seen.items() if expected[k] != v} == {}


def test_the_family_shows_where_it_is_allowed_and_only_the_fields_a_check_needs(
    city, keyham, scene
):
    pages = _pages(*scene)
    client = _client(keyham.responder)
    assert 'href="tel:07700900026"' in client.get(pages["check"]).text
    for page in ("families", "print", "check", "check_in"):
        body = client.get(pages[page]).text
        assert CANARY_SURNAME in body, page
        # Never the story, the NHS number or a note.
        assert CANARY_STORY not in body, page
        assert city.family.members.get(role="parent_carer").nhs_number not in body


def test_the_other_local_authority_sees_nothing(elsewhere, scene):
    pages = _pages(*scene)
    client = _client(elsewhere.practitioner)
    for page, url in pages.items():
        assert client.get(url).status_code == 404, page


def test_at_stand_down_access_ends_and_the_report_stays(keyham, lead, scene):
    incident, _check, _centre = scene
    pages = _pages(*scene)
    services.stand_down(incident=incident, by=keyham.lead)
    for user in (keyham.lead, keyham.responder, lead):
        client = _client(user)
        for page in (
            "families",
            "export",
            "print",
            "my_checks",
            "check",
            "rest_centres",
            "check_in",
        ):
            response = client.get(pages[page])
            assert response.status_code in (404, 410), (user, page)
            assert CANARY_SURNAME.encode() not in response.content
    body = _client(keyham.lead).get(pages["report"]).text
    assert "Report for learning" in body
    assert CANARY_SURNAME not in body


def test_each_view_is_audited_with_the_incident_and_its_families(city, keyham, scene):
    incident, _check, _centre = scene
    pages = _pages(*scene)
    client = _client(keyham.responder)
    client.get(pages["families"])
    listed = AuditEvent.objects.filter(action="list_incident_families").latest(
        "sequence"
    )
    assert listed.detail["incident"] == str(incident.pk)
    assert str(city.family.pk) in listed.detail["family_ids"]
    client.get(pages["check"])
    opened = AuditEvent.objects.filter(action="view_welfare_check").latest("sequence")
    assert opened.family_id == city.family.pk
    assert opened.detail["incident"] == str(incident.pk)
    client.get(pages["print"])
    printed = AuditEvent.objects.filter(action="print_incident_list").latest("sequence")
    assert str(city.family.pk) in printed.detail["family_ids"]
    client.get(pages["export"])
    exported = AuditEvent.objects.filter(action="export_incident_list").latest(
        "sequence"
    )
    assert str(city.family.pk) in exported.detail["family_ids"]


def test_the_csv_is_formula_safe_and_holds_only_the_minimum(city, keyham, scene):
    carer = city.family.members.get(role="parent_carer")
    carer.given_name = '=HYPERLINK("http://x")'
    carer.save(update_fields=["given_name"])
    response = _client(keyham.lead).get(_pages(*scene)["export"])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Order", "Family", "Address", "Postcode"]
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith("=") for cell in cells)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert carer.nhs_number not in response.content.decode()


def test_the_assignee_records_a_try_on_their_own_check(lead, scene):
    incident, check, _centre = scene
    client = _client(lead)
    url = reverse("incidents:welfare_check", args=[incident.pk, check.pk])
    response = client.post(url, {"method": Method.PHONE, "outcome": Outcome.NO_ANSWER})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.attempts == 1
    # A post with no outcome keeps what was chosen and says what is missing.
    response = client.post(url, {"method": Method.VISIT})
    assert response.status_code == 200
    assert "Select what happened" in response.text
    assert checked_radio(response.text, "method") == Method.VISIT


def test_checking_in_at_a_rest_centre_by_post(keyham, other_hub_practitioner, scene):
    incident, check, centre = scene
    url = reverse("incidents:check_in", args=[incident.pk, centre.pk])
    client = _client(keyham.responder)
    response = client.post(url, {"check": str(check.pk)})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.rest_centre == centre
    assert check.reached_at is not None
    # A posted reference that is not one finds nothing.
    assert client.post(url, {"check": "not-a-reference"}).status_code == 404
    # Someone only given checks of their own cannot check families in.
    other = WelfareCheck.objects.get(incident=incident, family=keyham.due)
    response = _client(other_hub_practitioner).post(url, {"check": str(other.pk)})
    assert response.status_code == 404


def test_the_learning_log_after_stand_down(keyham, scene):
    incident, _check, _centre = scene
    services.stand_down(incident=incident, by=keyham.lead)
    url = reverse("incidents:report", args=[incident.pk])
    client = _client(keyham.lead)
    response = client.post(url, {"question": "How fast did we reach them?"})
    assert response.status_code == 200
    assert "Enter what you tried" in response.text
    assert "How fast did we reach them?" in response.text  # kept
    answers = {
        "question": "How fast did we reach them?",
        "tried": "Lead practitioners phoned their own families first.",
        "noticed": "Families answered a voice they knew.",
        "next_steps": "Keep phone numbers up to date.",
    }
    assert client.post(url, answers).status_code == 302
    body = client.get(url).text
    assert "Families answered a voice they knew." in body
    event = AuditEvent.objects.filter(action="record_learning").latest("sequence")
    assert event.detail["incident"] == str(incident.pk)
