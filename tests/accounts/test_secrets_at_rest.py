"""Authenticator secrets are encrypted at rest with a key outside the database;
recovery codes are hashed with a key of their own, so rotating the secret key
invalidates neither (docs/operations.md, "Keys")."""

import importlib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from django.db import transaction
from django.test import override_settings

from onestory.accounts import services, totp, vault
from onestory.accounts.models import Authenticator, RecoveryCode
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def _enrolled(user):
    secret = totp.new_secret()
    Authenticator.objects.filter(user=user).delete()
    now = time.time()
    with transaction.atomic():
        codes = services.enrol(
            user=user, secret=secret, code=totp.code_for(secret, totp.step_at(now))
        )
    return secret, codes


def _stored_secret(user) -> str:
    """The column as the database holds it."""
    return (
        Authenticator.objects.filter(user=user)
        .values_list("encrypted_secret", flat=True)
        .get()
    )


def test_the_secret_is_not_in_the_database_in_plain_text(lead):
    secret, _ = _enrolled(lead)
    stored = _stored_secret(lead)
    assert stored.startswith("v1:")
    assert secret not in stored
    assert Authenticator.objects.get(user=lead).secret == secret


def test_the_secret_does_not_open_with_another_key_or_for_another_account(
    lead, same_team_practitioner
):
    secret, _ = _enrolled(lead)
    stored = Authenticator.objects.get(user=lead).encrypted_secret
    with pytest.raises(InvalidTag):
        vault.decrypt(stored, user_id=lead.pk, key=b"another key")
    with pytest.raises(InvalidTag):
        vault.decrypt(stored, user_id=same_team_practitioner.pk)
    assert vault.decrypt(stored, user_id=lead.pk) == secret


def test_rotating_the_secret_key_invalidates_no_codes(lead):
    secret, codes = _enrolled(lead)
    later = time.time() + 31  # the enrolment used the code for now
    with (
        override_settings(SECRET_KEY="a-rotated-secret-key-" + "y" * 40),
        transaction.atomic(),
    ):
        assert services.check_second_factor(
            user=lead, code=totp.code_for(secret, totp.step_at(later)), now=later
        )
        assert services.check_second_factor(user=lead, code=codes[0])
    assert RecoveryCode.objects.filter(user=lead, used_at__isnull=False).count() == 1


def test_recovery_codes_are_keyed_with_their_own_key(lead):
    _, codes = _enrolled(lead)
    with (
        override_settings(RECOVERY_CODE_KEY=b"another recovery key"),
        transaction.atomic(),
    ):
        assert not services.check_second_factor(user=lead, code=codes[0])
    with transaction.atomic():
        assert services.check_second_factor(user=lead, code=codes[0])


def test_the_migration_encrypts_secrets_held_in_plain_text(lead):
    from django.apps import apps

    secret = totp.new_secret()
    Authenticator.objects.filter(user=lead).update(encrypted_secret=secret)
    migration = importlib.import_module(
        "onestory.accounts.migrations.0009_encrypt_authenticator_secrets"
    )
    migration.encrypt_secrets(apps, None)
    migration.encrypt_secrets(apps, None)  # twice changes nothing more
    stored = Authenticator.objects.get(user=lead)
    assert stored.encrypted_secret.startswith("v1:")
    assert stored.secret == secret
    migration.decrypt_secrets(apps, None)
    assert Authenticator.objects.get(user=lead).encrypted_secret == secret


@pytest.mark.parametrize(
    ("missing", "given"),
    [
        ("ONESTORY_TOTP_KEY", {"ONESTORY_RECOVERY_CODE_KEY": "a-real-recovery-key"}),
        ("ONESTORY_RECOVERY_CODE_KEY", {"ONESTORY_TOTP_KEY": "a-real-totp-key"}),
    ],
)
def test_production_refuses_a_missing_key(missing, given):
    result = subprocess.run(
        [sys.executable, "-c", "import onestory.config.settings"],
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "ONESTORY_SECRET_KEY": "a-real-key-" + "x" * 40,
            "ONESTORY_AUDIT_KEY": "a-real-audit-key",
            **given,
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert f"Set {missing}" in result.stderr


def test_factories_and_sign_in_still_work_through_the_encrypted_secret(lead):
    assert factories.current_code(lead).isdigit()
