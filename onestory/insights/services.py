from django.db import transaction

from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.insights.models import LearningEntry


@transaction.atomic
def record_learning(
    *,
    period: str,
    metric_codes: list[str],
    team,
    question: str,
    tried: str,
    noticed: str,
    next_steps: str,
    by,
) -> LearningEntry:
    entry = LearningEntry.objects.create(
        local_authority=by.organisation.local_authority,
        team=team,
        period=period,
        metric_codes=metric_codes,
        question=question,
        tried=tried,
        noticed=noticed,
        next_steps=next_steps,
        written_by=by,
    )
    audit.record(
        action=AuditAction.RECORD_LEARNING,
        by=by,
        obj=entry,
        detail={"period": period, "metrics": metric_codes},
    )
    return entry
