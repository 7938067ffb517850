"""Changing a password: re-authentication, the NCSC-style policy, paste allowed
(security.md R9, R10; case 17)."""

import pytest
from django.core import mail
from django.urls import reverse

from onestory.core.models import AuditEvent
from tests.accounts.test_sessions import _signed_in

PASSWORD = "correct horse battery staple"  # the factories' password
PASSPHRASE = "kettle orbit marigold " * 5 + "lantern seventeen hedgehog crumpet"


def _change(client, new, current=PASSWORD):
    return client.post(
        reverse("accounts:change_password"),
        {"current_password": current, "new_password": new},
    )


@pytest.mark.security_case(17)
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Password1!", "too short"),
        ("familyhub2026", "too easy to guess"),
        ("StartForLife!!2026", "too easy to guess"),
        ("Test City Council 2026", "too easy to guess"),  # the organisation
        ("Tamarside Council 99", "too easy to guess"),  # the local authority
        ("abc1234", "too short"),
        ("qwerty123456", "too common"),
        ("Lena Lead 2026!", "too similar to the full name"),
        ("Lena Lead Lena Lead", "too easy to guess"),  # the user's own name
        (PASSWORD, "different from your current password"),
        ("x" * 257, "256 characters or fewer"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(lead, password, reason):
    client = _signed_in(lead)
    response = _change(client, password)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert reason in response.text
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="change_password").exists()


@pytest.mark.security_case(17)
def test_a_long_passphrase_is_accepted_and_signs_in(
    lead, django_capture_on_commit_callbacks
):
    assert len(PASSPHRASE) >= 128
    client = _signed_in(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = _change(client, PASSPHRASE)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:your_account")
    lead.refresh_from_db()
    assert lead.check_password(PASSPHRASE)
    # This session carries on.
    assert client.get(reverse("families:my_caseload")).status_code == 200
    event = AuditEvent.objects.get(action="change_password")
    assert (event.actor, event.changed_fields) == (lead, ["password"])
    assert PASSPHRASE not in str(event.detail)
    assert mail.outbox[-1].to == [lead.email]
    assert "password" in mail.outbox[-1].subject
    assert PASSPHRASE not in mail.outbox[-1].body


def test_other_sessions_end_when_the_password_changes(lead):
    here, elsewhere = _signed_in(lead), _signed_in(lead)
    assert elsewhere.get(reverse("families:my_caseload")).status_code == 200
    _change(here, PASSPHRASE)
    assert here.get(reverse("families:my_caseload")).status_code == 200
    assert elsewhere.get(reverse("families:my_caseload")).status_code == 302


def test_the_current_password_is_needed_and_wrong_ones_are_throttled(lead):
    client = _signed_in(lead)
    for _ in range(5):
        response = _change(client, PASSPHRASE, current="not my password")
        assert "Your current password is incorrect" in response.text
    # The sixth try is refused even with the right password.
    response = _change(client, PASSPHRASE)
    assert "too many times" in response.text
    lead.refresh_from_db()
    assert lead.check_password(PASSWORD)


def test_what_was_typed_is_not_sent_back(lead):
    client = _signed_in(lead)
    response = _change(client, "familyhub2026", current="not my password")
    assert "familyhub2026" not in response.text
    assert "not my password" not in response.text


@pytest.mark.security_case(17)
def test_paste_is_not_blocked_and_managers_are_helped(lead):
    """WCAG 3.3.8 and ASVS 6.2.7: nothing stops pasting (the browser journey
    pastes too), and the fields say which password they want."""
    page = _signed_in(lead).get(reverse("accounts:change_password")).text
    assert "onpaste" not in page.lower()
    assert 'autocomplete="current-password"' in page
    assert 'autocomplete="new-password"' in page


def test_signed_out_people_cannot_reach_it(db, client):
    response = client.get(reverse("accounts:change_password"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_new_password_field_does_not_answer_guesses_at_the_current_one(lead):
    """Without the right current password, a new password equal to the real one
    gets no 'must be different' message (that would confirm a guess)."""
    client = _signed_in(lead)
    response = _change(client, PASSWORD, current="a wrong guess at it")
    assert "Your current password is incorrect" in response.text
    assert "must be different" not in response.text
