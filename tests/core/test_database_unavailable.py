"""A database that cannot take the request gets the service's 503 page, logged as
`database_unavailable`, wherever it fails: at COMMIT (after the view returned),
while the session is loaded or saved in middleware, or inside the view (security
R47, case 40). On both databases."""

import contextlib
import logging

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from onestory.core import errors
from onestory.families.models import Family
from tests.families.test_views import valid_family_post

PASSWORD = "correct horse battery staple"  # the test personas


def _failing_commit(message):
    """The database's own error, raised by COMMIT itself."""

    def commit():
        with connection.wrap_database_errors:
            raise connection.Database.OperationalError(message)

    return commit


def _failing_session_save(message):
    """The same error when the session is saved, in middleware, after the view."""

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('UPDATE "DJANGO_SESSION"'):
            raise OperationalError(message)
        return execute(sql, params, many, context)

    return wrapper


DISK_FULL_AT_COMMIT = {
    "sqlite": "database or disk is full",
    "postgresql": 'could not write to file "pg_wal/xlogtemp.42": '
    "No space left on device",
}


@contextlib.contextmanager
def _database(**settings):
    """Reconnect with other connection settings (a read-only file, a path that
    cannot be opened, a port with no server), then back."""
    saved = {key: connection.settings_dict[key] for key in settings}
    connection.close()
    connection.settings_dict.update(settings)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def _read_only():
    if connection.vendor == "sqlite":
        return _database(NAME=f"file:{connection.settings_dict['NAME']}?mode=ro")
    options = dict(connection.settings_dict["OPTIONS"])
    options["options"] = "-c default_transaction_read_only=on"
    return _database(OPTIONS=options)


def _unopenable():
    if connection.vendor == "sqlite":
        return _database(NAME="/nonexistent/onestory/db.sqlite3")
    return _database(HOST="127.0.0.1", PORT="1")


def _assert_unavailable(response, caplog, says, saved=False):
    body = response.content.decode()
    assert response.status_code == 503, body[:500]
    assert "Sorry, the service cannot save your changes right now" in body
    assert says in body
    if saved is False:
        assert "Nothing from your last action was saved" in body
    assert response["Retry-After"] == "120"
    events = [
        getattr(record, "event", {}).get("name")
        for record in caplog.records
        if record.name == "onestory.database"
    ]
    assert "database_unavailable" in events


@pytest.fixture
def quiet_client(client):
    # The 500 handler's path: Django re-raises in tests unless told not to.
    client.raise_request_exception = False
    return client


@pytest.mark.security_case(40)
@pytest.mark.django_db(transaction=True)
def test_disk_full_at_commit_gives_the_503_page_and_keeps_nothing(
    city, lead, quiet_client, monkeypatch, caplog
):
    quiet_client.force_login(lead)
    families = Family.objects.count()
    with monkeypatch.context() as patch:
        patch.setattr(
            connection,
            "_commit",
            _failing_commit(DISK_FULL_AT_COMMIT[connection.vendor]),
        )
        with caplog.at_level(logging.ERROR, logger="onestory.database"):
            response = quiet_client.post(
                reverse("families:add_family"), valid_family_post(city)
            )
    _assert_unavailable(response, caplog, "storage is full")
    assert Family.objects.count() == families  # COMMIT failed: rolled back
    response = quiet_client.post(
        reverse("families:add_family"), valid_family_post(city)
    )
    assert response.status_code == 302  # space is back: no repair needed


@pytest.mark.security_case(40)
@pytest.mark.django_db(transaction=True)
def test_disk_full_when_the_session_is_saved_after_the_view_gives_the_503_page(
    city, lead, quiet_client, caplog
):
    quiet_client.force_login(lead)
    families = Family.objects.count()
    full = _failing_session_save(DISK_FULL_AT_COMMIT[connection.vendor])
    with (
        connection.execute_wrapper(full),
        caplog.at_level(logging.ERROR, logger="onestory.database"),
    ):
        response = quiet_client.get(reverse("families:my_caseload"))
        _assert_unavailable(response, caplog, "storage is full")
        caplog.clear()
        response = quiet_client.post(
            reverse("families:add_family"), valid_family_post(city)
        )
    assert Family.objects.count() == families + 1
    # The view's own COMMIT went through: the page must not say otherwise.
    _assert_unavailable(response, caplog, "storage is full", saved=None)
    assert "may not have been saved: check it" in response.content.decode()


@pytest.mark.security_case(40)
@pytest.mark.django_db(transaction=True)
def test_disk_full_at_commit_during_sign_in_gives_the_503_page(
    lead, quiet_client, monkeypatch, caplog
):
    monkeypatch.setattr(
        connection, "_commit", _failing_commit(DISK_FULL_AT_COMMIT[connection.vendor])
    )
    with caplog.at_level(logging.ERROR, logger="onestory.database"):
        response = quiet_client.post(
            reverse("accounts:sign_in"), {"email": lead.email, "password": PASSWORD}
        )
    _assert_unavailable(response, caplog, "storage is full")


@pytest.mark.security_case(38)
@pytest.mark.django_db(transaction=True)
def test_a_read_only_database_gives_the_503_page_for_a_write_and_for_sign_in(
    city, lead, quiet_client, caplog
):
    quiet_client.force_login(lead)
    families = Family.objects.count()
    with _read_only(), caplog.at_level(logging.ERROR, logger="onestory.database"):
        response = quiet_client.post(
            reverse("families:add_family"), valid_family_post(city)
        )
        _assert_unavailable(response, caplog, "can only be read")
        caplog.clear()
        signing_in = type(quiet_client)(raise_request_exception=False)
        response = signing_in.post(
            reverse("accounts:sign_in"), {"email": lead.email, "password": PASSWORD}
        )
        _assert_unavailable(response, caplog, "can only be read")
    assert Family.objects.count() == families


@pytest.mark.security_case(38)
@pytest.mark.django_db(transaction=True)
def test_a_database_that_cannot_be_opened_gives_the_503_page(
    lead, quiet_client, caplog
):
    quiet_client.force_login(lead)
    with _unopenable(), caplog.at_level(logging.ERROR, logger="onestory.database"):
        # The session is loaded in middleware, before any view runs.
        response = quiet_client.get(reverse("families:my_caseload"))
        _assert_unavailable(response, caplog, "cannot be reached")
        caplog.clear()
        signing_in = type(quiet_client)(raise_request_exception=False)
        response = signing_in.post(
            reverse("accounts:sign_in"), {"email": lead.email, "password": PASSWORD}
        )
        _assert_unavailable(response, caplog, "cannot be reached")
    assert quiet_client.get(reverse("families:my_caseload")).status_code == 200


def test_any_other_database_error_is_not_called_unavailable():
    from django.db import IntegrityError

    assert errors.unavailable_reason(IntegrityError("UNIQUE constraint failed")) is None
    assert errors.unavailable_reason(OperationalError("no such table: x")) is None
    assert errors.unavailable_reason(RuntimeError("disk is full")) is None
    assert errors.unavailable_reason(OperationalError("database or disk is full"))
