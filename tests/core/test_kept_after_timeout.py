"""A form posted after the idle timeout keeps what was typed: after signing in
again the user is back on the form with their text, and no one else ever sees
it (core.kept_posts)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onestory.families.models import StoryVersion

TYPED = "We have had a hard week but the baby is feeding better now"


def _time_out(client):
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )


def _post_after_timeout(city, client, lead):
    client.force_login(lead)
    url = reverse("families:edit_story", args=[city.family.pk])
    latest = city.family.story_versions.order_by("-number").first()
    _time_out(client)
    response = client.post(url, {"text": TYPED, "based_on": latest.number})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("accounts:sign_in")
    target = parse_qs(location.query)["next"][0]
    assert target.startswith(f"{url}?kept=")
    return url, target


def test_the_text_of_a_post_after_the_timeout_is_back_after_signing_in(
    city, lead, client
):
    before = StoryVersion.objects.count()
    url, target = _post_after_timeout(city, client, lead)
    assert StoryVersion.objects.count() == before  # nothing saved unseen
    assert TYPED not in client.get(reverse("accounts:sign_in")).content.decode()
    client.force_login(lead)  # signed in again
    page = client.get(target).content.decode()
    assert TYPED in page
    assert "<textarea" in page
    # Kept briefly and used once: it is gone afterwards.
    assert TYPED not in client.get(target).content.decode()
    assert TYPED not in client.get(url).content.decode()


def test_another_user_signing_in_with_the_link_never_gets_the_text(
    city, same_team_practitioner, lead, client
):
    _, target = _post_after_timeout(city, client, lead)
    other = Client()
    other.force_login(same_team_practitioner)
    page = other.get(target)
    assert page.status_code == 200
    assert TYPED not in page.content.decode()
    # Still there for the person who typed it.
    client.force_login(lead)
    assert TYPED in client.get(target).content.decode()


def test_a_post_only_address_sends_them_back_to_the_page_of_the_form(
    city, lead, client
):
    client.force_login(lead)
    plan = reverse("support:show_plan", args=[city.family.pk])
    _time_out(client)
    response = client.post(
        reverse("support:add_goal", args=[city.family.pk]),
        {"goal": "Go to the baby group on Tuesdays"},
        HTTP_REFERER=f"http://testserver{plan}",
    )
    target = parse_qs(urlsplit(response["Location"]).query)["next"][0]
    assert target.startswith(f"{plan}?kept=")
    client.force_login(lead)
    assert "Go to the baby group on Tuesdays" in client.get(target).content.decode()


def test_passwords_are_never_kept(lead_client):
    _time_out(lead_client)
    response = lead_client.post(
        reverse("accounts:change_password"),
        {"current_password": "secret-one", "new_password": "secret-two"},
    )
    assert response.status_code == 302
    assert "kept" not in response["Location"]  # nothing else was typed


def test_nothing_is_kept_when_the_timed_out_session_names_nobody(
    city, lead, same_team_practitioner, client
):
    """A session row that is gone (signed out, cleared) names no owner: the
    text is not kept, so no one else on the browser can be given it."""
    client.force_login(lead)
    url = reverse("families:edit_story", args=[city.family.pk])
    latest = city.family.story_versions.order_by("-number").first()
    Session.objects.filter(session_key=client.session.session_key).delete()
    response = client.post(url, {"text": TYPED, "based_on": latest.number})
    assert response.status_code == 302
    assert "kept" not in response["Location"]
    other = Client()
    other.force_login(same_team_practitioner)
    assert TYPED not in other.get(url).content.decode()
