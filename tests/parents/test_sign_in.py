"""Signing in to the family's own view: a single-use link to the adult's own
email address or mobile number, 15 minutes, then their date of birth; a
session with its own cookie and idle timeout."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.notify.models import Message
from onestory.parents import domain
from onestory.parents.models import FamilySession, SignInLink
from onestory.parents.pages import cookie_name
from tests.parents.conftest import latest_link, sign_in


def _dob(person, **change):
    dob = person.date_of_birth.replace(**change)
    return {
        "date_of_birth_0": dob.day,
        "date_of_birth_1": dob.month,
        "date_of_birth_2": dob.year,
    }


def test_an_invitation_says_where_to_sign_in_and_carries_nothing_clinical(
    family_personas,
):
    invitation = Message.objects.get(
        reference=f"family-view-invitation:{family_personas.this_parent.access.pk}"
    )
    assert invitation.kind == "family_view_invitation"
    assert invitation.to == "alex@example.com"
    assert invitation.personalisation == {
        "link": "http://testserver/your-family/sign-in/",
        "area": invitation.personalisation["area"],
        "practitioner": "Lena Lead",
    }
    texted = Message.objects.get(
        reference=f"family-view-invitation:{family_personas.other_parent.access.pk}"
    )
    assert (texted.channel, texted.to) == ("sms", "07700900111")


def test_a_parent_signs_in_with_the_link_and_their_date_of_birth(
    client, family_personas
):
    adult = family_personas.this_parent
    page = client.get("/your-family/")
    assert page.status_code == 302
    assert page["Location"] == "/your-family/sign-in/"
    response = client.post("/your-family/sign-in/", {"address": "ALEX@example.com "})
    assert response["Location"] == "/your-family/sign-in/sent/"
    token = latest_link(adult.access)
    form = client.get(f"/your-family/sign-in/{token}/")
    assert "What is your date of birth?" in form.content.decode()
    response = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person))
    assert response["Location"] == "/your-family/"
    cookie = response.cookies[cookie_name()]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    home = client.get("/your-family/").content.decode()
    assert "Your family" in home
    assert "Lena Lead" in home
    # The session is stored only as its key's hash.
    session = FamilySession.objects.get(access=adult.access)
    assert session.key_hash == domain.hash_secret(cookie.value)
    signed_in = AuditEvent.objects.get(action="family_sign_in")
    assert signed_in.actor is None
    assert signed_in.actor_roles == "family member"
    assert signed_in.detail["family_member"] == str(adult.person.pk)


def test_a_mobile_number_is_found_however_it_is_typed(client, family_personas):
    client.post("/your-family/sign-in/", {"address": "+44 7700 900111"})
    assert SignInLink.objects.filter(
        access=family_personas.other_parent.access
    ).exists()


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_sent(
    client, family_personas
):
    before = Message.objects.count()
    response = client.post("/your-family/sign-in/", {"address": "nobody@example.com"})
    assert response["Location"] == "/your-family/sign-in/sent/"
    assert Message.objects.count() == before


def test_what_is_not_an_address_is_refused_keeping_what_was_typed(client, db):
    response = client.post("/your-family/sign-in/", {"address": "01752 123"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'value="01752 123"' in body


@pytest.mark.security_case(41)
def test_a_link_works_once(client, family_personas):
    adult = family_personas.this_parent
    client.post("/your-family/sign-in/", {"address": adult.address})
    token = latest_link(adult.access)
    client.post(f"/your-family/sign-in/{token}/", _dob(adult.person))
    client.cookies.clear()
    again = client.get(f"/your-family/sign-in/{token}/")
    assert again.status_code == 404
    assert "This link cannot be used" in again.content.decode()
    posted = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person))
    assert posted.status_code == 404
    assert cookie_name() not in posted.cookies
    assert FamilySession.objects.filter(access=adult.access).count() == 1


@pytest.mark.security_case(41)
def test_three_wrong_dates_of_birth_spend_the_link(client, family_personas):
    adult = family_personas.this_parent
    client.post("/your-family/sign-in/", {"address": adult.address})
    token = latest_link(adult.access)
    first = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person, day=1))
    assert "You have 2 more tries" in first.content.decode()
    second = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person, day=2))
    assert "You have 1 more try" in second.content.decode()
    third = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person, day=3))
    assert third.status_code == 404
    right = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person))
    assert right.status_code == 404
    assert not FamilySession.objects.filter(access=adult.access).exists()
    assert (
        AuditEvent.objects.filter(
            action="family_sign_in_refused", detail__reason="wrong date of birth"
        ).count()
        == 3
    )


@pytest.mark.security_case(42)
def test_a_link_expires_after_15_minutes(client, family_personas):
    adult = family_personas.this_parent
    client.post("/your-family/sign-in/", {"address": adult.address})
    token = latest_link(adult.access)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person))
    assert response.status_code == 404
    assert not FamilySession.objects.exists()


@pytest.mark.security_case(42)
def test_a_session_ends_after_20_minutes_unused(client, family_personas):
    sign_in(client, family_personas.this_parent)
    with time_machine.travel(timezone.now() + timedelta(minutes=15)):
        assert client.get("/your-family/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=36)):
        response = client.get("/your-family/")
    assert response.status_code == 302
    assert response["Location"] == "/your-family/sign-in/"


@pytest.mark.security_case(41)
def test_a_link_sent_to_an_old_address_stops_working_when_it_changes(
    client, family_personas
):
    adult = family_personas.this_parent
    client.post("/your-family/sign-in/", {"address": adult.address})
    token = latest_link(adult.access)
    access = adult.access
    access.address, access.address_key = (
        "new@example.com",
        domain.address_key("email", "new@example.com"),
    )
    access.save()
    response = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person))
    assert response.status_code == 404


@pytest.mark.security_case(14)
def test_links_are_limited_per_adult_with_the_same_answer(client, family_personas):
    adult = family_personas.this_parent
    for _ in range(domain.LINKS_PER_ADULT + 2):
        response = client.post("/your-family/sign-in/", {"address": adult.address})
        assert response["Location"] == "/your-family/sign-in/sent/"
    assert (
        SignInLink.objects.filter(access=adult.access).count() == domain.LINKS_PER_ADULT
    )


def test_signing_out_ends_the_session(client, family_personas):
    sign_in(client, family_personas.this_parent)
    key = client.cookies[cookie_name()].value
    response = client.post("/your-family/sign-out/")
    assert response["Location"] == "/your-family/signed-out/"
    client.cookies[cookie_name()] = key  # the old cookie, kept by an attacker
    assert client.get("/your-family/").status_code == 302
    assert AuditEvent.objects.filter(action="family_sign_out").count() == 1


@pytest.mark.security_case(45)
def test_a_paused_adult_is_told_only_that_access_is_paused(client, family_personas):
    adult = family_personas.paused_parent
    client.post("/your-family/sign-in/", {"address": adult.address})
    token = latest_link(adult.access)
    response = client.post(f"/your-family/sign-in/{token}/", _dob(adult.person))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Your access is paused" in body
    assert "Asked us to" not in body  # the reason is for staff
    assert cookie_name() not in response.cookies


@pytest.mark.security_case(45)
def test_pausing_signs_the_adult_out_at_once(client, family_personas, lead):
    from onestory.parents import services

    adult = family_personas.this_parent
    sign_in(client, adult)
    assert client.get("/your-family/story/").status_code == 200
    services.pause(
        access=adult.access,
        reason="Safeguarding",
        by=lead,
    )
    assert client.get("/your-family/story/").status_code == 302
