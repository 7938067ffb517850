"""Time `audit verify` and an audit trail search for one family on a demo city.

    PYTHONPATH=. .venv/bin/python bench/audit.py \
        --database-url postgres://postgres@127.0.0.1:5432/onestory_bench \
        [--extend 1000000 --months 12] [--repeat 5]

The demo city's trail is a few hundred events; `--extend N` first adds N
synthetic events (record views by the city's staff of its families, chained and
hashed like real ones, spread over the last `--months` months), so the trail has
a council's year. Then it runs `audit verify` and the information governance
lead's search for one family (the audit trail page with `?family=`, its count
and first page), printing the times and the search's query plan.
Results go in bench/RESULTS.md by hand. The demo's database needs
ONESTORY_DEBUG=true, as here (its audit key is the development one).
"""

import argparse
import io
import os
import random
import statistics
import time
from contextlib import redirect_stdout
from datetime import timedelta


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--extend", type=int, default=0)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
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
    from django.core.management import call_command

    from onestory.core.models import AuditEvent

    print(f"{AuditEvent.objects.count()} events")
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        with redirect_stdout(io.StringIO()):
            call_command("audit", "verify", stdout=io.StringIO())
        timings.append(time.perf_counter() - started)
    print(f"audit verify          median {statistics.median(timings):7.2f} s")
    for name, timings, plan in search(args.repeat * 10):
        print(f"{name:<21} median {statistics.median(timings) * 1000:7.1f} ms")
        print(plan)


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


def search(repeat: int):
    from django.db import connection
    from django.test import Client

    from onestory.accounts.models import Role, User
    from onestory.core.models import AuditEvent

    lead = User.objects.filter(role_grants__role=Role.INFORMATION_GOVERNANCE).first()
    family_id = (
        AuditEvent.objects.exclude(family_id=None)
        .order_by("-sequence")
        .values_list("family_id", flat=True)
        .first()
    )
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
    events = AuditEvent.objects.filter(
        family_id=family_id,
        actor_organisation__local_authority_id=lead.organisation.local_authority_id,
    ).order_by("-sequence")[:50]
    with connection.cursor() as cursor:
        sql, params = events.query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + sql, params)
        plan = "\n".join("    " + line for (line,) in cursor.fetchall())
    yield "search one family", timings, plan


if __name__ == "__main__":
    main()
