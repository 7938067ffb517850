import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from onestory.core.models import AuditEvent
from tests import factories

PASSWORD = "correct horse battery staple"


def _sign_in(client, email, password=PASSWORD, next_url=""):
    return client.post(
        reverse("accounts:sign_in"),
        {"email": email, "password": password, "next": next_url},
    )


def _code(client, user):
    return client.post(
        reverse("accounts:second_factor"), {"code": factories.current_code(user)}
    )


def test_signing_in_goes_to_the_caseload(client, lead):
    response = _sign_in(client, lead.email.upper())
    assert response["Location"] == reverse("accounts:second_factor")
    assert AuditEvent.objects.filter(action="sign_in").count() == 0
    response = _code(client, lead)
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).request[
        "PATH_INFO"
    ] == reverse("families:my_caseload")
    assert AuditEvent.objects.filter(action="sign_in", actor=lead).count() == 1


@pytest.mark.parametrize(
    "case", ["wrong password", "unknown email", "disabled account"]
)
def test_every_failed_sign_in_gets_the_same_answer(client, lead, case):
    email, password = lead.email, PASSWORD
    if case == "wrong password":
        password = "not the password at all"
    elif case == "unknown email":
        email = "nobody@test.onestory.example"
    else:
        lead.is_active = False
        lead.save()
    response = _sign_in(client, email, password)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct email address and password" in body
    assert f'value="{email}"' in body  # what was typed is kept, except the password
    assert password not in body
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 1


def test_empty_sign_in_form_says_what_to_enter(client, db):
    body = client.post(
        reverse("accounts:sign_in"), {"email": "", "password": ""}
    ).content.decode()
    assert "Enter your email address" in body
    assert "Enter your password" in body


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_sign_in_never_redirects_off_site(client, lead, target):
    _sign_in(client, lead.email, next_url=target)
    assert _code(client, lead)["Location"] == "/"


def test_sign_in_returns_to_the_page_asked_for(client, lead, city):
    target = reverse("families:family_record", args=[city.family.pk])
    _sign_in(client, lead.email, next_url=target)
    assert _code(client, lead)["Location"] == target


@pytest.mark.security_case(12)
def test_session_id_changes_at_the_password_and_again_at_the_code(client, lead):
    client.get(reverse("accounts:sign_in"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen-session-id"
    _sign_in(client, lead.email)
    after_password = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_password != "attacker-chosen-session-id"
    _code(client, lead)
    assert client.cookies[settings.SESSION_COOKIE_NAME].value not in (
        after_password,
        "attacker-chosen-session-id",
    )


@pytest.mark.security_case(19)
def test_sign_out_is_a_post_and_ends_the_session(client, lead):
    client.force_login(lead)
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    response = client.post(reverse("accounts:sign_out"))
    assert response["Location"] == reverse("accounts:signed_out")
    assert client.get(reverse("families:my_caseload")).status_code == 302
    assert AuditEvent.objects.filter(action="sign_out", actor=lead).count() == 1


def test_an_idle_session_ends_after_the_timeout(client, lead):
    with time_machine.travel("2026-11-26 09:00Z", tick=False) as clock:
        client.force_login(lead)
        url = reverse("families:my_caseload")
        assert client.get(url).status_code == 200
        clock.shift(29 * 60)
        assert client.get(url).status_code == 200  # activity renews the session
        clock.shift(31 * 60)
        assert client.get(url).status_code == 302


def test_the_idle_timeout_defaults_to_30_minutes():
    assert settings.SESSION_IDLE_TIMEOUT_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 30 * 60


@pytest.mark.security_case(13)
def test_a_disabled_account_is_signed_out_on_its_next_request(client, lead):
    client.force_login(lead)
    lead.is_active = False
    lead.save()
    assert client.get(reverse("families:my_caseload")).status_code == 302


def test_passwords_are_hashed_with_argon2id_in_production_settings():
    from onestory.config import settings as production

    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        assert make_password("a long passphrase").startswith("argon2$argon2id$")
