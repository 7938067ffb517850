"""The staff side: giving an adult the family's own view, pausing it and
giving it back, and the lead deciding on the family's suggestions."""

import pytest
from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.families.models import PersonRole
from onestory.notify.models import Message
from onestory.parents.models import FamilyAccess, StorySuggestion, SuggestionStatus
from tests.parents.conftest import sign_in


def _url(name, family, *args):
    return reverse(f"parents:{name}", args=[family.pk, *args])


def test_the_lead_gives_an_adult_access_once_the_family_agrees(
    lead, lead_client, city, settings
):
    settings.PUBLIC_URL = "https://onestory.example.gov.uk"
    family = city.family
    carer = family.members.get(role=PersonRole.PARENT_CARER)
    page = lead_client.get(_url("family_view_access", family)).content.decode()
    assert "Not given" in page
    assert "Give access" in page
    refused = lead_client.post(
        _url("invite", family, carer.pk), {"address": "alex@example.com"}
    )
    assert "Ask the family first" in refused.content.decode()
    assert 'value="alex@example.com"' in refused.content.decode()
    done = lead_client.post(
        _url("invite", family, carer.pk),
        {"address": "alex@example.com", "family_agreed": "on"},
    )
    assert done.status_code == 302
    access = FamilyAccess.objects.get(person=carer)
    assert access.invited_by == lead
    message = Message.objects.get(kind="family_view_invitation")
    assert message.personalisation["link"] == (
        "https://onestory.example.gov.uk/your-family/sign-in/"
    )
    assert AuditEvent.objects.filter(action="invite_to_family_view").count() == 1
    again = lead_client.post(
        _url("invite", family, carer.pk),
        {"address": "alex@example.com", "family_agreed": "on"},
    )
    assert "They already have the family" in again.content.decode()


def test_a_child_cannot_be_given_access(lead_client, city):
    baby = city.family.members.get(role=PersonRole.BABY)
    response = lead_client.get(_url("invite", city.family, baby.pk))
    assert response.status_code == 404


def test_a_practitioner_outside_the_scope_reaches_nothing(
    city, family_personas, other_hub_practitioner_client
):
    client = other_hub_practitioner_client
    person = family_personas.this_parent.person
    for url in (
        _url("family_view_access", city.family),
        _url("pause", city.family, person.pk),
    ):
        assert client.get(url).status_code == 404
    assert client.post(_url("resume", city.family, person.pk)).status_code == 404


def test_another_familys_adult_is_not_found_through_this_family(
    lead_client, city, family_personas
):
    stranger = family_personas.another_familys_parent.person
    assert lead_client.get(_url("pause", city.family, stranger.pk)).status_code == 404


def test_pause_needs_a_reason_and_resume_gives_access_back(
    lead_client, client, city, family_personas
):
    adult = family_personas.this_parent
    url = _url("pause", city.family, adult.person.pk)
    refused = lead_client.post(url, {"reason": "  "})
    assert "Say why their access is paused" in refused.content.decode()
    assert lead_client.post(url, {"reason": "Safeguarding"}).status_code == 302
    adult.access.refresh_from_db()
    assert adult.access.paused
    page = lead_client.get(_url("family_view_access", city.family)).content.decode()
    assert "Paused" in page
    assert "Safeguarding" in page
    lead_client.post(_url("resume", city.family, adult.person.pk))
    adult.access.refresh_from_db()
    assert not adult.access.paused
    actions = list(
        AuditEvent.objects.filter(person_id=adult.person.pk)
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions[-2:] == ["pause_family_view", "resume_family_view"]


def _suggest(client, adult, text="We have moved to a flat near the park."):
    sign_in(client, adult)
    client.post("/your-family/story/suggest/", {"kind": "addition", "text": text})
    return StorySuggestion.objects.get(text=text)


def test_the_lead_adds_a_suggestion_to_the_story_as_the_parent_wrote_it(
    client, city, lead, family_personas, django_user_model
):
    adult = family_personas.this_parent
    suggestion = _suggest(client, adult)
    story = client.get("/your-family/story/").content.decode()
    assert "Waiting for your practitioner" in story
    client.cookies.clear()
    client.force_login(lead)
    staff_story = client.get(
        reverse("families:family_story", args=[city.family.pk])
    ).content.decode()
    assert "1 suggestion from the family is waiting" in staff_story
    response = client.post(
        _url("decide_suggestion", city.family, suggestion.pk), {"decision": "accept"}
    )
    assert response.status_code == 302
    latest = city.family.story_versions.order_by("-number").first()
    assert latest.text.endswith(
        f"Something to add, written by {adult.person.full_name} on "
        f"{suggestion.suggested_at:%-d %B %Y}:\nWe have moved to a flat near the park."
    )
    assert latest.written_by == lead
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert suggestion.story_version == latest
    client.logout()
    sign_in(client, family_personas.other_parent)
    seen = client.get("/your-family/story/").content.decode()
    assert "Added to your story" in seen
    assert "We have moved to a flat near the park." in seen


def test_only_the_lead_decides_and_only_once(
    client, city, lead, same_team_practitioner, family_personas
):
    suggestion = _suggest(client, family_personas.this_parent)
    client.cookies.clear()
    client.force_login(same_team_practitioner)
    url = _url("decide_suggestion", city.family, suggestion.pk)
    refused = client.post(url, {"decision": "accept"})
    assert "Only the family" in refused.content.decode()
    client.force_login(lead)
    assert client.post(url, {"decision": "talk_through"}).status_code == 302
    twice = client.post(url, {"decision": "accept"})
    assert "decided already" in twice.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.TALK_THROUGH
    assert city.family.story_versions.count() == 1


@pytest.mark.parametrize("missing", ["kind", "text"])
def test_a_suggestion_without_its_answers_keeps_what_was_typed(
    client, family_personas, missing
):
    sign_in(client, family_personas.this_parent)
    posted = {"kind": "correction", "text": "Our baby is called Robin"}
    del posted[missing]
    response = client.post("/your-family/story/suggest/", posted)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    if missing == "kind":
        assert "Our baby is called Robin" in body
    assert not StorySuggestion.objects.exists()


def test_the_same_suggestion_posted_twice_is_kept_once(client, family_personas):
    sign_in(client, family_personas.this_parent)
    posted = {"kind": "addition", "text": "We have a new flat"}
    client.post("/your-family/story/suggest/", posted)
    client.post("/your-family/story/suggest/", posted)
    assert StorySuggestion.objects.count() == 1
    client.post("/your-family/story/suggest/", {**posted, "text": "And a cat"})
    assert StorySuggestion.objects.count() == 2
