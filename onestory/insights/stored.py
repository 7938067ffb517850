"""Settled periods' figures, kept so the report reads them instead of
computing them again (docs/insights.md, "Stored figures").

A quarter or month is settled once it has been over for `SETTLES_AFTER` (C8
follows a change of lead for 42 days, so until then its figures still move with
time). Its report, for each choice of filters asked for, is stored with every count
exact; the suppression of disclosure.py applies on reading, as to figures
computed live. Stored figures are current while they carry the area's
`ReportVersion`: a write dated before the end of the last settled month (a
contact recorded late, a questionnaire amended, a parent's details changed)
calls `changed()` in its own transaction, which moves the version on, so every
stored report of the area stops being used at once; the page then computes
live and asks for a refresh (tasks.py), which stores the figures again with
the version they were computed from. The current quarter, and any period not
yet settled, is always computed live.
"""

import json
import uuid
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from django.db import connection, transaction
from django.db.models import F, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from onestory.insights import domain
from onestory.insights.domain import Figure
from onestory.insights.queries import Scope
from onestory.insights.queries.leads import LOST_AFTER_DAYS
from onestory.insights.queries.report import Point, Section, monthly, report

SETTLES_AFTER = timedelta(days=LOST_AFTER_DAYS)
FILTERS = ("hub_id", "organisation_id", "team_id", "level", "programme_id", "group")


def settled_until(today: date) -> date:
    """The end of the latest settled month: data dated before it is in some
    settled period's figures."""
    day = today - SETTLES_AFTER
    return date(day.year, day.month, 1)


def is_settled(period: domain.Period, today: date) -> bool:
    """A quarter or month is settled once it has been over for SETTLES_AFTER."""
    return period.end <= settled_until(today)


def changed(*, on: date | None = None, local_authority=None, family=None) -> None:
    """Data of an area (or of a family, whose area it is) dated `on` was
    written in the current transaction; None: of no one date, such as a
    parent's ethnic group, which every quarter's figures use as it is now. If
    a settled period's figures could rest on it, the area's stored figures
    are no longer current. One statement, in the writer's transaction, so the
    stored figures and the data cannot disagree once it commits."""
    if on is not None and on >= settled_until(timezone.localdate()):
        return
    if callable(local_authority):  # found only when needed (core/changes.py)
        local_authority = local_authority()
    from onestory.families.models import Family
    from onestory.insights.models import ReportVersion

    table = connection.ops.quote_name(ReportVersion._meta.db_table)
    if family is not None:
        area = "SELECT local_authority_id, 1 FROM families_family WHERE id = %s"
        value = Family._meta.pk.get_db_prep_value(family, connection)
    else:
        area = "VALUES (%s, 1)"
        value = ReportVersion._meta.pk.get_db_prep_value(local_authority, connection)
    with connection.cursor() as cursor:
        # An upsert, never read-then-write: two writers both move it on, and a
        # refresh that has not yet created the row waits for this one's.
        cursor.execute(
            f"INSERT INTO {table} (local_authority_id, version) {area} "
            "ON CONFLICT (local_authority_id) "
            f"DO UPDATE SET version = {table}.version + 1",
            [value],
        )


def filters_key(scope: Scope) -> str:
    """The scope's filters as one string, the same however they were chosen."""
    return "&".join(f"{name}={getattr(scope, name) or ''}" for name in FILTERS)


def scope_of(local_authority_id, period_key: str, filters: str) -> Scope:
    chosen = dict(part.split("=", 1) for part in filters.split("&"))

    def chosen_id(name: str) -> uuid.UUID | None:
        return uuid.UUID(chosen[name]) if chosen.get(name) else None

    return Scope(
        local_authority_id,
        stored_period(period_key),
        hub_id=chosen_id("hub_id"),
        organisation_id=chosen_id("organisation_id"),
        team_id=chosen_id("team_id"),
        level=chosen.get("level") or "",
        programme_id=chosen_id("programme_id"),
        group=chosen.get("group") or "",
    )


def stored_period(key: str) -> domain.Period:
    """The period of a key onestory stored itself, so always a valid one."""
    period = domain.parse_period(key)
    if period is None:
        raise ValueError(f"Not a report period: {key!r}")
    return period


def figures(scope: Scope) -> tuple[list[Section], list[Point]]:
    """The report's sections and run-chart points: stored if current, else
    computed live (and, for a settled period, a refresh asked for)."""
    found = read(scope)
    if found is not None:
        return found
    if is_settled(scope.period, timezone.localdate()):
        from onestory.insights.tasks import ask_for_refresh

        ask_for_refresh(scope)
    return report(scope), monthly(scope)


def _current_version(local_authority_id):
    from onestory.insights.models import ReportVersion

    return Coalesce(
        Subquery(
            ReportVersion.objects.filter(local_authority=local_authority_id).values(
                "version"
            )[:1]
        ),
        0,
    )


def read(scope: Scope):
    """The stored sections and points, if stored at the area's current version:
    one query."""
    from onestory.insights.models import StoredReport

    if not is_settled(scope.period, timezone.localdate()):
        return None
    row = (
        StoredReport.objects.filter(
            local_authority=scope.local_authority_id,
            period=scope.period.key,
            filters=filters_key(scope),
        )
        .alias(current=_current_version(scope.local_authority_id))
        .filter(version=F("current"))
        .values_list("figures", flat=True)
        .first()
    )
    return None if row is None else decode(row)


def refresh(scope: Scope) -> bool:
    """Compute and store the scope's figures, unless they are stored at the
    current version already. True when it computed. The tenant must be set
    (PostgreSQL): the figures are the area's."""
    from onestory.insights.models import ReportVersion, StoredReport

    if not is_settled(scope.period, timezone.localdate()):
        return False
    # The version row first, committed, so a writer's upsert from now on
    # moves it on; then the version, read before any figure is.
    with transaction.atomic():
        ReportVersion.objects.get_or_create(local_authority_id=scope.local_authority_id)
    if read(scope) is not None:
        return False
    version = ReportVersion.objects.get(
        local_authority_id=scope.local_authority_id
    ).version
    data = encode(report(scope), monthly(scope))
    with transaction.atomic():
        StoredReport.objects.update_or_create(
            local_authority_id=scope.local_authority_id,
            period=scope.period.key,
            filters=filters_key(scope),
            defaults={
                "version": version,
                "figures": data,
                "computed_at": timezone.now(),
            },
        )
    return True


# Figures as JSON and back: exactly the values computed (a Fraction stays one).


def encode(sections: list[Section], points: list[Point]) -> dict:
    return {
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "figures": [_figure(f) for f in s.figures],
            }
            for s in sections
        ],
        "points": [[p.period.key, p.families, p.requests] for p in points],
    }


def decode(data) -> tuple[list[Section], list[Point]]:
    if isinstance(data, str):  # a JSON column read as text
        data = json.loads(data)
    sections = [
        Section(s["key"], s["title"], [_unfigure(f) for f in s["figures"]])
        for s in data["sections"]
    ]
    points = [
        Point(stored_period(key), families, requests)
        for key, families, requests in data["points"]
    ]
    return sections, points


def _figure(figure: Figure) -> dict:
    return {
        "code": figure.code,
        "title": figure.title,
        "value": _value(figure.value),
        "definition": figure.definition,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "unit": figure.unit,
        "note": figure.note,
        "breakdown": [[label, _figure(part)] for label, part in figure.breakdown],
    }


def _unfigure(data: dict) -> Figure:
    return Figure(
        code=data["code"],
        title=data["title"],
        value=_unvalue(data["value"]),
        definition=data["definition"],
        numerator=data["numerator"],
        denominator=data["denominator"],
        unit=data["unit"],
        note=data["note"],
        breakdown=tuple((label, _unfigure(part)) for label, part in data["breakdown"]),
    )


def _value(value):
    if isinstance(value, Fraction):
        return {"fraction": [value.numerator, value.denominator]}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _unvalue(value):
    if isinstance(value, dict):
        if "fraction" in value:
            return Fraction(*value["fraction"])
        return Decimal(value["decimal"])
    return value
