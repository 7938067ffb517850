"""Faults: nothing half-written, nothing acknowledged lost, no corruption, no lost
updates (security.md R30, R31, R46, R47; cases 30, 38, 39, 40). On both databases."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections
from django.urls import reverse

from onestory.core.models import AuditEvent
from onestory.families import services as family_services
from onestory.families.models import Family, Person, StoryVersion
from onestory.support.models import Contact, Episode
from tests.families.test_views import valid_family_post

ROOT = Path(__file__).resolve().parents[2]


def _counts():
    return (
        Family.objects.count(),
        Person.objects.count(),
        Episode.objects.count(),
        StoryVersion.objects.count(),
        AuditEvent.objects.count(),
    )


def _fail_on_insert(number, error):
    """An execute wrapper that raises `error` on the `number`th INSERT."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT"):
            seen.append(sql)
            if len(seen) == number:
                raise error
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.security_case(38)
def test_an_exception_after_the_first_write_leaves_nothing_behind(city, lead_client):
    lead_client.raise_request_exception = False
    before = _counts()
    with connection.execute_wrapper(_fail_on_insert(3, RuntimeError("crash"))):
        response = lead_client.post(
            reverse("families:add_family"), valid_family_post(city)
        )
    assert response.status_code == 500
    assert "Quote reference" in response.content.decode()
    assert _counts() == before


@pytest.mark.security_case(40)
@pytest.mark.django_db(transaction=True)
def test_disk_full_gives_a_clear_error_and_no_corruption(city, lead_client):
    before = _counts()
    if connection.vendor == "sqlite":
        # The real thing: the database may not grow by a single page.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # no free pages left to reuse
            cursor.execute("PRAGMA page_count")
            (pages,) = cursor.fetchone()
            cursor.execute(f"PRAGMA max_page_count = {pages}")
        response = lead_client.post(
            reverse("families:add_family"),
            valid_family_post(city, story="x" * 20000),
        )
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
    else:
        # PostgreSQL's own words when its disk fills, raised on the second insert.
        error = OperationalError(
            'could not extend file "base/16384/16385": No space left on device'
        )
        with connection.execute_wrapper(_fail_on_insert(2, error)):
            response = lead_client.post(
                reverse("families:add_family"), valid_family_post(city)
            )
    body = response.content.decode()
    assert response.status_code == 503
    assert "storage is full" in body
    assert "Nothing from your last action was saved" in body
    assert _counts() == before
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchone()[0] == "ok"
    # Space is back: the same action works without any repair.
    response = lead_client.post(reverse("families:add_family"), valid_family_post(city))
    assert response.status_code == 302
    assert Family.objects.count() == before[0] + 1


WRITER = """
import sys
from datetime import UTC, datetime, timedelta

import django

django.setup()
from onestory.accounts.models import User
from onestory.support import services
from onestory.support.models import Episode

episode = Episode.objects.get(pk=sys.argv[1])
by = User.objects.get(pk=sys.argv[2])
start = datetime(2026, 1, 1, 9, tzinfo=UTC)
for number in range(100000):
    contact = services.record_contact(
        episode=episode,
        by=by,
        occurred_at=start + timedelta(minutes=number),
        contact_type="phone",
        practitioner=by,
        attendance="attended",
        purpose="review",
        notes="A long note. " * 200,
        notes_restricted=False,
    )
    print(contact.pk, flush=True)  # acknowledged: committed before this line
"""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.mark.security_case(39)
@pytest.mark.django_db(transaction=True)
def test_a_writer_killed_mid_write_loses_no_acknowledged_write(city, lead):
    episode = city.family.episodes.get()
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="onestory.config.test_settings",
        ONESTORY_DATABASE_URL=_database_url(),
    )
    writer = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WRITER, str(episode.pk), str(lead.pk)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged = []
    try:
        for line in writer.stdout:
            acknowledged.append(line.strip())
            if len(acknowledged) == 40:
                writer.send_signal(signal.SIGKILL)  # mid-write: it never stops
                break
    finally:
        writer.kill()
        writer.wait()
    assert len(acknowledged) == 40, writer.stderr.read()

    connection.close()  # a fresh connection, as after a restart
    stored = {
        str(pk)
        for pk in Contact.objects.filter(episode=episode).values_list("pk", flat=True)
    }
    assert set(acknowledged) <= stored
    audited = AuditEvent.objects.filter(action="record_contact").count()
    assert audited == len(stored)  # data and audit one to one: nothing partial
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchone()[0] == "ok"


@pytest.mark.security_case(29)
@pytest.mark.security_case(30)
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_writers_lose_no_update(city, lead):
    """20 people edit the same story 5 times each, each retrying on a conflict:
    every one of the 100 edits is kept, in an unbroken line of versions."""
    family = city.family
    errors = []

    def edit(writer):
        try:
            for round_ in range(5):
                while True:
                    latest = family.story_versions.order_by("-number").first()
                    try:
                        family_services.edit_story(
                            family=family,
                            text=f"writer {writer} edit {round_}",
                            based_on=latest.number,
                            by=lead,
                        )
                        break
                    except family_services.StoryConflict:
                        continue  # refused, never overwritten: read again
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = list(
        family.story_versions.order_by("number").values_list("number", flat=True)
    )
    assert numbers == list(range(1, 102))
    texts = set(family.story_versions.values_list("text", flat=True))
    assert {f"writer {w} edit {r}" for w in range(20) for r in range(5)} <= texts
    assert AuditEvent.objects.filter(action="edit_story").count() == 100
