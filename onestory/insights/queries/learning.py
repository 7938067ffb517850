"""Reads of the learning log: what teams have learned, beside the figures."""

from onestory.insights.models import LearningEntry
from onestory.insights.queries import Scope


def learning_by_metric(scope: Scope) -> dict[str, list[LearningEntry]]:
    """The entries about the scope's area and period, by the metric each is
    about (an entry about two metrics is under both)."""
    entries = LearningEntry.objects.filter(
        local_authority=scope.local_authority_id, period=scope.period.key
    ).select_related("team", "written_by")
    by_metric: dict[str, list[LearningEntry]] = {}
    for entry in entries:
        for code in entry.metric_codes:
            by_metric.setdefault(code, []).append(entry)
    return by_metric


def newest_learning(user, limit: int = 100):
    """The newest entries of the user's area."""
    entries = LearningEntry.objects.in_area_of(user)
    return entries.select_related("team", "written_by")[:limit]
