import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections

APP_ROLE = "onestory_app_test"


@pytest.fixture
def app_role(db):
    """PostgreSQL: a runtime role, granted by the command; entering `on(alias)`
    (or the fixture itself, for the default connection) switches to it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DO $$ BEGIN CREATE ROLE onestory_app_test NOLOGIN NOSUPERUSER "
            "NOBYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation "
            "THEN NULL; END $$"
        )
    call_command("app_role", APP_ROLE, stdout=open("/dev/null", "w"))  # noqa: SIM115

    class Switch:
        def __init__(self, alias=DEFAULT_DB_ALIAS):
            self.alias = alias

        def on(self, alias):
            return Switch(alias)

        def __enter__(self):
            with connections[self.alias].cursor() as cursor:
                cursor.execute(f"SET ROLE {APP_ROLE}")

        def __exit__(self, *exc):
            with connections[self.alias].cursor() as cursor:
                cursor.execute("RESET ROLE")

    return Switch()
