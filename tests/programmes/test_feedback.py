"""Families' feedback (issue 6): anonymous, quoted only with consent, filterable
by programme and hub; staff record what was said in person, with themes."""

import re

import pytest
from django.urls import reverse

from onestory.accounts.models import Hub
from onestory.core.models import AuditEvent
from onestory.programmes.models import Feedback, FeedbackTheme
from tests import factories


@pytest.fixture
def hubs(city):
    return (
        Hub.objects.create(name="North Hub", organisation=city.council),
        Hub.objects.create(name="South Hub", organisation=city.council),
    )


def _link(area) -> str:
    return reverse("programmes:give_feedback", args=[area.local_authority_id])


def _give(client, area=None, **fields):
    """Post the public form through the link of `area` (the test city's council
    unless another organisation is named)."""
    if area is None:
        from onestory.accounts.models import Organisation

        area = Organisation.objects.filter(name="Test City Council").first()
        area = area or factories.organisation("Test City Council")
    return client.post(_link(area), fields)


def _checked(team_manager):
    """A team manager has read every consented quote and shown it."""
    from django.utils import timezone

    Feedback.objects.filter(consent_to_quote=True).update(
        quote_shown=True,
        quote_checked_at=timezone.now(),
        quote_checked_by=team_manager,
    )


def test_a_family_gives_feedback_without_signing_in_and_it_is_quoted_with_consent(
    city, lead, team_manager, client, hubs
):
    massage = factories.programme("Baby massage", delivery="group")
    response = _give(
        client,
        hub=hubs[0].pk,
        programme=massage.pk,
        text="The group got me out of the house. I made friends.",
        rating="5",
        consent_to_quote="on",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "programmes:feedback_thanks", args=[city.council.local_authority_id]
    )
    _give(client, hub=hubs[0].pk, text="PRIVATE-CANARY please do not share this")
    _checked(team_manager)
    feedback = Feedback.objects.get(consent_to_quote=True)
    assert (feedback.source, feedback.rating, feedback.recorded_by) == (
        "family",
        5,
        None,
    )
    client.force_login(lead)
    page = client.get(reverse("programmes:quotes")).text
    assert "The group got me out of the house." in page
    assert "Baby massage, North Hub" in page
    assert "PRIVATE-CANARY" not in page


def test_quotes_filter_by_programme_and_hub(
    city, commissioner, team_manager, client, hubs
):
    massage = factories.programme("Baby massage", delivery="group")
    bbb = factories.programme("Building Babies Brains", delivery="group")
    for hub, programme, text in [
        (hubs[0], massage, "NORTH-MASSAGE"),
        (hubs[1], massage, "SOUTH-MASSAGE"),
        (hubs[0], bbb, "NORTH-BBB"),
    ]:
        _give(
            client, hub=hub.pk, programme=programme.pk, text=text, consent_to_quote="on"
        )
    _checked(team_manager)
    client.force_login(commissioner)
    page = client.get(
        reverse("programmes:quotes"), {"hub": hubs[0].pk, "programme": massage.pk}
    ).text
    assert "NORTH-MASSAGE" in page
    assert "SOUTH-MASSAGE" not in page
    assert "NORTH-BBB" not in page


def test_staff_record_feedback_given_in_person_with_themes(
    city, lead, team_manager, client, hubs
):
    theme = FeedbackTheme.objects.get_or_create(name="Feeling listened to")[0]
    client.force_login(lead)
    response = client.post(
        reverse("programmes:record_feedback"),
        {
            "hub": hubs[1].pk,
            "about_practitioner": "on",
            "text": "She never made me feel judged.",
            "consent_to_quote": "on",
            "themes": [theme.pk],
        },
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.recorded_by) == ("verbal", lead)
    assert list(feedback.themes.all()) == [theme]
    assert AuditEvent.objects.filter(action="record_feedback").exists()
    _checked(team_manager)
    assert (
        "Themes: Feeling listened to" in client.get(reverse("programmes:quotes")).text
    )


def test_feedback_needs_words_and_keeps_what_was_typed(client, db):
    response = _give(client, text="", rating="4", consent_to_quote="on")
    assert response.status_code == 200
    assert "Enter what you would like to tell us" in response.text
    assert re.search(r'name="rating" value="4"[^>]*checked', response.text)


def test_feedback_from_one_address_is_limited(client, db):
    statuses = [_give(client, text=f"Note {n}").status_code for n in range(11)]
    assert statuses == [302] * 10 + [429]
    assert Feedback.objects.count() == 10


def test_quotes_from_another_local_authority_are_not_shown(
    city, lead, team_manager, client, elsewhere
):
    far = Hub.objects.create(name="Moor Hub", organisation=elsewhere.council)
    _give(
        client,
        elsewhere.council,
        hub=far.pk,
        text="FAR-AWAY-QUOTE",
        consent_to_quote="on",
    )
    _checked(team_manager)
    client.force_login(lead)
    assert "FAR-AWAY-QUOTE" not in client.get(reverse("programmes:quotes")).text


def test_a_quote_is_shown_only_after_a_team_manager_reads_it(
    lead, team_manager, client, hubs
):
    _give(
        client, hub=hubs[0].pk, text="Jo at the hub was lovely", consent_to_quote="on"
    )
    _give(
        client,
        hub=hubs[0].pk,
        text="SHOWN-QUOTE the group helped",
        consent_to_quote="on",
    )
    named, fine = Feedback.objects.order_by("given_at")
    client.force_login(lead)
    assert "the group helped" not in client.get(reverse("programmes:quotes")).text
    check = reverse("programmes:check_quotes")
    assert client.get(check).status_code == 403
    client.force_login(team_manager)
    assert "2 quotes waiting" in client.get(reverse("programmes:quotes")).text
    client.post(check, {"feedback": named.pk, "decision": "hide"})
    client.post(check, {"feedback": fine.pk, "decision": "show"})
    page = client.get(reverse("programmes:quotes")).text
    assert "SHOWN-QUOTE the group helped" in page
    assert "Jo at the hub" not in page
    assert "quotes waiting" not in page
    named.refresh_from_db()
    assert (named.quote_shown, named.quote_checked_by) == (
        False,
        team_manager,
    )


def test_hidden_characters_are_removed_and_a_null_is_refused(client, db):
    refused = _give(client, text="Thank you\x00")
    assert "Null characters are not allowed" in refused.text
    _give(client, text="  Thank you\u200b  ")
    assert Feedback.objects.get().text == "Thank you"


def test_a_local_authoritys_link_offers_only_its_own_hubs(city, client, elsewhere):
    Hub.objects.create(name="Harbour Hub", organisation=city.council)
    far = Hub.objects.create(name="Moor Hub", organisation=elsewhere.council)
    page = client.get(_link(city.council)).text
    assert "Harbour Hub" in page
    assert "Moor Hub" not in page
    # Another area's hub cannot be posted through this link either.
    refused = _give(client, hub=far.pk, text="Lovely group")
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.text
    assert not Feedback.objects.exists()
    assert "Moor Hub" in client.get(_link(elsewhere.council)).text


def test_staff_are_given_their_areas_feedback_link(city, lead_client):
    page = lead_client.get(reverse("programmes:record_feedback")).text
    assert f"http://testserver{_link(city.council)}" in page
