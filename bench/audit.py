"""Time `audit verify` and an audit trail search for one family on a demo city.

    PYTHONPATH=. .venv/bin/python bench/audit.py \
        --database-url postgres://postgres@127.0.0.1:5432/onestory_bench \
        [--extend 1000000 --months 12] [--repeat 5] [--compare-flat]

The demo city's trail is a few hundred events; `--extend N` first adds N
synthetic events (record views by the city's staff of its families, chained and
hashed like real ones, spread over the last `--months` months), so the trail has
a council's year. Then it runs `audit verify` and the information governance
lead's search for one family (the audit trail page with `?family=`, its count
and first page), printing the times and the search's query plan.
`--compare-flat` (PostgreSQL, once the trail is partitioned) also copies the
trail into one unpartitioned table with the indexes it had before migration
`core 0029`, and times both in turns, the model pointed at each in turn.
Results go in bench/RESULTS.md by hand. The demo's database needs
ONESTORY_DEBUG=true, as here (its audit key is the development one). The other
bench scripts (pages.py, insights.py, load.py) sign the events their requests
write with their own bench-only key, so on a database they have run against
`audit verify` reports each of those events as changed: a bench artefact, not
tampering. The whole chain is still walked and timed, and the problems printed.
"""

import argparse
import io
import os
import random
import statistics
import time
from contextlib import contextmanager, redirect_stdout
from datetime import timedelta


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--extend", type=int, default=0)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--compare-flat", action="store_true")
    args = parser.parse_args()
    os.environ.update(
        ONESTORY_DATABASE_URL=args.database_url,
        ONESTORY_DEBUG="true",
        ONESTORY_ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="onestory.config.settings",
    )
    import django

    django.setup()
    if args.extend:
        started = time.perf_counter()
        extend(args.extend, args.months)
        print(
            f"extended by {args.extend} events in {time.perf_counter() - started:.1f} s"
        )
    from onestory.core.models import AuditEvent

    print(f"{AuditEvent.objects.count()} events")
    tables = ["core_auditevent"]
    if args.compare_flat:
        tables.insert(0, flat_copy())
    results = {table: {"verify": [], "search": [], "plan": ""} for table in tables}
    for _ in range(args.repeat):
        for table in tables:  # in turns, so that both see the same machine
            with serving(table):
                results[table]["verify"].append(verify())
                results[table]["search"].extend(search(10))
                results[table]["plan"] = plan()
    for table, result in results.items():
        verify_median = statistics.median(result["verify"])
        search_median = statistics.median(result["search"]) * 1000
        print(
            f"{table}: audit verify median {verify_median:.2f} s, "
            f"search one family median {search_median:.1f} ms"
        )
        print(result["plan"])


@contextmanager
def serving(table: str):
    """The audit trail is `table` meanwhile (renamed into place and back)."""
    from django.db import connection

    if table == "core_auditevent":
        yield
        return
    renames = [
        ("core_auditevent", "bench_auditevent_partitioned"),
        (table, "core_auditevent"),
    ]
    with connection.cursor() as cursor:
        for old, new in renames:
            cursor.execute(f"ALTER TABLE {old} RENAME TO {new}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for old, new in reversed(renames):
                cursor.execute(f"ALTER TABLE {new} RENAME TO {old}")


def verify() -> float:
    from django.core.management import CommandError, call_command

    started = time.perf_counter()
    try:
        with redirect_stdout(io.StringIO()):
            call_command("audit", "verify", stdout=io.StringIO())
    except CommandError as problems:  # e.g. other benches' events (docstring)
        print(f"audit verify: {problems}")
    return time.perf_counter() - started


def flat_copy() -> str:
    """The trail in one table with the indexes it had before partitioning."""
    from django.db import connection

    table = "bench_auditevent_flat"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NULL", [table])
        if cursor.fetchone()[0]:
            for statement in [
                f"CREATE TABLE {table} AS SELECT * FROM core_auditevent ORDER BY id",  # noqa: S608
                f"ALTER TABLE {table} ADD PRIMARY KEY (id)",
                f"ALTER TABLE {table} ALTER id ADD GENERATED BY DEFAULT AS IDENTITY",
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) "  # noqa: S608
                f"FROM {table}",
                f"ALTER TABLE {table} ADD UNIQUE (sequence)",
                f"CREATE INDEX ON {table} (occurred_at)",
                f"CREATE INDEX ON {table} (actor_id)",
                f"CREATE INDEX ON {table} (actor_organisation_id)",
                f"CREATE INDEX ON {table} (family_id, occurred_at DESC)",
                f"CREATE INDEX ON {table} (actor_id, occurred_at DESC)",
            ]:
                cursor.execute(statement)
        cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("VACUUM ANALYZE core_auditevent")
    return table


def extend(count: int, months: int) -> None:
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from onestory.accounts.models import User
    from onestory.core import audit_chain
    from onestory.core.models import AuditAction, AuditEvent
    from onestory.families.models import Family

    rng = random.Random(14)
    staff = list(
        User.objects.exclude(organisation=None).values("pk", "organisation_id")
    )
    families = list(Family.objects.values_list("pk", flat=True))
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    sequence, previous = last["sequence"], last["hash"]
    now = timezone.now()
    start = now - timedelta(days=30.5 * months)
    step = (now - start) / count
    batch = []
    for n in range(count):
        actor = rng.choice(staff)
        event = AuditEvent(
            occurred_at=start + step * n,
            actor_id=actor["pk"],
            actor_roles="practitioner",
            actor_organisation_id=actor["organisation_id"],
            action=AuditAction.VIEW_FAMILY,
            outcome="allowed",
            family_id=rng.choice(families),
            request_id=f"{n:032x}",
            sequence=sequence + 1 + n,
            previous_hash=previous,
        )
        content = {name: getattr(event, name) for name in audit_chain.FIELDS}
        event.hash = previous = audit_chain.digest(settings.AUDIT_KEY, content)
        batch.append(event)
        if len(batch) == 5000:
            with transaction.atomic():
                AuditEvent.objects.bulk_create(batch)
            batch = []
    with transaction.atomic():
        AuditEvent.objects.bulk_create(batch)


def _lead_and_family():
    from onestory.accounts.models import Role, User
    from onestory.core.models import AuditEvent

    lead = User.objects.filter(role_grants__role=Role.INFORMATION_GOVERNANCE).first()
    family_id = (
        AuditEvent.objects.exclude(family_id=None)
        .filter(sequence__lte=1000000)
        .order_by("-sequence")
        .values_list("family_id", flat=True)
        .first()
    )
    return lead, family_id


def search(repeat: int) -> list[float]:
    """The information governance lead's search for one family: the page."""
    from django.test import Client

    lead, family_id = _lead_and_family()
    client = Client()
    client.force_login(lead)
    url = f"/audit/?family={family_id}"
    client.get(url)  # warm up
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return timings


def plan() -> str:
    """The search's first page, as the database runs it."""
    from django.db import connection

    from onestory.core.models import AuditEvent

    lead, family_id = _lead_and_family()
    events = AuditEvent.objects.filter(
        family_id=family_id,
        actor_organisation__local_authority_id=lead.organisation.local_authority_id,
    ).order_by("-sequence")[:50]
    with connection.cursor() as cursor:
        sql, params = events.query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        return "\n".join("    " + line for (line,) in cursor.fetchall())


if __name__ == "__main__":
    main()
