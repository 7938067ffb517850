"""A parent's pages and messages carry their area's names and contact, as its
administrator set them (accounts.LocalAuthority), not a bare "onestory" from
the service's own address; with nothing set, the area's own name."""

import re
from datetime import date

import pytest
from django.urls import reverse

from onestory.accounts.models import LocalAuthority
from onestory.measures import instruments, services
from tests import factories
from tests.conftest import CANARIES

SET = {
    "families_name": "Tamarside Family Hubs",
    "council_name": "Tamarside City Council",
    "contact_phone": "01632 960 001",
    "contact_email": "familyhubs@tamarside.example",
    "sender_name": "Tamarside Hubs Team",
    "sender_email": "hello@tamarside.example",
}
HEADER = re.compile(
    r'govuk-service-navigation__service-name">\s*<(a|span) [^>]*>([^<]*)</', re.S
)
TITLE = re.compile(r"<title>[^<]*\N{EN DASH} ([^<]*)</title>")


@pytest.fixture
def area(city):
    return LocalAuthority.objects.get(pk=city.council.local_authority_id)


@pytest.fixture
def filled_in(area):
    LocalAuthority.objects.filter(pk=area.pk).update(**SET)
    area.refresh_from_db()
    return area


def _send(city, client, lead):
    """A GAD-7 link sent by the lead practitioner: the path of the link."""
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    response = client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "GAD7", "address": "parent@example.org"},
    )
    assert response.status_code == 302
    client.logout()
    return factories.questionnaire_link_path()


def _named(body: str) -> tuple[str, str]:
    """The service name in the header and at the end of the title. On a
    family's page the name links nowhere: "/" is the staff sign-in."""
    header = HEADER.search(body)
    assert header[1] == "span", "the family's page links to the staff sign-in"
    return header[2].strip(), TITLE.search(body)[1]


def _shows_the_contact(body: str) -> bool:
    return all(
        text in body
        for text in (
            "Contact Tamarside Family Hubs (Tamarside City Council)",
            "Phone: 01632 960 001",
            'href="mailto:familyhubs@tamarside.example"',
        )
    )


def test_the_message_names_the_area_as_families_know_it_and_who_sent_it(
    city, lead, client, filled_in
):
    _send(city, client, lead)
    message = factories.queued_questionnaire_link()
    assert message.personalisation["area"] == "Tamarside Family Hubs"
    assert message.personalisation["practitioner"] == "Lena Lead"
    assert [c for c in CANARIES if c in str(message.personalisation)] == []


def test_with_nothing_set_the_message_names_the_area(city, lead, client, area):
    _send(city, client, lead)
    assert factories.queued_questionnaire_link().personalisation["area"] == "Tamarside"


def test_the_questionnaire_pages_carry_the_areas_name_and_contact(
    city, lead, client, filled_in
):
    path = _send(city, client, lead)
    form = client.get(path).text
    assert _named(form) == ("Tamarside Family Hubs", "Tamarside Family Hubs")
    assert _shows_the_contact(form)

    answers = {f"item_{n}": "1" for n in range(1, 8)}
    done = client.post(path, answers, follow=True).text
    assert "Answers sent" in done
    assert _named(done) == ("Tamarside Family Hubs", "Tamarside Family Hubs")
    assert _shows_the_contact(done)

    used = client.get(path)
    assert used.status_code == 404
    assert "This link cannot be used" in used.text
    assert _shows_the_contact(used.text)


def test_a_made_up_link_names_no_area(city, client, filled_in):
    body = client.get("/q/" + "A" * 43 + "/").text
    assert "This link cannot be used" in body
    assert _named(body) == ("onestory", "onestory")
    assert "Tamarside" not in body
    assert "01632" not in body


def test_with_nothing_set_the_pages_name_the_area(city, lead, client, area):
    path = _send(city, client, lead)
    body = client.get(path).text
    assert _named(body) == ("Tamarside", "Tamarside")
    assert "Talk to your family hub or the person who works with you at Tamarside." in (
        body
    )
    assert "Phone:" not in body


def test_the_feedback_pages_carry_the_areas_name_and_contact(city, client, filled_in):
    from onestory.accounts.models import Hub

    hub = Hub.objects.create(name="North Hub", organisation=city.council)
    link = reverse("programmes:give_feedback", args=[filled_in.pk])
    form = client.get(link).text
    assert _named(form) == ("Tamarside Family Hubs", "Tamarside Family Hubs")
    assert _shows_the_contact(form)
    thanks = client.post(
        link, {"hub": hub.pk, "text": "Lovely group.", "rating": "5"}, follow=True
    ).text
    assert "We have your feedback" in thanks
    assert _named(thanks) == ("Tamarside Family Hubs", "Tamarside Family Hubs")
    assert _shows_the_contact(thanks)


def _scored(city, lead):
    carer = city.family.members.get(role="parent_carer")
    for when, positions in [(date(2026, 9, 1), 2), (date(2026, 11, 1), 1)]:
        services.record_response(
            person=carer,
            instrument=instruments.get("GAD7"),
            answers={str(n): positions for n in range(1, 8)},
            completed_on=when,
            by=lead,
        )


def test_the_progress_sheet_says_who_to_contact_and_when_it_was_printed(
    city, lead, client, filled_in
):
    from django.utils import timezone

    from onestory.accounts.models import Hub

    hub = Hub.objects.create(
        name="Keyham Family Hub", organisation=city.council, postcode="PL2 1AA"
    )
    city.team_a.hub = hub
    city.team_a.save()
    _scored(city, lead)
    client.force_login(lead)
    sheet = client.get(
        reverse("measures:print_progress_sheet", args=[city.family.pk])
    ).text
    assert "Your progress" in sheet
    assert "Who to contact" in sheet
    assert f"{lead.full_name}, {lead.organisation}" in sheet
    assert lead.email in sheet
    assert "Keyham Family Hub, PL2 1AA" in sheet
    assert "Tamarside City Council<br>Phone: 01632 960 001<br>" in sheet
    today = timezone.localdate()
    assert f"Printed on {today.day} {today:%B %Y}." in sheet


def test_the_progress_sheet_with_nothing_set_has_no_empty_contact(
    city, lead, client, area
):
    _scored(city, lead)
    client.force_login(lead)
    sheet = client.get(
        reverse("measures:print_progress_sheet", args=[city.family.pk])
    ).text
    assert "Lena Lead, Test City Council" in sheet
    assert "Phone:" not in sheet
    assert '<dd class="govuk-summary-list__value"></dd>' not in sheet


def test_the_printed_plan_carries_the_areas_contact_too(city, lead_client, filled_in):
    plan = lead_client.get(reverse("support:print_plan", args=[city.family.pk])).text
    assert "Lena Lead, Test City Council" in plan
    assert '<dt class="govuk-summary-list__key">Tamarside Family Hubs</dt>' in plan
    assert "Email: familyhubs@tamarside.example" in plan
