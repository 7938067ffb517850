"""Downloads: made while the page waits when they are small, by the background
worker when they are large (docs/decisions/0021-large-downloads-in-the-worker.md).

Each kind of download (the caseload, the audit trail) is one builder,
registered with `@kind`: given the member of staff and what they asked for, it
counts the rows and yields them. The same builder serves both ways, so a file
made in the background holds exactly what the page would have given.

Up to `settings.DOWNLOAD_ROWS_AT_ONCE` rows, `respond` returns the file at once
and records the export. Beyond it, `respond` records that a download was asked
for, queues `build_download` and sends the user to the download's page, which
shows its progress and then the link. The worker makes the file as the owner
(their access scope, their area's tenant), in parts of about a megabyte with the
progress committed after each, and records the export when it is ready. A file
is fetched by its owner alone, while they still hold the kind's roles, each
fetch audited, and is deleted a day after it was asked for
(`retention --apply`).
"""

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.tasks import task
from django.utils import timezone

from onestory.core import audit, exports, tenancy
from onestory.core.models import (
    AuditAction,
    Download,
    DownloadPart,
    DownloadStatus,
)

KEPT_FOR = timedelta(days=1)
PART_BYTES = 1024 * 1024
ATTEMPTS = 3  # a download that fails is tried again, later, twice
RETRY_AFTER = timedelta(minutes=1)
# A download still being made after this long has lost its worker: its owner
# may ask again.
STUCK_AFTER = timedelta(minutes=15)
FORMATS = ("csv", "xlsx")


@dataclass
class Export:
    """What a builder gives: the file's name and columns, the number of rows
    it will yield, the rows, and the audit event's detail (which the builder
    may complete while it yields, e.g. the families in it)."""

    name: str
    sheet: str
    columns: list[str]
    total: int
    rows: Iterator[list]
    action: AuditAction
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    build: Callable[..., Export]
    roles: frozenset


KINDS: dict[str, Kind] = {}


def kind(name: str, *, roles):
    """Register a builder: `build(user, params) -> Export`, for staff holding
    at least one of `roles` (checked again by the worker and at each fetch)."""

    def register(build):
        KINDS[name] = Kind(build=build, roles=frozenset(roles))
        return build

    return register


class Refused(Exception):
    """The owner can no longer have this download."""


def _allowed(user, kind_name: str) -> Kind:
    registered = KINDS[kind_name]
    if not user.is_active or not (user.roles & registered.roles):
        raise Refused(kind_name)
    return registered


def _event_detail(export: Export, file_format: str, rows: int, **more) -> dict:
    return {**export.detail, "format": file_format, "rows": rows, **more}


def respond(request, kind_name: str, file_format: str, params: dict):
    """The download as a file now, or, when it is large, a redirect to the page
    of a download the worker will make."""
    registered = _allowed(request.user, kind_name)
    export = registered.build(request.user, params)
    if export.total > settings.DOWNLOAD_ROWS_AT_ONCE:
        return redirect(ask(request.user, kind_name, file_format, params, export))
    rows = list(export.rows)
    audit.record(
        action=export.action,
        by=request.user,
        detail=_event_detail(export, file_format, len(rows)),
    )
    filename = f"{export.name}.{file_format}"
    if file_format == "xlsx":
        return exports.xlsx_response(filename, export.sheet, export.columns, rows)
    return exports.csv_response(filename, export.columns, rows)


def ask(user, kind_name: str, file_format: str, params: dict, export: Export):
    """Record and queue a download for the worker; the download."""
    with transaction.atomic():
        download = Download.objects.create(
            owner=user,
            local_authority_id=user.organisation.local_authority_id,
            kind=kind_name,
            file_format=file_format,
            params=params,
            filename=f"{export.name}.{file_format}",
            rows_total=export.total,
            expires_at=timezone.now() + KEPT_FOR,
        )
        audit.record(
            action=AuditAction.PREPARE_DOWNLOAD,
            by=user,
            obj=download,
            detail={"kind": kind_name, "format": file_format, "rows": export.total},
        )
        # Queued in the same transaction: the worker sees both or neither.
        build_download.enqueue(str(download.local_authority_id), str(download.pk))
    return download


@task
def build_download(local_authority_id: str, download_id: str, attempt: int = 1):
    """Make a download's file, as its owner and their area's tenant. A download
    already made, or being made, is left alone: one asked for twice is made
    once."""
    tenancy.set_tenant(local_authority_id)
    try:
        return build(UUID(download_id))
    except Exception:
        Download.objects.filter(pk=download_id, status=DownloadStatus.BUILDING).update(
            status=DownloadStatus.FAILED
        )
        if attempt < ATTEMPTS:
            build_download.using(
                run_after=timezone.now() + RETRY_AFTER * attempt
            ).enqueue(local_authority_id, download_id, attempt=attempt + 1)
        raise
    finally:
        tenancy.set_tenant(None)


def build(download_id: UUID) -> bool:
    """Make the file; False if there was nothing to do."""
    with transaction.atomic():
        claimed = Download.objects.filter(
            pk=download_id,
            status__in=[DownloadStatus.WAITING, DownloadStatus.FAILED],
            expires_at__gt=timezone.now(),
        ).update(
            status=DownloadStatus.BUILDING,
            attempt=F("attempt") + 1,
            rows_done=0,
            started_at=timezone.now(),
        )
    if not claimed:
        return False
    download = Download.objects.select_related("owner").get(pk=download_id)
    this = Download.objects.filter(pk=download.pk, attempt=download.attempt)
    try:
        registered = _allowed(download.owner, download.kind)
    except Refused:
        # Left or lost the role since asking: nothing is made, nothing retried.
        this.update(status=DownloadStatus.FAILED)
        return False
    export = registered.build(download.owner, download.params)
    parts = _parts(download, export, this)
    size = 0
    for number, data in enumerate(parts):
        with transaction.atomic():
            DownloadPart.objects.create(
                download=download, attempt=download.attempt, number=number, data=data
            )
        size += len(data)
    with transaction.atomic():
        made = this.filter(status=DownloadStatus.BUILDING).update(
            status=DownloadStatus.READY,
            size=size,
            rows_total=download.rows_done,
            finished_at=timezone.now(),
        )
        if made:
            audit.record(
                action=export.action,
                by=download.owner,
                detail=_event_detail(
                    export,
                    download.file_format,
                    download.rows_done,
                    download=str(download.pk),
                ),
            )
    # Earlier attempts' parts are no longer read.
    DownloadPart.objects.filter(
        download=download, attempt__lt=download.attempt
    ).delete()
    return bool(made)


def _parts(download, export: Export, this) -> Iterator[bytes]:
    """The file in parts of about PART_BYTES, counting rows on the download as
    it goes (the count is committed with each part)."""
    done = 0

    def counted():
        nonlocal done
        for row in export.rows:
            done += 1
            download.rows_done = done
            if done % 1000 == 0:
                this.update(rows_done=done)
            yield row

    if download.file_format == "xlsx":
        data = exports.xlsx_bytes(export.sheet, export.columns, list(counted()))
        for start in range(0, len(data), PART_BYTES):
            yield data[start : start + PART_BYTES]
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([exports.safe_cell(cell) for cell in export.columns])
    for row in counted():
        writer.writerow([exports.safe_cell(cell) for cell in row])
        if buffer.tell() >= PART_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def of(user, download_id) -> Download | None:
    """The user's own download that has not expired, or None."""
    return Download.objects.filter(
        pk=download_id, owner=user, expires_at__gt=timezone.now()
    ).first()


def has_expired(user, download_id) -> bool:
    """Whether the user had this download and its day is over."""
    return Download.objects.filter(
        pk=download_id, owner=user, expires_at__lte=timezone.now()
    ).exists()


def recent(user, limit: int = 50):
    """The user's downloads not yet expired, newest first."""
    mine = Download.objects.filter(owner=user, expires_at__gt=timezone.now())
    return mine.order_by("-asked_at")[:limit]


# Seconds between the progress page's own refreshes while a file is made.
PROGRESS_REFRESH_SECONDS = 3


def progress(user, download: Download) -> dict:
    """What a download's page shows: whether the file can be fetched, how far
    it is made, and when the page looks again (None: it need not)."""
    is_stuck = stuck(download)
    making = download.status in (DownloadStatus.WAITING, DownloadStatus.BUILDING)
    done, total = download.rows_done, download.rows_total
    return {
        "download": download,
        "may_fetch": may_fetch(user, download),
        "stuck": is_stuck,
        "percent": 100 * done // total if total else 0,
        "refresh": PROGRESS_REFRESH_SECONDS if making and not is_stuck else None,
    }


def may_fetch(user, download: Download) -> bool:
    try:
        _allowed(user, download.kind)
    except Refused:
        return False
    return download.status == DownloadStatus.READY


def stuck(download: Download) -> bool:
    return (
        download.status == DownloadStatus.BUILDING
        and download.started_at is not None
        and download.started_at < timezone.now() - STUCK_AFTER
    )


def ask_again(download: Download) -> bool:
    """Queue a failed (or lost) download again; False if it needs nothing."""
    if download.status != DownloadStatus.FAILED and not stuck(download):
        return False
    with transaction.atomic():
        Download.objects.filter(pk=download.pk).update(
            status=DownloadStatus.WAITING, expires_at=timezone.now() + KEPT_FOR
        )
        build_download.enqueue(str(download.local_authority_id), str(download.pk))
    return True


def fetch(user, download: Download) -> StreamingHttpResponse:
    """The prepared file, streamed a part at a time; the fetch is audited."""
    audit.record(
        action=AuditAction.FETCH_DOWNLOAD,
        by=user,
        obj=download,
        detail={"kind": download.kind, "format": download.file_format},
    )
    csv_type = "text/csv; charset=utf-8"
    response = StreamingHttpResponse(
        contents(download),
        content_type=exports.XLSX if download.file_format == "xlsx" else csv_type,
    )
    response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
    response["Content-Length"] = str(download.size)
    return response


def contents(download: Download) -> Iterator[bytes]:
    """The file's bytes, a part at a time (memory stays bounded)."""
    numbers = list(
        DownloadPart.objects.filter(download=download, attempt=download.attempt)
        .order_by("number")
        .values_list("pk", flat=True)
    )
    for pk in numbers:
        yield bytes(DownloadPart.objects.values_list("data", flat=True).get(pk=pk))


def delete_expired() -> int:
    """Delete downloads past their day, with their files."""
    expired = Download.objects.filter(expires_at__lte=timezone.now())
    DownloadPart.objects.filter(download__in=expired).delete()
    return expired.delete()[0]
