"""Time the list of a Keyham-sized incident in a city of many households.

    PYTHONPATH=. .venv/bin/python bench/incidents.py [--families 100000] \
        [--database-url 'sqlite:///var/bench-{families}.sqlite3'] [--repeat 5]

    (PostgreSQL: --database-url 'postgres://postgres@127.0.0.1:5432/onestory_bench_{families}',
    the database created beforehand.)

Loads the demo city (`demo --families N`, whose families live at real
Plymouth postcodes, with the postcode directory) if the database is empty.
Then, `--repeat` times, declares the demo's incident as it grew in Keyham (a
309 m circle, then a 300 m route buffer towards the Torpoint ferry) and times
each step: declaring with the circle (finding the families, their
circumstances, ranking and assigning them, writing the checks), adding the
route, and reading the first page of the list (the page's queries). Each
repeat runs in a transaction rolled back afterwards, so every repeat starts
from the same city. Prints the medians and the families listed. Results go in
bench/RESULTS.md by hand, with the machine.
"""

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument(
        "--database-url", default="sqlite:///var/bench-{families}.sqlite3"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from city import open_city

    started = time.perf_counter()
    open_city(args.database_url.format(families=args.families), args.families)
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from onestory.accounts import demo as accounts_demo
    from onestory.families.models import Family
    from onestory.incidents import areas, queries, services
    from onestory.incidents import demo as incidents_demo

    print(
        f"{Family.objects.count()} families ({time.perf_counter() - started:.0f} s "
        f"to load or find), on {connection.vendor}"
    )
    lead = accounts_demo.named("emergency.lead")
    timings: dict[str, list[float]] = {"declare": [], "add route": [], "list page": []}
    listed, page_queries = [], 0

    class Rollback(Exception):
        pass

    for _ in range(args.repeat):
        try:
            with transaction.atomic():
                begin = time.perf_counter()
                incident = services.declare(
                    name="Bench: Keyham",
                    started_at=timezone.now(),
                    area_name="Cordon in Keyham",
                    kind="circle",
                    where=incidents_demo.KEYHAM,
                    radius_m=309,
                    by=lead,
                )
                timings["declare"].append(time.perf_counter() - begin)
                in_circle = incident.checks.count()
                begin = time.perf_counter()
                areas.add_area(
                    incident=incident,
                    name="Convoy route",
                    kind="route",
                    route=incidents_demo.ROUTE,
                    buffer_m=300,
                    by=lead,
                )
                timings["add route"].append(time.perf_counter() - begin)
                reset_queries()  # the log holds 9,000: count this page's alone
                begin = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    checks = list(queries.listed_checks(incident)[:50])
                    queries.members_of(checks)
                timings["list page"].append(time.perf_counter() - begin)
                page_queries = len(captured)
                listed.append((in_circle, incident.checks.count()))
                raise Rollback
        except Rollback:
            pass
    circle, everyone = listed[-1]
    print(f"listed: {circle} in the 309 m circle, {everyone} with the route")
    for step, values in timings.items():
        print(
            f"{step:<10} median {statistics.median(values) * 1000:8.1f} ms"
            f"  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"
        )
    print(f"list page: {page_queries} queries")


if __name__ == "__main__":
    main()
