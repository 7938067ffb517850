"""Two-factor guessing is bounded over time, not only per window: after
LOCK_AFTER_WRONG_CODES (20) wrong codes in a row, across windows and sign-ins,
the account is locked until an administrator unlocks it (audited), and the user
is emailed (docs/security.md R11)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onestory.accounts import services
from onestory.accounts.models import User
from onestory.accounts.services import LOCK_AFTER_WRONG_CODES
from onestory.core.models import AuditEvent
from tests import factories

PASSWORD = "correct horse battery staple"
WRONG = "000000"


def _wrong(user, times):
    for _ in range(times):
        with transaction.atomic():
            assert not services.check_second_factor(user=user, code=WRONG)


def _sign_in(client, user, code):
    client.post(
        reverse("accounts:sign_in"), {"email": user.email, "password": PASSWORD}
    )
    return client.post(reverse("accounts:second_factor"), {"code": code})


def test_the_documented_number_is_twenty():
    assert LOCK_AFTER_WRONG_CODES == 20


@pytest.mark.security_case(16)
def test_wrong_codes_across_windows_lock_the_account_until_unlocked(
    lead, admin, django_capture_on_commit_callbacks
):
    client = Client()
    with (
        time_machine.travel(timezone.now(), tick=False) as clock,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for _ in range(LOCK_AFTER_WRONG_CODES // 5):  # 5 a window, as many windows
            for _ in range(5):
                response = _sign_in(client, lead, WRONG)
            clock.shift(timedelta(minutes=6))
    assert User.objects.get(pk=lead.pk).locked_at is not None
    event = AuditEvent.objects.get(action="lock_account")
    assert event.object_id == str(lead.pk)
    (email,) = mail.outbox
    assert email.to == [lead.email]
    assert "locked" in email.subject

    # The right code no longer lets anyone in, in any window.
    response = _sign_in(client, lead, factories.current_code(lead))
    assert response.status_code == 200
    assert "Your account is locked after too many wrong codes" in response.text
    assert client.get(reverse("families:my_caseload")).status_code == 302

    administrator = Client()
    administrator.force_login(admin)
    administrator.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [lead.pk]},
    )
    unlock = AuditEvent.objects.get(action="unlock_sign_in")
    assert unlock.actor == admin
    assert unlock.changed_fields == ["locked_at", "wrong_codes"]
    assert _sign_in(Client(), lead, factories.current_code(lead)).status_code == 302


def test_one_code_short_of_the_limit_does_not_lock(lead):
    _wrong(lead, LOCK_AFTER_WRONG_CODES - 1)
    assert not services.is_locked(lead)
    _wrong(lead, 1)
    assert services.is_locked(lead)


def test_a_right_code_starts_the_count_again(lead):
    _wrong(lead, LOCK_AFTER_WRONG_CODES - 1)
    with transaction.atomic():
        assert services.check_second_factor(
            user=lead, code=factories.current_code(lead)
        )
    _wrong(lead, LOCK_AFTER_WRONG_CODES - 1)
    assert not services.is_locked(lead)
    assert User.objects.get(pk=lead.pk).wrong_codes == LOCK_AFTER_WRONG_CODES - 1


def test_a_locked_account_cannot_use_a_recovery_code(lead):
    import time

    from onestory.accounts import totp

    secret = totp.new_secret()
    lead.authenticator.delete()
    with transaction.atomic():
        codes = services.enrol(
            user=lead,
            secret=secret,
            code=totp.code_for(secret, totp.step_at(time.time())),
        )
    _wrong(lead, LOCK_AFTER_WRONG_CODES)
    with transaction.atomic():
        assert not services.check_second_factor(user=lead, code=codes[0])
