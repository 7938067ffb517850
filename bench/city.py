"""A bench's demo city: Django set up on a bench database, migrated, and the
demo city loaded into it if it is empty (the demo runs ANALYZE as it ends).

    from city import open_city  # the bench scripts run from this folder
"""

import io
import os


def open_city(database_url: str, families: int) -> None:
    os.environ.update(
        ONESTORY_DATABASE_URL=database_url,
        ONESTORY_SECRET_KEY="bench-only-key-" + "x" * 40,
        ONESTORY_AUDIT_KEY="bench-only-audit-key",
        ONESTORY_TOTP_KEY="bench-only-totp-key",
        ONESTORY_RECOVERY_CODE_KEY="bench-only-recovery-code-key",
        ONESTORY_ALLOWED_HOSTS="testserver",
        ONESTORY_PUBLIC_URL="http://testserver",
        # A bench reads many families an hour, as the bulk-read limit (R29)
        # is there to stop: lift it, or the searches are refused.
        ONESTORY_BULK_READ_ALERT_FAMILIES="1000000",
        ONESTORY_BULK_READ_LIMIT_FAMILIES="1000000",
        DJANGO_SETTINGS_MODULE="onestory.config.settings",
    )
    import warnings

    import django

    # No collected static files in a bench: whitenoise says so once per process.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    with override_settings(DEBUG=True):  # the demo loads in development only
        call_command("demo", families=families, if_empty=True, stdout=io.StringIO())
