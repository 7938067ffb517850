"""Two-factor sign-in: TOTP (RFC 6238) after the password, set up at the first
sign-in, with recovery codes; replay refused; throttled (security.md R9, R11,
R13, R14; cases 12, 14, 15, 16)."""

import base64
import re
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onestory.accounts import totp
from onestory.accounts.models import Authenticator, RecoveryCode
from onestory.accounts.services import check_second_factor
from onestory.core.models import AuditEvent
from tests import factories

PASSWORD = "correct horse battery staple"
RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize(
    ("unix_time", "code"),
    [(59, "287082"), (1111111109, "081804"), (1234567890, "005924")],
)
def test_codes_match_the_rfc_6238_test_vectors(unix_time, code):
    # RFC 6238 appendix B, SHA-1, the last six of its eight digits.
    assert totp.code_for(RFC_SECRET, totp.step_at(unix_time)) == code


def test_a_code_is_accepted_one_step_either_side_and_never_twice():
    now = 1_800_000_000
    step = totp.step_at(now)
    for drift in (-1, 0, 1):
        code = totp.code_for(RFC_SECRET, step + drift)
        assert totp.matching_step(RFC_SECRET, code, now, None) == step + drift
    old = totp.code_for(RFC_SECRET, step - 4)  # two minutes ago
    assert totp.matching_step(RFC_SECRET, old, now, None) is None
    used = totp.code_for(RFC_SECRET, step)
    assert totp.matching_step(RFC_SECRET, used, now, last_used_step=step) is None
    assert totp.matching_step(RFC_SECRET, "12 34 5", now, None) is None
    assert totp.matching_step(RFC_SECRET, "abcdef", now, None) is None


def test_the_qr_code_address_names_the_service_and_account():
    uri = totp.provisioning_uri("ABCD", "lena@example.org", "onestory")
    assert uri.startswith("otpauth://totp/onestory%3Alena%40example.org?")
    assert "secret=ABCD" in uri
    assert "issuer=onestory" in uri


def _password(client, user, password=PASSWORD):
    return client.post(
        reverse("accounts:sign_in"), {"email": user.email, "password": password}
    )


def _code(client, code):
    return client.post(reverse("accounts:second_factor"), {"code": code})


def test_the_password_alone_reaches_nothing(client, lead, city):
    _password(client, lead)
    for url in (
        reverse("families:my_caseload"),
        reverse("families:family_record", args=[city.family.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.security_case(16)
def test_a_used_code_is_refused_the_second_time(client, lead):
    _password(client, lead)
    code = factories.current_code(lead)
    assert _code(client, code).status_code == 302
    client.post(reverse("accounts:sign_out"))
    _password(client, lead)
    response = _code(client, code)
    assert response.status_code == 200
    assert "Enter the code your authenticator app shows now" in response.text
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 1


@pytest.mark.security_case(16)
def test_an_old_code_is_refused(client, lead):
    authenticator = Authenticator.objects.get(user=lead)
    old = totp.code_for(authenticator.secret, totp.step_at(time.time()) - 4)
    _password(client, lead)
    assert _code(client, old).status_code == 200
    assert client.get(reverse("families:my_caseload")).status_code == 302


def test_another_users_code_is_refused(client, lead, same_team_practitioner):
    _password(client, lead)
    assert (
        _code(client, factories.current_code(same_team_practitioner)).status_code == 200
    )


def test_two_requests_racing_with_one_code_let_one_in(lead):
    code = factories.current_code(lead)
    assert check_second_factor(user=lead, code=code) is True
    assert check_second_factor(user=lead, code=code) is False


@pytest.mark.security_case(16)
def test_five_wrong_codes_lock_the_code_step(client, lead):
    _password(client, lead)
    for _ in range(5):
        _code(client, "000000")
    response = _code(client, factories.current_code(lead))
    assert "Too many wrong codes" in response.text
    assert client.get(reverse("families:my_caseload")).status_code == 302


def test_a_recovery_code_works_once(client, city):
    user = factories.staff(
        "Rhea Recovery",
        city.council,
        "practitioner",
        teams=[city.team_a],
        enrolled=False,
    )
    _password(client, user)
    client.get(reverse("accounts:set_up_second_factor"))
    secret = client.session["onestory_enrol_secret"]
    page = client.post(
        reverse("accounts:set_up_second_factor"),
        {"code": totp.code_for(secret, totp.step_at(time.time()))},
    ).text
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page)
    assert len(codes) == 10
    client.post(reverse("accounts:sign_out"))

    _password(client, user)
    assert _code(client, codes[3].upper()).status_code == 302
    assert AuditEvent.objects.filter(action="use_recovery_code").count() == 1
    client.post(reverse("accounts:sign_out"))
    _password(client, user)
    assert _code(client, codes[3]).status_code == 200
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1


def test_the_first_sign_in_sets_up_the_app(client, city):
    user = factories.staff(
        "Nadia New", city.council, "practitioner", teams=[city.team_a], enrolled=False
    )
    response = _password(client, user)
    assert response["Location"] == reverse("accounts:set_up_second_factor")
    page = client.get(response["Location"]).text
    assert '<svg role="img" aria-label="QR code to scan with your app"' in page
    secret = client.session["onestory_enrol_secret"]
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in page
    assert client.get(reverse("families:my_caseload")).status_code == 302

    wrong = client.post(reverse("accounts:set_up_second_factor"), {"code": "123456"})
    assert "Enter the code your authenticator app shows now" in wrong.text
    assert not Authenticator.objects.filter(user=user).exists()

    right = client.post(
        reverse("accounts:set_up_second_factor"),
        {"code": totp.code_for(secret, totp.step_at(time.time()))},
    )
    assert "Save your recovery codes" in right.text
    assert Authenticator.objects.get(user=user).secret == secret
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert secret not in str(list(AuditEvent.objects.values()))
    assert client.get(reverse("families:my_caseload")).status_code == 200
    assert AuditEvent.objects.filter(action="enrol_second_factor").count() == 1


def test_the_code_step_times_out(client, lead):
    with time_machine.travel("2026-11-26 10:00Z", tick=False) as clock:
        _password(client, lead)
        clock.shift(6 * 60)
        response = client.get(reverse("accounts:second_factor"))
        assert response["Location"] == reverse("accounts:sign_in")
        assert "Your sign-in timed out" in client.get(response["Location"]).text


def test_the_code_pages_need_a_password_first(client, db):
    for name in ("accounts:second_factor", "accounts:set_up_second_factor"):
        response = client.get(reverse(name))
        assert response["Location"] == reverse("accounts:sign_in")


@pytest.mark.security_case(14)
def test_an_account_is_throttled_after_ten_failures_with_the_same_answer(client, lead):
    wrong = [_password(client, lead, "wrong password number one") for _ in range(10)]
    right = _password(client, lead)
    assert right.status_code == 200  # not signed in, even with the right password
    message = "Enter a correct email address and password"
    assert message in right.text
    assert message in wrong[0].text
    assert _strip_tokens(right.text) == _strip_tokens(wrong[0].text)


@pytest.mark.security_case(15)
def test_one_address_trying_many_accounts_is_throttled(client, city, lead):
    for number in range(50):
        client.post(
            reverse("accounts:sign_in"),
            {"email": f"nobody{number}@example.org", "password": "guess"},
        )
    response = _password(client, lead)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.text


def test_unknown_and_known_accounts_get_the_same_answer(client, lead):
    known = _password(client, lead, "wrong password number one")
    unknown = client.post(
        reverse("accounts:sign_in"),
        {"email": "nobody@test.onestory.example", "password": "wrong"},
    )
    assert known.status_code == unknown.status_code == 200
    assert _strip_tokens(known.text).replace(lead.email, "EMAIL") == _strip_tokens(
        unknown.text
    ).replace("nobody@test.onestory.example", "EMAIL")


def _strip_tokens(html: str) -> str:
    """The page without what differs on every request (CSRF token, nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.mark.security_case(14)
def test_an_administrator_can_unlock_a_throttled_account(client, lead, admin):
    for _ in range(10):
        _password(client, lead, "wrong password number one")
    assert _password(client, lead).status_code == 200  # locked out
    administrator = Client()
    administrator.force_login(admin)
    response = administrator.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [lead.pk]},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        action="unlock_sign_in", object_id=str(lead.pk)
    ).exists()
    response = _password(client, lead)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:second_factor")
