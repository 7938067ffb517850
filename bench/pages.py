"""Time the family pages on a demo city: caseload, family record and search.

    PYTHONPATH=. .venv/bin/python bench/pages.py --families 20000 \
        [--database-url postgres://postgres@127.0.0.1:5432/onestory_bench]

Loads the demo city into the database if it is empty (the database must exist),
then requests each page in-process with Django's test client, as a practitioner
with a full caseload, and prints median and 95th percentile times and the number
of SQL queries per page. Results go in bench/RESULTS.md by hand, with the machine.
"""

import argparse
import os
import random
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--database-url", default="sqlite:///var/bench.sqlite3")
    parser.add_argument("--repeat", type=int, default=50)
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
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    with override_settings(DEBUG=True):  # the demo loads in development only
        call_command("demo", families=args.families, if_empty=True)
    for name, timings, queries in run_pages(args.repeat):
        median = statistics.median(timings) * 1000
        p95 = statistics.quantiles(timings, n=20)[-1] * 1000
        print(f"{name:<28} median {median:6.1f} ms   p95 {p95:6.1f} ms   ", end="")
        print(f"{queries} queries")


def run_pages(repeat: int):
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from onestory.accounts.models import User
    from onestory.families.models import Family

    practitioner = (
        User.objects.annotate(
            open_cases=Count("involvements", filter=Q(involvements__ended_at=None))
        )
        .order_by("-open_cases")
        .first()
    )
    client = Client()
    client.force_login(practitioner)
    families = list(
        Family.objects.visible_to(User.objects.get(pk=practitioner.pk)).values_list(
            "pk", "postcode"
        )
    )
    rng = random.Random(1)
    pages = {
        f"caseload ({practitioner.open_cases} families)": lambda: "/families/",
        "family record": lambda: f"/families/{rng.choice(families)[0]}/",
        "search by postcode": lambda: (
            f"/families/search/?postcode={rng.choice(families)[1]}"
        ),
        "search by name": lambda: "/families/search/?name=smith",
    }
    for name, url in pages.items():
        client.get(url())  # warm up
        timings = []
        for _ in range(repeat):
            target = url()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(target)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, (target, response.status_code)
        yield name, timings, len(captured)


if __name__ == "__main__":
    main()
