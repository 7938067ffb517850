"""The caseload as a download (core/downloads.py)."""

from django.conf import settings
from django.utils import timezone

from onestory.accounts.models import FAMILY_ROLES
from onestory.core import downloads
from onestory.core.models import AuditAction
from onestory.families import presenters, queries


@downloads.kind("caseload", roles=FAMILY_ROLES)
def caseload(user, params: dict) -> downloads.Export:
    """The families the user works with now, nothing restricted; the export's
    audit event names every family in it."""
    detail: dict[str, list[str]] = {"family_ids": []}

    def rows():
        families = list(queries.list_caseload(user))
        details = queries.caseload_details(user, families)
        for row in presenters.caseload_rows(families, details):
            detail["family_ids"].append(str(row.family.pk))
            yield presenters.caseload_row(row, settings.NO_CONTACT_DAYS)

    return downloads.Export(
        name=f"caseload-{timezone.localdate():%Y-%m-%d}",
        sheet="My caseload",
        columns=presenters.CASELOAD_COLUMNS,
        total=queries.list_caseload(user).count(),
        rows=rows(),
        action=AuditAction.EXPORT_CASELOAD,
        detail=detail,
    )
