"""The service report: its sections in order, and the monthly run charts."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connections, transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth

from onestory.core import replica
from onestory.insights import domain
from onestory.insights.domain import Figure
from onestory.insights.queries import (
    Scope,
    activity,
    change,
    continuity,
    outcomes,
    peer_support,
    people,
    waits,
)

SECTIONS = (
    ("reach", "Reach", (activity.reach,)),
    ("waits", "Waiting times", (waits.waits,)),
    ("completion", "Episodes ended", (activity.completion,)),
    ("outcomes", "Outcomes", (outcomes.outcomes, change.change)),
    (
        "continuity",
        "Continuity: keeping the same practitioner",
        (continuity.continuity,),
    ),
    ("triage", "Triage and peer support", (activity.triage, peer_support.peer_support)),
    ("workforce", "Workforce", (people.workforce,)),
    ("feedback", "What families told us", (people.feedback,)),
    ("equity", "Equity: who we reach", (people.equity,)),
)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure]


@contextmanager
def without_jit():
    """PostgreSQL's JIT compiler off for the report's queries. Row-level
    security adds a subplan per table, which lifts their estimated cost over
    `jit_above_cost`; compiling then took longer than running (bench/RESULTS.md:
    14 s with JIT, 5.6 s without, on 20,000 families as the runtime role)."""
    alias = replica.reads_alias()  # the connection the report reads from
    if connections[alias].vendor != "postgresql":
        yield
        return
    # No savepoint: inside an outer transaction (the replica block's), SET LOCAL
    # holds to its end, which is harmless for reads.
    with (
        transaction.atomic(using=alias, savepoint=False),
        connections[alias].cursor() as cursor,
    ):
        cursor.execute("SET LOCAL jit = off")
        yield


def report(scope: Scope) -> list[Section]:
    with without_jit():
        return [
            Section(key, title, [figure for part in parts for figure in part(scope)])
            for key, title, parts in SECTIONS
        ]


@dataclass(frozen=True)
class Point:
    period: domain.Period
    families: int
    requests: int


def monthly(scope: Scope, months: int = 12) -> list[Point]:
    """Families reached (R1) and new requests (R3) for each of the `months`
    months ending with the period: two grouped queries."""
    with without_jit():
        return _monthly(scope, months)


def _monthly(scope: Scope, months: int) -> list[Point]:
    periods = _months_ending(scope.period, months)
    since = Scope(scope.local_authority_id, periods[0]).start
    reached = dict(
        scope.attended_contacts(since=since)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(n=Count("episode__family", distinct=True))
        .values_list("month", "n")
    )
    received = dict(
        activity.requests(scope)
        .filter(received_on__gte=periods[0].start, received_on__lt=scope.end_day)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    reached = {_key(k): v for k, v in reached.items()}
    received = {_key(k): v for k, v in received.items()}
    return [
        Point(p, reached.get(p.start, 0), received.get(p.start, 0)) for p in periods
    ]


def _key(value):
    return value.date() if hasattr(value, "date") else value


def _months_ending(period: domain.Period, count: int) -> list[domain.Period]:
    year, number = period.end.year, period.end.month
    out = []
    for _ in range(count):
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
        out.append(domain.month(year, number))
    return out[::-1]
