"""The figures of an incident: its live board, and after stand-down its
report for learning. Counts only: no family is named in either."""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Min

from onestory.incidents import domain
from onestory.incidents.models import NEEDS, Outcome, WelfareCheck


@dataclass(frozen=True)
class Board:
    """The live board: how many checked and not, by area and rest centre."""

    listed: int
    reached: int
    escalated: int
    needs: int
    by_area: list  # [(area name, listed, reached)]
    by_rest_centre: list  # [(rest centre name, families)]
    outcomes: list  # [(outcome label, families)]


def board(incident) -> Board:
    rows = list(
        WelfareCheck.objects.filter(
            incident=incident, left_area_at__isnull=True
        ).values_list(
            "area__name", "reached_at", "escalated_at", "outcome", "rest_centre__name"
        )
    )
    areas: dict = {}
    centres: Counter = Counter()
    outcomes: Counter = Counter()
    for area, reached_at, _escalated, outcome, centre in rows:
        listed, reached = areas.get(area, (0, 0))
        areas[area] = (listed + 1, reached + (reached_at is not None))
        if centre:
            centres[centre] += 1
        if outcome:
            outcomes[outcome] += 1
    labels = dict(Outcome.choices)
    return Board(
        listed=len(rows),
        reached=sum(1 for row in rows if row[1] is not None),
        escalated=sum(1 for row in rows if row[2] is not None and row[1] is None),
        needs=sum(1 for row in rows if row[3] in NEEDS),
        by_area=[(name, *counts) for name, counts in sorted(areas.items())],
        by_rest_centre=sorted(centres.items()),
        outcomes=[
            (labels[code], outcomes[code])
            for code, _ in Outcome.choices
            if outcomes[code]
        ],
    )


@dataclass(frozen=True)
class Report:
    """After stand-down, for learning: no family in it."""

    listed: int
    reached: int
    first_check_after: timedelta | None
    within: list  # [(hours, share of the listed reached within them, or None)]
    outcomes: list  # [(outcome label, families)]

    @property
    def first_check_words(self) -> str:
        if self.first_check_after is None:
            return "No check was tried"
        minutes = int(self.first_check_after.total_seconds() // 60)
        hours, minutes = divmod(minutes, 60)
        parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
        return " ".join(parts) + " after the incident began"

    @property
    def within_words(self) -> list[tuple[str, str]]:
        return [
            (
                f"Reached within {hours} hours",
                "No families" if share is None else f"{round(share * 100)}%",
            )
            for hours, share in self.within
        ]


def report(incident) -> Report:
    checks = WelfareCheck.objects.filter(incident=incident)
    rows = list(checks.values_list("reached_at", "outcome"))
    first = checks.aggregate(first=Min("attempt_rows__at"))["first"]
    listed = len(rows)
    labels = dict(Outcome.choices)
    outcomes = Counter(outcome for _, outcome in rows if outcome)

    def share(hours):
        if not listed:
            return None
        reached = sum(
            domain.within_hours(incident.started_at, at, hours) for at, _ in rows
        )
        return reached / listed

    return Report(
        listed=listed,
        reached=sum(1 for reached_at, _ in rows if reached_at),
        first_check_after=first - incident.started_at if first else None,
        within=[(hours, share(hours)) for hours in (4, 12, 24)],
        outcomes=[
            (labels[code], outcomes[code])
            for code, _ in Outcome.choices
            if outcomes[code]
        ],
    )
