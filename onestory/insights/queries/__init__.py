"""Report figures, computed in the database (set-based SQL), never by looping
over records in Python.

A `Scope` is the report's filters: a local authority, a period and optionally a
hub, organisation, team, level or programme. Each figure module builds Django
querysets over the scope and, where the ORM cannot say it (percentiles, first and
last scores, consecutive contacts), wraps their compiled SQL in a few lines of
hand-written SQL that runs the same on SQLite and PostgreSQL. docs/insights.md
gives each figure's definition and query.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from onestory.core import replica
from onestory.insights.domain import Period, born_after

# Equity groups a report can be narrowed to: every figure about families is
# then for that group's families only (domain.md §8.7).
AGE_GROUPS = {  # youngest parent or carer's age: (at least, under)
    "under-20": (0, 20),
    "20-24": (20, 25),
    "25-34": (25, 35),
    "35-plus": (35, None),
}
GROUPS = [
    ("age:under-20", "Youngest parent under 20"),
    ("age:20-24", "Youngest parent 20 to 24"),
    ("age:25-34", "Youngest parent 25 to 34"),
    ("age:35-plus", "Youngest parent 35 or over"),
    ("language:other", "A parent whose first language is not English"),
    ("role:father_or_partner", "A father or partner recorded"),
    ("ethnic:white", "A parent in the White group"),
    ("ethnic:mixed", "A parent in the Mixed group"),
    ("ethnic:asian", "A parent in the Asian or Asian British group"),
    ("ethnic:black", "A parent in the Black or Black British group"),
    ("ethnic:other", "A parent in another ethnic group"),
    ("imd:1", "Deprivation quintile 1 (most deprived)"),
    ("imd:2", "Deprivation quintile 2"),
    ("imd:3", "Deprivation quintile 3"),
    ("imd:4", "Deprivation quintile 4"),
    ("imd:5", "Deprivation quintile 5 (least deprived)"),
]

ATTENDED = ("attended", "late")  # NHS attendance codes 5 and 6 (domain.md §8)


class Day(Func):
    """A date as a whole number of days, so differences are plain subtraction
    on both databases."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(
            compiler, conn, template="CAST(julianday(%(expressions)s) AS INTEGER)"
        )

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(
            compiler, conn, template="((%(expressions)s) - DATE '1970-01-01')"
        )


def local_day(field: str) -> Day:
    """The local (Europe/London) calendar day of a date-time, as a day number."""
    return Day(TruncDate(field))


def moment(day) -> datetime:
    """Midnight at the start of `day`, local time."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class Scope:
    """The report's filters. Every query starts from `episodes()` or the local
    authority, so no figure reaches past the user's area."""

    local_authority_id: uuid.UUID
    period: Period
    hub_id: uuid.UUID | None = None
    organisation_id: uuid.UUID | None = None
    team_id: uuid.UUID | None = None
    level: str = ""
    programme_id: uuid.UUID | None = None
    group: str = ""  # a key of GROUPS: the families of one equity group

    @property
    def start(self) -> datetime:
        return moment(self.period.start)

    @property
    def end_day(self) -> date:
        """The day after the period, or tomorrow for a period not yet over:
        figures "at the end of the period" are as at today until it ends."""
        return min(self.period.end, timezone.localdate() + timedelta(days=1))

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    @property
    def end(self) -> datetime:
        return moment(self.end_day)

    @property
    def narrowed(self) -> bool:
        return any(
            (self.hub_id, self.organisation_id, self.team_id, self.level, self.group)
        ) or bool(self.programme_id)

    def episodes(self):
        from onestory.support.models import Episode

        episodes = Episode.objects.filter(
            family__local_authority=self.local_authority_id
        )
        if self.team_id:
            episodes = episodes.filter(team=self.team_id)
        if self.hub_id:
            episodes = episodes.filter(team__hub=self.hub_id)
        if self.organisation_id:
            episodes = episodes.filter(team__organisation=self.organisation_id)
        if self.level:
            episodes = episodes.annotate(level_at_end=self.level_at_end()).filter(
                level_at_end=self.level
            )
        if self.programme_id:
            episodes = episodes.filter(family__in=self.programme_families())
        if self.group:
            episodes = episodes.filter(family__in=self.group_families())
        return episodes

    def group_families(self):
        """The families of the chosen equity group (GROUPS), as they are at the
        end of the period."""
        from onestory.families.models import Family, Person
        from onestory.insights.models import AreaDeprivation

        kind, _, value = self.group.partition(":")
        families = Family.objects.filter(local_authority=self.local_authority_id)
        parents = Person.objects.filter(family=OuterRef("pk"), role="parent_carer")
        if kind == "age":
            youngest = parents.order_by(F("date_of_birth").desc(nulls_last=True))
            families = families.annotate(
                youngest=Subquery(youngest.values("date_of_birth")[:1])
            )
            low, high = AGE_GROUPS[value]
            if high is not None:
                families = families.filter(youngest__gt=born_after(self.last_day, high))
            if low:
                families = families.filter(youngest__lte=born_after(self.last_day, low))
            return families.values("pk")
        if kind == "language":
            other = parents.exclude(preferred_language__iexact="English")
            return families.filter(Exists(other)).values("pk")
        if kind == "role":
            return families.filter(Exists(parents.filter(parent_role=value))).values(
                "pk"
            )
        if kind == "ethnic":
            from onestory.families.models import ETHNIC_GROUPS

            letters = list(ETHNIC_GROUPS[value][1])
            found = parents.filter(ethnic_category__in=letters)
            return families.filter(Exists(found)).values("pk")
        quintile = int(value)
        areas = AreaDeprivation.objects.filter(
            imd_decile__in=(2 * quintile - 1, 2 * quintile)
        )
        return families.filter(postcode__in=areas.values("postcode")).values("pk")

    def level_at_end(self, episode="pk"):
        """The episode's level at the end of the period (its latest change)."""
        from onestory.support.models import LevelChange

        return Subquery(
            LevelChange.objects.filter(
                episode=OuterRef(episode), changed_at__lt=self.end
            )
            .order_by("-changed_at", "-id")
            .values("to_level")[:1]
        )

    def programme_families(self):
        from onestory.families.models import Person

        return Person.objects.filter(
            Q(interventions__programme=self.programme_id)
            | Q(course_places__course__programme=self.programme_id)
        ).values("family")

    def families(self):
        return self.episodes().values("family")

    def attended_contacts(self, *, since=None, until=None):
        """Attended contacts of the scope's episodes, in the period by default."""
        from onestory.support.models import Contact

        # The whole area: through the contact's own episode and family, which
        # the figures join anyway, so each is read (and its row-level security
        # checked) once, not again in an `IN (episodes)` subquery.
        if self.narrowed:
            of_scope = {"episode__in": self.episodes().values("pk")}
        else:
            of_scope = {"episode__family__local_authority": self.local_authority_id}
        return Contact.objects.filter(
            **of_scope,
            attendance__in=ATTENDED,
            occurred_at__gte=self.start if since is None else since,
            occurred_at__lt=self.end if until is None else until,
        )


def compiled(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def run(inputs: list[tuple[str, QuerySet]], select: str, params=(), *, then=""):
    """Run hand-written SQL over querysets; returns the rows.

    `inputs` are (name and columns, queryset) pairs, for example
    `("w(days)", queryset.values_list("days"))`; each becomes a common table
    expression of the queryset's own compiled SQL. `then` adds more expressions
    written here, and `select` is the final SELECT, with `%s` for `params`. No
    value is ever formatted into the text."""
    parts: list[str] = []
    values: list = []
    for name, queryset in inputs:
        # A set has no order: drop the models' default ordering (a wasted sort).
        sql, input_params = compiled(queryset.order_by())
        parts.append(f"{name} AS ({sql})")
        values.extend(input_params)
    if then:
        parts.append(then)
    # A report's reads go to the replica inside a marked view (core/replica.py).
    with connections[replica.reads_alias()].cursor() as cursor:
        cursor.execute("WITH " + ", ".join(parts) + " " + select, [*values, *params])
        return cursor.fetchall()


def percentiles(values, points=(50, 90)) -> tuple[int, list]:
    """How many values, and the nearest-rank percentiles of them: the smallest
    value with at least p% of the values at or below it. `values` is a queryset
    of one number per row."""
    picks = ", ".join(
        f"MIN(CASE WHEN rn * 100 >= {int(p)} * n THEN v END)" for p in points
    )
    rows = run(
        [("w(v)", values)],
        f"SELECT MAX(n), {picks} FROM ranked",  # noqa: S608 (whole numbers from our own code)
        then="ranked AS (SELECT v, ROW_NUMBER() OVER (ORDER BY v) AS rn, "
        "COUNT(*) OVER () AS n FROM w WHERE v IS NOT NULL)",
    )
    count, *found = rows[0]
    return count or 0, found
