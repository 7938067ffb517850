"""Authenticator secrets encrypted at rest with ONESTORY_TOTP_KEY (accounts/vault.py).

The column is renamed and widened, then every secret still held in plain text is
encrypted in place; reversing decrypts them again.
"""

from django.db import migrations, models


def encrypt_secrets(apps, schema_editor):
    from onestory.accounts import vault

    Authenticator = apps.get_model("accounts", "Authenticator")
    for row in Authenticator.objects.exclude(encrypted_secret__startswith=vault.PREFIX):
        row.encrypted_secret = vault.encrypt(row.encrypted_secret, user_id=row.user_id)
        row.save(update_fields=["encrypted_secret"])


def decrypt_secrets(apps, schema_editor):
    from onestory.accounts import vault

    Authenticator = apps.get_model("accounts", "Authenticator")
    for row in Authenticator.objects.filter(encrypted_secret__startswith=vault.PREFIX):
        row.encrypted_secret = vault.decrypt(row.encrypted_secret, user_id=row.user_id)
        row.save(update_fields=["encrypted_secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_service_administrator_role"),
    ]

    operations = [
        migrations.RenameField(
            model_name="authenticator", old_name="secret", new_name="encrypted_secret"
        ),
        migrations.AlterField(
            model_name="authenticator",
            name="encrypted_secret",
            field=models.CharField(max_length=200),
        ),
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
    ]
