"""The hot reads' query plans, after ANALYZE, on both databases: no full scan of
a table of family data.

A demo city is loaded (the demo runs ANALYZE as it ends, on PostgreSQL on
onestory's own tables only), the SQL of each hot read is captured as it runs,
and each statement is EXPLAINed:

- SQLite: the small city's statistics are replaced by those a 20,000-family
  demo city produces (`sqlite_stat1_of_a_20000_family_city.tsv`, reloaded with
  `ANALYZE sqlite_schema`), so the planner chooses as it would in a big city. A
  plan fails when it SCANs a family-data table those statistics call big, or
  SEARCHes one through an index on a nullable column for its NULLs (an index
  that cannot tell the NULLs apart: every row without a value is walked; the
  caseload once walked every outstanding review point of the city so).
  Regenerate the statistics after `demo --families 20000` with
  `sqlite3 -separator $'\\t' CITY.sqlite3 "SELECT tbl, idx, stat FROM
  sqlite_stat1 WHERE tbl NOT LIKE 'django_%' AND tbl NOT LIKE 'auth_%'
  ORDER BY tbl, idx"`.
- PostgreSQL: a small city's tables are small, and for a small table a
  sequential scan is the right plan, so a Seq Scan alone proves nothing. The
  plans are taken with `SET LOCAL enable_seqscan = off` (inside the test's
  transaction): the planner then takes a sequential scan only when no index can
  serve the query, which is the defect a big city would pay for. A plan fails on
  a Seq Scan of a family-data table. (A whole index read once, say for a hash
  anti-join, is how the planner then reads a small table cheaply: it proves
  nothing either, and is not flagged.)
"""

import io
import re
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onestory.families.record_views import SECTIONS
from tests.conftest import family_data_tables

STATISTICS = Path(__file__).with_name("sqlite_stat1_of_a_20000_family_city.tsv")
# A scan of a table the big city's statistics call smaller than this is the
# planner's right choice there (the demo books few course places, say).
SMALL_TABLE_ROWS = 1000


@pytest.fixture(scope="module")
def _demo_city(django_db_setup, django_db_blocker):
    """One demo city for the module, loaded once and rolled back at its end
    (each test's own writes roll back after it, as ever)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):  # the demo runs in development only
            call_command(
                "demo", families=60, seed=7, stdout=io.StringIO(), stderr=io.StringIO()
            )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def analysed_city(_demo_city, db, settings):
    settings.DEBUG = True  # as the demo was loaded
    if connection.vendor == "sqlite":
        _load_big_city_statistics()


def _load_big_city_statistics():
    rows = [
        line.split("\t") for line in STATISTICS.read_text().splitlines() if line.strip()
    ]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.executemany(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
            [(tbl, idx or None, stat) for tbl, idx, stat in rows],
        )
        cursor.execute("ANALYZE sqlite_schema")  # reload them into the planner


def _practitioner():
    from onestory.accounts.models import User

    return (
        User.objects.annotate(
            open_cases=Count("involvements", filter=Q(involvements__ended_at=None))
        )
        .filter(role_grants__role="practitioner")
        .order_by("-open_cases", "pk")
        .first()
    )


def _family_with_questionnaires(user):
    from onestory.families.models import Family

    return (
        Family.objects.visible_to(user)
        .filter(members__questionnaires__isnull=False)
        .order_by("pk")
        .first()
    )


def _pages(client, user):
    family = _family_with_questionnaires(user)
    response = family.members.filter(questionnaires__isnull=False).first()
    code = response.questionnaires.first().instrument_code
    return {
        "caseload": [reverse("families:my_caseload")],
        # The record's summary and each of its pages (issue 15).
        "family record": [
            reverse(f"families:{section.name}", args=[family.pk])
            for section in SECTIONS
        ],
        "the record's questionnaires": [
            reverse("measures:show_progress", args=[family.pk, response.pk, code]),
            reverse("measures:print_progress_sheet", args=[family.pk]),
        ],
    }


# The family's own view: every page that takes no id, as a parent reads it.
FAMILY_VIEW_PAGES = (
    "/your-family/",
    "/your-family/story/",
    "/your-family/plan/",
    "/your-family/progress/",
    "/your-family/questionnaires/",
    "/your-family/who-can-see/",
    "/your-family/coming-up/",
)


def _captured_family_view(client) -> list[str]:
    """A demo parent signs in (link, then date of birth) and reads each page."""
    from onestory.notify.models import Message
    from onestory.parents import services
    from onestory.parents.models import FamilyAccess

    access = FamilyAccess.objects.filter(paused_at=None).order_by("invited_at").first()
    services.ask_for_sign_in_link(access=access, link_base="http://testserver/t/")
    token = (
        Message.objects.filter(kind="sign_in_link")
        .latest("queued_at")
        .personalisation["link"]
        .removeprefix("http://testserver/t/")
        .rstrip("/")
    )
    born = access.person.date_of_birth
    signed_in = client.post(
        f"/your-family/sign-in/{token}/",
        {
            "date_of_birth_0": born.day,
            "date_of_birth_1": born.month,
            "date_of_birth_2": born.year,
        },
    )
    assert signed_in.status_code == 302
    with CaptureQueriesContext(connection) as captured:
        for url in FAMILY_VIEW_PAGES:
            assert client.get(url).status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def _captured_incident(client) -> list[str]:
    """The emergency lead declares the demo's Keyham incident, adds its route
    and reads its pages: finding, ranking and assigning the families inside
    and listing them read no family data table whole."""
    from onestory.accounts import demo as accounts_demo
    from onestory.incidents import areas, services
    from onestory.incidents import demo as incidents_demo

    lead = accounts_demo.named("emergency.lead")
    client.force_login(lead)
    with CaptureQueriesContext(connection) as captured:
        incident = services.declare(
            name="Plans",
            started_at=timezone.now(),
            area_name="Keyham",
            kind="circle",
            where=incidents_demo.KEYHAM,
            radius_m=309,
            by=lead,
        )
        areas.add_area(
            incident=incident,
            name="Route",
            kind="route",
            route=incidents_demo.ROUTE,
            buffer_m=300,
            by=lead,
        )
        check = incident.checks.order_by("rank").first()
        urls = [
            reverse("incidents:incident", args=[incident.pk]),
            reverse("incidents:families", args=[incident.pk]) + "?show=all",
            reverse("incidents:print", args=[incident.pk]),
            reverse("incidents:welfare_check", args=[incident.pk, check.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def _captured_pages(client, name) -> list[str]:
    if name == "the family's own view":
        return _captured_family_view(client)
    if name == "a major incident":
        return _captured_incident(client)
    user = _practitioner()
    client.force_login(user)
    urls = _pages(client, user)[name]
    with CaptureQueriesContext(connection) as captured:
        for url in urls:
            assert client.get(url).status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def _captured_report(section: str, quarter: str = "last") -> list[str]:
    from onestory.accounts.models import LocalAuthority
    from onestory.insights import domain
    from onestory.insights.queries import (
        Scope,
        activity,
        continuity,
        outcomes,
        peer_support,
        people,
        waits,
    )

    today = timezone.localdate()
    period = domain.last_full_quarter(today)
    if quarter == "current":
        period = domain.quarter_of(today)
    scope = Scope(LocalAuthority.objects.get().pk, period)
    part = {
        "outcomes": outcomes.outcomes,
        "waits": waits.waits,
        "continuity": continuity.continuity,
        "peer support": peer_support.peer_support,
        "equity": people.equity,
        "reach": activity.reach,
    }[section]
    with CaptureQueriesContext(connection) as captured:
        assert part(scope)
    return [query["sql"] for query in captured.captured_queries]


def _captured_outcomes() -> list[str]:
    return _captured_report("outcomes")


@pytest.mark.parametrize(
    "read",
    [
        "caseload",
        "family record",
        "the record's questionnaires",
        "the family's own view",
        "a major incident",
    ],
)
def test_no_page_read_scans_a_family_data_table(analysed_city, client, read):
    problems = _problems(_captured_pages(client, read), once_allowed=False)
    assert problems == []


def test_the_outcomes_report_scans_no_family_data_table_row_by_row(analysed_city):
    """The report reads the area's families and the quarter's episodes in one
    pass each (linear in the city, until its finished quarters are stored); a
    scan repeated for every row is what took its outcomes from 3 s to 124 s."""
    problems = _problems(_captured_outcomes(), once_allowed=True)
    assert problems == []


@pytest.mark.parametrize("quarter", ["last", "current"])
@pytest.mark.parametrize(
    "section", ["reach", "waits", "continuity", "peer support", "equity"]
)
def test_the_quarter_under_ways_slow_sections_scan_nothing_row_by_row(
    analysed_city, section, quarter
):
    """The sections that took longest for the quarter under way (bench/RESULTS.md,
    issue 14): each of their reads passes the area's tables once at most."""
    problems = _problems(_captured_report(section, quarter), once_allowed=True)
    assert problems == []


def _problems(statements, *, once_allowed: bool) -> list[str]:
    reads = [sql for sql in statements if re.match(r"\s*(SELECT|WITH)\b", sql)]
    assert reads
    return [problem for sql in reads for problem in plan_problems(sql, once_allowed)]


def plan_problems(sql: str, once_allowed: bool = False) -> list[str]:
    if connection.vendor == "sqlite":
        return _sqlite_problems(sql, once_allowed)
    return _postgresql_problems(sql, once_allowed)


def _sqlite_problems(sql: str, once_allowed: bool) -> list[str]:
    family_data = family_data_tables()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        steps = {row[0]: (row[1], row[3]) for row in cursor.fetchall()}
        cursor.execute("SELECT tbl, stat FROM sqlite_stat1 WHERE idx IS NULL")
        sizes = {tbl: int(stat.split()[0]) for tbl, stat in cursor.fetchall()}
        cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1")
        for tbl, _idx, stat in cursor.fetchall():
            sizes[tbl] = max(sizes.get(tbl, 0), int(stat.split()[0]))
    # Django names a table's second use with an alias: "support_episode" "U0".
    aliases = {alias: table for table, alias in re.findall(r'"(\w+)" "?(\w+)"?', sql)}
    problems = []
    for step_id, (_parent, step) in steps.items():
        found = re.match(
            r"(SCAN|SEARCH) (\w+)(?: USING (?:COVERING )?INDEX (\w+))?(?: \((.*)\))?",
            step,
        )
        if not found:
            continue
        kind, name, index, condition = found.groups()
        table = aliases.get(name, name)
        if table not in family_data:
            continue
        big = sizes.get(table, 0) >= SMALL_TABLE_ROWS
        per_row = _sqlite_per_row(steps, step_id)
        if kind == "SCAN" and big and (per_row or not once_allowed):
            problems.append(f"{step} (a scan of {table}) in: {sql[:300]}")
        if kind == "SEARCH" and index and condition:
            columns = re.findall(r"(\w+)=\?", condition)
            if columns and all(
                f'"{column}" IS NULL' in sql and column in _nullable(table)
                for column in columns
            ):
                problems.append(f"{step} (the NULLs of {table}) in: {sql[:300]}")
    return problems


def _nullable(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA table_info({table})")
        return {row[1] for row in cursor.fetchall() if not row[3] and not row[5]}


def _sqlite_per_row(steps, step_id) -> bool:
    """Whether a step of SQLite's plan runs for each row of another: an inner
    loop of a join (a loop listed after another under the same parent), or
    inside a correlated subquery; a subquery listed or materialised once is not."""
    while step_id in steps:
        parent, detail = steps[step_id]
        if detail.startswith("CORRELATED"):
            return True
        if detail.startswith(("MATERIALIZE", "LIST SUBQUERY")):
            return False
        earlier = [
            other
            for other, (other_parent, other_detail) in steps.items()
            if other_parent == parent
            and other < step_id
            and other_detail.startswith(("SCAN", "SEARCH"))
        ]
        if earlier and detail.startswith(("SCAN", "SEARCH")):
            return True
        step_id = parent
    return False


def _postgresql_problems(sql: str, once_allowed: bool) -> list[str]:
    family_data = family_data_tables()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on")
    problems = []
    for node, per_row in _nodes(plan[0]["Plan"]):
        table = node.get("Relation Name")
        if table not in family_data or (once_allowed and not per_row):
            continue
        if node["Node Type"] == "Seq Scan":
            problems.append(f"Seq Scan on {table} in: {sql[:300]}")
    return problems


def _nodes(node, per_row=False):
    """Each node of a PostgreSQL plan, and whether it runs for each row of
    another: the inner side of a nested loop, or a subplan not hashed."""
    relationship = node.get("Parent Relationship")
    if relationship == "SubPlan" and not node.get("Subplan Name", "").startswith(
        "hashed"
    ):
        per_row = True
    if node["Node Type"] in ("Materialize", "Hash"):
        per_row = False  # built once, then read again
    yield node, per_row
    for child in node.get("Plans", []):
        inner = node["Node Type"] == "Nested Loop" and (
            child.get("Parent Relationship") == "Inner"
        )
        yield from _nodes(child, per_row or inner)


def test_the_check_sees_a_scan_of_a_family_data_table(analysed_city):
    """The check itself can fail: a read on a column no index serves is a scan
    (on PostgreSQL it shows under `enable_seqscan = off`, too), and the same read
    through its index is not."""
    from onestory.measures.models import QuestionnaireResponse

    unindexed = QuestionnaireResponse.objects.filter(amendment_reason="typo")
    indexed = QuestionnaireResponse.objects.filter(person_id=uuid.uuid4())
    with CaptureQueriesContext(connection) as captured:
        list(unindexed)
        list(indexed)
    scan, search = (query["sql"] for query in captured.captured_queries)
    assert plan_problems(scan)
    assert plan_problems(search) == []


@pytest.mark.parametrize(("section", "queries"), [("continuity", 6), ("equity", 3)])
def test_the_slow_sections_read_each_set_once(analysed_city, section, queries):
    """C1 to C4 share their read of the contacts with C9, and equity reads the
    families reached once and their parents once (bench/RESULTS.md, issue 14):
    a query count, so a figure split off into its own read shows here."""
    assert len(_captured_report(section, "current")) == queries
