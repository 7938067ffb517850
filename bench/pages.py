"""Time the family pages on demo cities of several sizes, in one interleaved run.

    PYTHONPATH=. .venv/bin/python bench/pages.py [--families 500 5000 20000] \
        [--database-url 'sqlite:///var/bench-{families}.sqlite3'] [--repeat 30]

    (PostgreSQL: --database-url 'postgres://postgres@127.0.0.1:5432/onestory_bench_{families}',
    each database created beforehand.)

Each city is served by its own process, a "server" with its own database: the
city is loaded with `demo --families N` if its database is empty (the demo runs
ANALYZE as it ends). Then, round by round, the same practitioner-sized request
goes to each city in turn (caseload, family record, searches, and a trivial
signed-in page, "your account"), so that the shared machine's slow moments fall
on every page and city alike. Requests run in-process through Django's test
client, as the practitioner with the most open cases in that city (with
`--typical`, the median one). Prints each
page's median and 95th percentile and its SQL queries, then the ratios issue 14
sets goals for: each page at the largest city over the smallest, and each page
over the trivial page on the same server. Results go in bench/RESULTS.md by
hand, with the machine.
"""

import argparse
import multiprocessing
import random
import statistics
import time

TRIVIAL = "your account (trivial)"
PAGES = ("caseload", "family record", "search by postcode", "search by name", TRIVIAL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument(
        "--database-url",
        default="sqlite:///var/bench-{families}.sqlite3",
        help="with {families} standing for the city's size",
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--typical",
        action="store_true",
        help="sign in as the practitioner with the median open caseload, not the most",
    )
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    servers = {}
    for families in args.families:
        ours, theirs = context.Pipe()
        url = args.database_url.format(families=families)
        process = context.Process(
            target=serve, args=(theirs, url, families, args.typical)
        )
        process.start()
        servers[families] = (ours, process)
    described = {families: pipe.recv() for families, (pipe, _) in servers.items()}
    for families, description in described.items():
        print(f"{families:>6} families: {description}")

    timings = {(f, page): [] for f in servers for page in PAGES}
    queries = {}
    rng = random.Random(1)
    for round_number in range(args.repeat + 1):  # the first round warms up
        for page in PAGES:
            order = list(servers)
            rng.shuffle(order)
            for families in order:
                pipe = servers[families][0]
                pipe.send(page)
                seconds, count = pipe.recv()
                if round_number:
                    timings[families, page].append(seconds)
                    queries[families, page] = count
    for pipe, process in servers.values():
        pipe.send(None)
        process.join()
    report(args.families, timings, queries)


def report(sizes, timings, queries) -> None:
    medians = {key: statistics.median(values) for key, values in timings.items()}
    print(f"\n{'page':<26} {'families':>8} {'median':>9} {'p95':>9} {'queries':>8}")
    for page in PAGES:
        for families in sizes:
            values = timings[families, page]
            p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else 0
            print(
                f"{page:<26} {families:>8} {medians[families, page] * 1000:7.1f}ms"
                f" {p95 * 1000:7.1f}ms {queries[families, page]:>8}"
            )
    smallest, largest = min(sizes), max(sizes)
    print("\nRatios of medians (issue 14 goals: ≤ 1.2 across sizes, ≤ 3 times trivial)")
    for page in ("caseload", "family record"):
        across = medians[largest, page] / medians[smallest, page]
        print(f"{page:<26} {largest} ÷ {smallest} families: {across:5.2f}")
        for families in sizes:
            over = medians[families, page] / medians[families, TRIVIAL]
            print(f"{page:<26} ÷ trivial page at {families:>6}: {over:5.2f}")


def serve(pipe, database_url: str, families: int, typical: bool) -> None:
    """One city's server: answers each page name with (seconds, SQL queries)."""
    from city import open_city

    open_city(database_url, families)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, practitioner, urls = _signed_in(typical)
    pipe.send(f"{practitioner} with {practitioner.open_cases} open cases")
    while (page := pipe.recv()) is not None:
        target = urls[page]()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(target)
            seconds = time.perf_counter() - started
        assert response.status_code == 200, (target, response.status_code)
        pipe.send((seconds, len(captured)))


def _signed_in(typical=False):
    from django.db.models import Count, Q
    from django.test import Client

    from onestory.accounts.models import User
    from onestory.families.models import Family

    practitioners = list(
        User.objects.annotate(
            open_cases=Count(
                "involvements",
                filter=Q(
                    involvements__ended_at=None,
                    involvements__episode__closed_at=None,
                ),
            )
        )
        .filter(open_cases__gt=0)
        .order_by("-open_cases", "pk")
    )
    practitioner = practitioners[len(practitioners) // 2 if typical else 0]
    client = Client()
    client.force_login(practitioner)
    families = list(
        Family.objects.visible_to(User.objects.get(pk=practitioner.pk))
        .order_by("pk")
        .values_list("pk", "postcode")
    )
    rng = random.Random(1)

    def results(**fields) -> str:
        # Searches are posted and their results shown under a key (R20).
        return client.post("/families/search/", fields, follow=True).redirect_chain[-1][
            0
        ]

    by_postcode = [results(postcode=rng.choice(families)[1]) for _ in range(5)]
    by_name = results(name="smith")
    urls = {
        "caseload": lambda: "/families/",
        "family record": lambda: f"/families/{rng.choice(families)[0]}/",
        "search by postcode": lambda: rng.choice(by_postcode),
        "search by name": lambda: by_name,
        TRIVIAL: lambda: "/account/",
    }
    return client, practitioner, urls


if __name__ == "__main__":
    main()
