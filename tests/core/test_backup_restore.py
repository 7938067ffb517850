"""Backup, wipe, restore: the restore drill (security.md R45), on both databases."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from onestory.core import audit_chain, backup
from onestory.families.models import Family

pytestmark = pytest.mark.django_db(transaction=True)


def _wipe() -> None:
    """Lose everything: every row of every table, the audit trail included."""
    audit_chain.unprotect(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        for table in connection.introspection.table_names(cursor):
            if table.startswith("sqlite_") or table == "django_migrations":
                continue
            if connection.vendor == "postgresql":
                cursor.execute(f'TRUNCATE "{table}" CASCADE')
            else:
                cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = ON")
    audit_chain.protect(connection)


def test_backup_wipe_restore_gives_back_every_row_and_a_working_service(
    tmp_path, client
):
    with override_settings(DEBUG=True):  # the demo runs in development only
        call_command("demo", families=12, seed=5, stdout=io.StringIO())
    from onestory.accounts.models import User

    practitioner = User.objects.get(email="practitioner@demo.onestory.example")
    client.force_login(practitioner)
    family = Family.objects.visible_to(practitioner).first()
    assert (
        client.get(reverse("families:family_record", args=[family.pk])).status_code
        == 200
    )
    before = backup.fingerprint()
    assert before["families_family"][0] == 12
    assert before["core_auditevent"][0] >= 1

    out = io.StringIO()
    target = tmp_path / "drill.backup"
    call_command("backup", "--output", str(target), stdout=out)
    assert "Backed up" in out.getvalue()

    _wipe()
    assert backup.fingerprint()["families_family"][0] == 0

    call_command("restore", str(target), "--yes", stdout=io.StringIO())
    after = backup.fingerprint()
    assert after == before  # row counts and per-table checksums identical
    verify = io.StringIO()
    call_command("audit", "verify", stdout=verify)
    assert "intact" in verify.getvalue()
    # The restored service works: sign in again, read and write.
    client.force_login(practitioner)
    response = client.get(reverse("families:family_record", args=[family.pk]))
    assert response.status_code == 200
    assert family.members.first().family_name in response.content.decode()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchone()[0] == "ok"


def test_a_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "there.backup"
    existing.write_text("keep me")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--output", str(existing), stdout=io.StringIO())
    assert existing.read_text() == "keep me"


def test_restore_asks_for_confirmation_and_a_real_file(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(tmp_path / "x.backup"))
    with pytest.raises(CommandError, match="There is no backup"):
        call_command("restore", str(tmp_path / "x.backup"), "--yes")
