"""Reads hold no lock for the page's length; writes stay one transaction.

A GET runs in autocommit, each audit event in a short transaction of its own
(core/transactions.py, core/audit.py): its audit still fails closed, and while
it renders another connection can write (a POST is still one transaction with
its events: tests/core/test_faults.py). Transactional tests: inside a test's own
transaction every view is in a transaction already, and the read path would not
be the one under test.
"""

import logging
import threading

import pytest
from django.db import OperationalError, connection, transaction
from django.shortcuts import render
from django.urls import reverse

from onestory.core import audit
from onestory.core.models import AuditAction, AuditEvent
from onestory.families import pages
from tests.conftest import CANARY_SURNAME


def _record_url(city):
    return reverse("families:family_record", args=[city.family.pk])


def _write_from_another_connection() -> list:
    """Record an event from a second connection (another worker), giving up at
    once if a lock is held; what went wrong, if anything."""
    problems = []

    def write():
        from django.db import connection as other

        try:
            with other.cursor() as cursor:
                if other.vendor == "sqlite":
                    cursor.execute("PRAGMA busy_timeout = 0")
                else:
                    cursor.execute("SET lock_timeout = '50ms'")
            with transaction.atomic():
                audit.record(action=AuditAction.SIGN_IN, by=None)
        except Exception as error:
            problems.append(error)
        finally:
            other.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()
    return problems


@pytest.mark.django_db(transaction=True)
def test_another_connection_writes_while_a_read_renders(city, lead_client, monkeypatch):
    """After the page's audit event, while it renders: when reads ran in one
    transaction, SQLite's write lock (IMMEDIATE, from the view's start) and
    PostgreSQL's chain lock (from the event) were held until the page was done,
    and this write was refused."""
    probes = []

    def rendering(*args, **kwargs):
        probes.append(_write_from_another_connection())
        return render(*args, **kwargs)

    monkeypatch.setattr(pages, "render", rendering)
    response = lead_client.get(_record_url(city))
    assert response.status_code == 200
    assert probes == [[]]
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_FAMILY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_read_whose_audit_event_cannot_be_written_is_refused(
    city, lead_client, caplog
):
    lead_client.raise_request_exception = False
    full = OperationalError("database or disk is full")
    events = AuditEvent.objects.count()

    def fail_audit_insert(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith('INSERT INTO "CORE_AUDITEVENT"'):
            raise full
        return execute(sql, params, many, context)

    with (
        connection.execute_wrapper(fail_audit_insert),
        caplog.at_level(logging.ERROR, logger="onestory.database"),
    ):
        response = lead_client.get(_record_url(city))
    body = response.content.decode()
    assert response.status_code == 503
    assert "storage is full" in body  # the service's own page (core/errors.py)
    assert CANARY_SURNAME not in body  # and nothing of the family
    assert AuditEvent.objects.count() == events
    assert lead_client.get(_record_url(city)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused_outside_a_read(lead):
    with pytest.raises(audit.AuditOutsideTransaction):
        audit.record(action=AuditAction.SIGN_IN, by=lead)
    with audit.reading():
        event = audit.record(action=AuditAction.SIGN_IN, by=lead)
    assert AuditEvent.objects.get(pk=event.pk).actor == lead


@pytest.mark.django_db(transaction=True)
def test_a_family_page_writes_in_one_short_transaction(city, lead_client, monkeypatch):
    """Its count toward the hour's bulk-read limit and its audit event commit
    together (families/pages.py): SQLite's write lock is taken once a page."""
    lead_client.get(reverse("families:my_caseload"))  # the session's renewal is saved
    commits = []
    commit = connection._commit

    def counted():
        commits.append(1)
        return commit()

    monkeypatch.setattr(connection, "_commit", counted)
    assert lead_client.get(_record_url(city)).status_code == 200  # first this hour
    assert len(commits) == 1
