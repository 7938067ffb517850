"""Time the service report on a demo city, against a hand-written aggregate.

    PYTHONPATH=. .venv/bin/python bench/insights.py --families 20000 \
        [--database-url postgres://onestory_bench_app@127.0.0.1:5432/onestory_bench \
         --owner-url postgres://postgres@127.0.0.1:5432/onestory_bench]

Migrates and loads the demo city if the database is empty (the database must
exist). With `--owner-url` (PostgreSQL), the migrations, the demo city and the
runtime role's grants (`app_role`) are done as the owner in child processes, and
everything timed runs as the role of `--database-url`, under row-level security.

For the last full quarter and the current quarter so far (or each `--period`),
after one warm-up, `--repeat` times each:

- the report page and its CSV download, in-process with Django's test client,
  signed in as the demo team manager (the tenant set by the middleware), with
  the number of SQL queries;
- `report(scope)` alone, `monthly(scope)` (the page's run charts) and each of
  the report's sections;
- the R1 figure (families reached) alone, as the report's ORM query;
- R1 as one hand-written `COUNT(DISTINCT ...)` through a raw cursor;
- for a settled quarter, the refresh the background worker runs (once: it
  computes and stores the figures), then the page and the CSV again, reading
  the stored figures (`insights/stored.py`). `--no-live` times only these.

and prints the median and 95th percentile of each, the ratios of the R1 ORM
query and of the whole report to the hand-written aggregate, and the slowest
queries of one run of the report. The sections and both R1 queries run as
`report()` runs its queries: inside `report.without_jit()` where it exists (JIT
off for the transaction on PostgreSQL). `--no-jit` sets `jit = off` for the
whole connection (the server's default is on), so the page and the run charts
can be compared with and without it. Results go in bench/RESULTS.md by hand,
with the machine.
"""

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
import warnings
from contextlib import nullcontext
from urllib.parse import urlsplit

HAND_WRITTEN_R1 = """
SELECT COUNT(DISTINCT e.family_id)
FROM support_contact c
JOIN support_episode e ON e.id = c.episode_id
JOIN families_family f ON f.id = e.family_id
WHERE f.local_authority_id = %s
  AND c.attendance IN ('attended', 'late')
  AND c.occurred_at >= %s
  AND c.occurred_at < %s
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--database-url", default="sqlite:///var/bench.sqlite3")
    parser.add_argument(
        "--owner-url",
        default="",
        help="PostgreSQL: the tables' owner, to migrate, load and grant as; the "
        "timings then run as the (runtime) role of --database-url.",
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--live",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Time the figures computed live (--no-live: only the stored ones).",
    )
    parser.add_argument(
        "--no-jit",
        action="store_true",
        help="PostgreSQL: SET jit = off on each connection (the default is on).",
    )
    parser.add_argument(
        "--period",
        action="append",
        default=[],
        help="A period key such as 2026-Q3 (repeatable); default: the last full "
        "quarter and the current quarter.",
    )
    args = parser.parse_args()
    os.environ.update(
        ONESTORY_DATABASE_URL=args.database_url,
        ONESTORY_SECRET_KEY="bench-only-key-" + "x" * 40,
        ONESTORY_AUDIT_KEY="bench-only-audit-key",
        ONESTORY_TOTP_KEY="bench-only-totp-key",
        ONESTORY_RECOVERY_CODE_KEY="bench-only-recovery-code-key",
        ONESTORY_ALLOWED_HOSTS="testserver",
        ONESTORY_PUBLIC_URL="http://testserver",
        DJANGO_SETTINGS_MODULE="onestory.config.settings",
    )
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    if args.owner_url:
        prepare_as_owner(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.no_jit:
        from django.db.backends.signals import connection_created

        connection_created.connect(jit_off)
    if not args.owner_url:
        call_command("migrate", verbosity=0)
        from django.test import override_settings

        with override_settings(DEBUG=True):  # the demo loads in development only
            call_command(
                "demo", families=args.families, if_empty=True, stdout=io.StringIO()
            )
    describe_connection(connection)
    for period in periods(args.period):
        print(f"\n== {period.key} ({period.label}), {args.repeat} repeats ==")
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        run_period(period, args.repeat, live=args.live)
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def prepare_as_owner(args) -> None:
    role = urlsplit(args.database_url).username
    env = {**os.environ, "ONESTORY_DATABASE_URL": args.owner_url}
    command = [sys.executable, "-m", "onestory"]
    for step in (
        ["migrate", "--verbosity", "0"],
        ["demo", "--families", str(args.families), "--if-empty", "--verbosity", "0"],
        ["app_role", role],
    ):
        debug = {"ONESTORY_DEBUG": "true"} if step[0] == "demo" else {}
        subprocess.run(  # noqa: S603
            [*command, *step],
            env={**env, **debug},
            check=True,
            stdout=subprocess.DEVNULL,
        )


def jit_off(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")


def describe_connection(connection) -> None:
    from onestory.core import tenancy

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, version(), current_setting('jit')")
            user, version, jit = cursor.fetchone()
        problems = tenancy.runtime_role_problems()
        rls = "row-level security binds it" if not problems else " ".join(problems)
        print(f"PostgreSQL as {user}: {rls}; jit {jit}\n{version}")
    else:
        import sqlite3

        print(f"SQLite {sqlite3.sqlite_version}")


def periods(keys: list[str]):
    from django.utils import timezone

    from onestory.insights import domain

    if keys:
        return [domain.parse_period(key) for key in keys]
    today = timezone.localdate()
    return [domain.last_full_quarter(today), domain.quarter_of(today)]


def timed(call, repeat: int) -> tuple[list[float], object]:
    result = call()  # warm up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        timings.append(time.perf_counter() - started)
    return timings, result


def summary(timings: list[float]) -> tuple[float, float]:
    median = statistics.median(timings) * 1000
    p95 = statistics.quantiles(timings, n=20)[-1] * 1000 if len(timings) > 1 else 0
    return median, p95


def show(name: str, timings: list[float], extra: str = "") -> float:
    median, p95 = summary(timings)
    print(f"{name:<34} median {median:8.1f} ms   p95 {p95:8.1f} ms   {extra}")
    return median


def run_period(period, repeat: int, *, live: bool = True) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from onestory.accounts import demo as accounts_demo
    from onestory.core import tenancy
    from onestory.insights import stored
    from onestory.insights.models import StoredReport
    from onestory.insights.queries import Scope
    from onestory.insights.queries import report as report_module
    from onestory.insights.queries.report import SECTIONS, monthly, report

    # The figures below are timed as report() runs them: inside its JIT
    # setting (`without_jit`, PostgreSQL) where it has one.
    as_in_report = getattr(report_module, "without_jit", nullcontext)

    manager = accounts_demo.named("team.manager")
    area = manager.organisation.local_authority_id
    scope = Scope(local_authority_id=area, period=period)

    client = Client()
    client.force_login(manager)

    def pages(label):
        for name, url in (
            (f"report page{label}", f"/insights/?period={period.key}"),
            (f"report CSV{label}", f"/insights/download.csv?period={period.key}"),
        ):

            def request(url=url):
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return len(captured)

            timings, queries = timed(request, repeat)
            show(name, timings, f"{queries} queries")

    # Figures stored by an earlier run would be read instead of computed.
    tenancy.set_tenant(area)
    StoredReport.objects.filter(local_authority=area).delete()
    if live:
        pages(" (live)")
    if stored.is_settled(period, timezone.localdate()):
        tenancy.set_tenant(area)  # as the worker's task does
        started = time.perf_counter()
        stored.refresh(scope)
        show("refresh (the worker's task), once", [time.perf_counter() - started])
        pages(" (stored figures)")
    if not live:
        return

    # The middleware named the tenant for the requests; name it again for the
    # direct calls, as a job outside a request would.
    if tenancy.row_level_security():
        tenancy.set_tenant(area)

    def whole_report():
        with CaptureQueriesContext(connection) as captured:
            report(scope)
        return len(captured)

    timings, queries = timed(whole_report, repeat)
    whole = show("report(scope)", timings, f"{queries} queries")
    timings, _ = timed(lambda: monthly(scope), repeat)
    show("monthly(scope) (run charts)", timings)

    def r1_orm():
        with as_in_report():
            contacts = scope.attended_contacts()
            return contacts.aggregate(n=Count("episode__family", distinct=True))["n"]

    timings, orm_value = timed(r1_orm, repeat)
    orm = show("R1 alone (report's ORM query)", timings, f"= {orm_value}")

    params = [
        adapted(area),
        connection.ops.adapt_datetimefield_value(scope.start),
        connection.ops.adapt_datetimefield_value(scope.end),
    ]

    def r1_sql():
        with as_in_report(), connection.cursor() as cursor:
            cursor.execute(HAND_WRITTEN_R1, params)
            return cursor.fetchone()[0]

    timings, sql_value = timed(r1_sql, repeat)
    hand = show("R1 hand-written SQL", timings, f"= {sql_value}")
    reach_r1 = next(f.value for f in report(scope)[0].figures if f.code == "R1")
    if not orm_value == sql_value == reach_r1:
        print(f"!! R1 differs: ORM {orm_value}, SQL {sql_value}, report {reach_r1}")

    print(f"{'ratio R1 ORM / hand-written':<34} {orm / hand:8.1f}")
    print(f"{'ratio report(scope) / hand-written':<34} {whole / hand:8.1f}")

    print("-- sections of report(scope) --")
    for key, _title, parts in SECTIONS:

        def section(parts=parts):
            with as_in_report():
                return [figure for part in parts for figure in part(scope)]

        timings, _ = timed(section, repeat)
        show(f"  {key}", timings)

    print("-- slowest queries of one report(scope) --")
    slowest = []
    for key, _title, parts in SECTIONS:
        for part in parts:
            with as_in_report(), CaptureQueriesContext(connection) as captured:
                part(scope)
            slowest += [
                (float(query["time"]), f"{key}/{part.__name__}", query["sql"])
                for query in captured
            ]
    slowest.sort(key=lambda row: row[0], reverse=True)
    for seconds, where, sql in slowest[:8]:
        print(f"  {seconds * 1000:8.1f} ms  {where:<26} {sql[:70]}")


def adapted(local_authority_id):
    """The local authority's id as the database stores it (SQLite: hex text)."""
    from django.db import connection

    from onestory.families.models import Family

    field = Family._meta.get_field("local_authority")
    return field.get_db_prep_value(local_authority_id, connection)


if __name__ == "__main__":
    main()
