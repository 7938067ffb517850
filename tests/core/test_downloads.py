"""Large downloads (core/downloads.py): made by the background worker through
the real database backend, with a progress page; the same rows as the file
made at once; the owner's alone, while they hold the role; each step audited;
made once however often it is asked; kept a day."""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onestory.accounts.models import Role
from onestory.core import downloads, tenancy
from onestory.core.models import AuditEvent, Download, DownloadPart, DownloadStatus
from tests import factories
from tests.conftest import CANARY_SURNAME, postgresql_only
from tests.core.conftest import app_role  # noqa: F401 (its fixture)

CASELOAD_CSV = reverse("families:export_caseload", args=["csv"])
CASELOAD_XLSX = reverse("families:export_caseload", args=["xlsx"])


@pytest.fixture
def lead(city, lead):
    """The lead practitioner with the canary family and 5 more."""
    for n in range(5):
        factories.family(by=lead, team=city.team_a, family_name=f"Mineson{n}")
    return lead


@pytest.fixture
def large(settings):
    """Every download of more than 3 rows is made in the background."""
    settings.DOWNLOAD_ROWS_AT_ONCE = 3


def _asked(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 302
    download = Download.objects.get()
    assert response["Location"] == reverse("core:download", args=[download.pk])
    return download


def _build(download):
    tenancy.set_tenant(download.local_authority_id)
    try:
        return downloads.build(download.pk)
    finally:
        tenancy.set_tenant(None)


def _fetched(client, download) -> bytes:
    response = client.get(reverse("core:download_file", args=[download.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    return body


def test_a_small_download_is_made_at_once(city, lead, client):
    client.force_login(lead)
    response = client.get(CASELOAD_CSV)
    assert response.status_code == 200
    assert not Download.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_download_is_made_by_the_worker_with_the_same_rows(
    city, lead, client, settings
):
    client.force_login(lead)
    at_once = client.get(CASELOAD_CSV).content
    settings.DOWNLOAD_ROWS_AT_ONCE = 3
    download = _asked(client, CASELOAD_CSV)
    asked = AuditEvent.objects.get(action="prepare_download")
    assert asked.actor == lead
    assert asked.detail == {"kind": "caseload", "format": "csv", "rows": 6}
    page = client.get(reverse("core:download", args=[download.pk]))
    assert "Preparing your download" in page.text
    assert 'hx-trigger="every 3s"' in page.text
    [queued] = DBTaskResult.objects.all()
    assert queued.status == "READY"

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    download.refresh_from_db()
    assert download.status == DownloadStatus.READY
    page = client.get(reverse("core:download", args=[download.pk]))
    assert "Your download is ready" in page.text
    assert "hx-trigger" not in page.text
    assert _fetched(client, download) == at_once
    assert CANARY_SURNAME in at_once.decode()
    # The export is recorded once, by the worker, as the owner, with the
    # families in it; each fetch is recorded too.
    export = AuditEvent.objects.filter(action="export_caseload").order_by("sequence")
    at_once_event, made = export
    assert made.actor == lead
    assert made.detail["download"] == str(download.pk)
    assert set(made.detail["family_ids"]) == set(at_once_event.detail["family_ids"])
    assert made.detail["rows"] == 6
    fetch = AuditEvent.objects.get(action="fetch_download")
    assert fetch.object_id == str(download.pk)


def test_a_download_asked_twice_is_made_once(city, lead, client, large):
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    assert _build(download) is True
    assert _build(download) is False
    assert AuditEvent.objects.filter(action="export_caseload").count() == 1
    assert DownloadPart.objects.count() == 1


def test_the_file_is_made_in_parts_with_progress(
    city, lead, client, large, monkeypatch
):
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    monkeypatch.setattr(downloads, "PART_BYTES", 200)
    seen = []
    real = DownloadPart.objects.create

    def counting(**fields):
        seen.append(Download.objects.get(pk=download.pk).rows_done)
        return real(**fields)

    monkeypatch.setattr(DownloadPart.objects, "create", counting)
    _build(download)
    download.refresh_from_db()
    assert DownloadPart.objects.filter(download=download).count() > 2
    assert seen == sorted(seen)
    rows = list(csv.reader(io.StringIO(_fetched(client, download).decode())))
    assert rows[0][0] == "Family reference"
    assert len(rows) == 7
    assert download.size == sum(
        len(bytes(p.data)) for p in DownloadPart.objects.filter(download=download)
    )


def test_a_spreadsheet_is_made_in_the_background_too(city, lead, client, large):
    client.force_login(lead)
    download = _asked(client, CASELOAD_XLSX)
    _build(download)
    sheet = openpyxl.load_workbook(io.BytesIO(_fetched(client, download))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Family reference"
    assert len(rows) == 7


def test_only_the_latest_attempts_parts_are_read(city, lead, client, large):
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    _build(download)
    first = _fetched(client, download)
    # A worker that was thought lost writes late into its own attempt.
    Download.objects.filter(pk=download.pk).update(status=DownloadStatus.FAILED)
    _build(download)
    download.refresh_from_db()
    assert download.attempt == 2
    DownloadPart.objects.create(download=download, attempt=1, number=5, data=b"x")
    assert _fetched(client, download) == first


def test_someone_elses_download_does_not_exist_for_them(
    other_hub_practitioner, lead, client, large
):
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    _build(download)
    client.force_login(other_hub_practitioner)
    for name in ("core:download", "core:download_file"):
        assert client.get(reverse(name, args=[download.pk])).status_code == 404
    again = client.post(reverse("core:download_again", args=[download.pk]))
    assert again.status_code == 404
    assert download.filename not in client.get(reverse("core:my_downloads")).text
    assert not AuditEvent.objects.filter(action="fetch_download").exists()


def test_a_download_expires_after_a_day_and_retention_deletes_it(
    city, lead, client, large
):
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    _build(download)
    assert download.filename in client.get(reverse("core:my_downloads")).text
    Download.objects.filter(pk=download.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    page = client.get(reverse("core:download", args=[download.pk]))
    assert page.status_code == 410
    assert "This download has expired" in page.text
    fetch = client.get(reverse("core:download_file", args=[download.pk]))
    assert fetch.status_code == 410
    call_command("retention", "--apply", stdout=io.StringIO())
    assert not Download.objects.exists()
    assert not DownloadPart.objects.exists()


def test_someone_who_lost_the_role_gets_no_file(city, lead, client, large):
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    lead.role_grants.all().delete()
    assert _build(download) is False
    download.refresh_from_db()
    assert download.status == DownloadStatus.FAILED
    assert not DownloadPart.objects.exists()
    assert not AuditEvent.objects.filter(action="export_caseload").exists()


def test_a_file_made_is_not_given_once_the_role_is_gone(city, lead, client, large):
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    _build(download)
    lead.role_grants.all().delete()
    fetch = client.get(reverse("core:download_file", args=[download.pk]))
    assert fetch.status_code in (302, 403)
    assert not AuditEvent.objects.filter(action="fetch_download").exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_download_is_tried_again_and_can_be_asked_again(
    city, lead, client, large, monkeypatch
):
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    registered = downloads.KINDS["caseload"]

    def fails(user, params):
        raise DatabaseError("the database went away")

    monkeypatch.setitem(
        downloads.KINDS, "caseload", downloads.Kind(fails, registered.roles)
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    first, again = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == "FAILED"
    assert again.status == "READY"
    assert again.args_kwargs["kwargs"] == {"attempt": 2}
    download.refresh_from_db()
    assert download.status == DownloadStatus.FAILED
    page = client.get(reverse("core:download", args=[download.pk]))
    assert "could not be prepared" in page.text
    assert "Try again" in page.text
    monkeypatch.setitem(downloads.KINDS, "caseload", registered)
    response = client.post(reverse("core:download_again", args=[download.pk]))
    assert response.status_code == 302
    download.refresh_from_db()
    assert download.status == DownloadStatus.WAITING
    assert DBTaskResult.objects.filter(status="READY").count() == 2


def _audit_trail_asked(city, client, settings, *, views):
    """The information governance lead's download of one family's trail,
    after `views` openings of the record: the file made at once, and then the
    download asked for when every trail is large."""
    ig_lead = factories.staff(
        "Iona Governance", city.council, Role.INFORMATION_GOVERNANCE
    )
    client.force_login(city.personas["lead_practitioner"])
    for _ in range(views):
        client.get(reverse("families:family_record", args=[city.family.pk]))
    client.force_login(ig_lead)
    query = {"family": str(city.family.pk), "format": "csv"}
    at_once = client.get(reverse("core:audit_trail"), query).content
    settings.DOWNLOAD_ROWS_AT_ONCE = 1
    return _asked(client, reverse("core:audit_trail"), **query), at_once


def test_a_large_audit_trail_is_made_in_the_background(city, client, settings):
    download, at_once = _audit_trail_asked(city, client, settings, views=3)
    assert download.params == {"family": str(city.family.pk)}
    _build(download)
    assert _fetched(client, download) == at_once
    made = AuditEvent.objects.filter(action="export_audit").order_by("sequence")
    assert made.last().detail == {
        "filters": ["family"],
        "format": "csv",
        "rows": download.rows_total,
        "download": str(download.pk),
    }


@postgresql_only
def test_downloads_have_forced_row_level_security(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname IN ('core_download', 'core_downloadpart')"
        )
        assert sorted(cursor.fetchall()) == [
            ("core_download", True, True),
            ("core_downloadpart", True, True),
        ]


@postgresql_only
def test_the_runtime_role_sees_no_other_areas_downloads(
    city, elsewhere, lead, client, large, request
):
    runtime_role = request.getfixturevalue("app_role")
    client.force_login(lead)
    download = _asked(client, CASELOAD_CSV)
    _build(download)
    tenancy.set_tenant(elsewhere.council.local_authority_id)
    with runtime_role:
        assert not Download.objects.exists()
        assert not DownloadPart.objects.exists()
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            DownloadPart.objects.create(
                download_id=download.pk, attempt=9, number=0, data=b"x"
            )
    tenancy.set_tenant(None)


def test_parts_are_written_while_the_audit_trail_is_still_being_read(
    city, client, settings, monkeypatch
):
    """The worker writes each part, and the progress, while the events are
    still being read from an open cursor (a read is not held up by the
    writes, nor they by it, on either database)."""
    download, at_once = _audit_trail_asked(city, client, settings, views=30)
    monkeypatch.setattr(downloads, "PART_BYTES", 300)
    _build(download)
    assert DownloadPart.objects.filter(download=download).count() > 5
    assert _fetched(client, download) == at_once
