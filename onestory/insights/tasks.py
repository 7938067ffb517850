"""Background work of the report, through Django's tasks framework (queued in
the database, run by `python -m onestory db_worker`; docs/operations.md)."""

from datetime import timedelta
from uuid import UUID

from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from onestory.core import tenancy
from onestory.insights import stored

ATTEMPTS = 3  # a refresh that fails is tried again, later, twice
RETRY_AFTER = timedelta(minutes=1)


@task
def refresh_report(
    local_authority_id: str, period: str, filters: str, attempt: int = 1
) -> bool:
    """Store a settled period's figures for one area and choice of filters
    (stored.refresh: nothing is computed if they are current already, so a
    refresh asked for twice runs once). As the area's tenant only."""
    tenancy.set_tenant(local_authority_id)
    try:
        scope = stored.scope_of(UUID(local_authority_id), period, filters)
        return stored.refresh(scope)
    except Exception:
        if attempt < ATTEMPTS:
            refresh_report.using(
                run_after=timezone.now() + RETRY_AFTER * attempt
            ).enqueue(local_authority_id, period, filters, attempt=attempt + 1)
        raise
    finally:
        tenancy.set_tenant(None)


def ask_for_refresh(scope) -> None:
    """Queue a refresh of the scope's stored figures, unless one is waiting
    already."""
    from django_tasks_db.models import DBTaskResult

    args = [str(scope.local_authority_id), scope.period.key, stored.filters_key(scope)]
    with transaction.atomic():
        waiting = DBTaskResult.objects.filter(
            task_path=refresh_report.module_path,
            status=TaskResultStatus.READY,
            args_kwargs__args=args,
        )
        if not waiting.exists():
            refresh_report.enqueue(*args)
