import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from onestory.accounts import demo as accounts_demo
from onestory.accounts.models import Organisation
from onestory.incidents import demo as incidents_demo
from onestory.insights import demo as insights_demo
from onestory.measures import demo as measures_demo
from onestory.operations import demo as families_demo
from onestory.parents import demo as parents_demo
from onestory.programmes import demo as programmes_demo
from onestory.support import demo as support_demo
from onestory.workforce import demo as workforce_demo


class Command(BaseCommand):
    help = "Load a synthetic Plymouth-like demo city (invented people only)."

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--code",
            action="store_true",
            help="Print the demo users' current two-factor code, and nothing else.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds organisations.",
        )

    def handle(self, *args, families, seed, if_empty, code, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo city is for development only: it adds invented staff "
                "with known passwords. Run it with ONESTORY_DEBUG=true (make run "
                "does), never on a service in use."
            )
        if code:
            self.stdout.write(accounts_demo.current_demo_code())
            return
        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("The demo city is already loaded: reusing it.")
                self._print_sign_ins()
                return
            raise CommandError("The database is not empty: use a new database.")
        if families < 1:
            raise CommandError("--families must be at least 1.")
        rng = random.Random(seed)
        with transaction.atomic():
            city = accounts_demo.build_city(rng, families)
            # What parents see of their area: its names, contact and email sender.
            accounts_demo.set_what_families_see(city.local_authority)
            with tqdm(total=families, unit="family", desc="Demo city") as bar:
                families_demo.build_families(city, rng, families, bar.update)
            measures_demo.build_measures(
                rng, risk_example_for=accounts_demo.demo_practitioner()
            )
            # Endings before the recent step-ups at triage, which are for
            # families still supported.
            insights_demo.build_endings(
                rng, keep_open_for=accounts_demo.demo_practitioner()
            )
            support_demo.build_triage(
                rng,
                chair=accounts_demo.named("triage.chair"),
                practitioner=accounts_demo.demo_practitioner(),
            )
            # The staff's training and supervision from a generator of their own:
            # the same staff (a small city's) get the same history at any size.
            workforce_demo.build_workforce(random.Random(f"{seed}-workforce"))
            programmes_demo.build_courses(rng)
            insights_demo.build_learning(by=accounts_demo.named("team.manager"))
            insights_demo.build_area_lookup(rng)
            parents_demo.build_family_view()
            incidents_demo.build_incident(
                lead=accounts_demo.named("emergency.lead"),
                staff=[accounts_demo.named("team.manager")],
                seed=seed,
            )
        # Fresh statistics for the query planner: after a bulk load they are
        # missing until autovacuum runs, and PostgreSQL's plans for the reports
        # can then take minutes instead of a second. Only onestory's own tables:
        # a bare ANALYZE on PostgreSQL also takes the server-wide catalogs
        # (pg_database, ...), and inside a transaction it holds them, so a demo
        # loaded in another database at the same moment waited on the lock.
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                tables = connection.introspection.django_table_names(only_existing=True)
                quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
                cursor.execute(f"ANALYZE {quoted}")
            else:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Loaded a demo city with {families} families.")
        )
        self._print_sign_ins()

    def _print_sign_ins(self):
        self.stdout.write(
            "\nSign in at http://127.0.0.1:8000/ as any of these demo users,"
        )
        self.stdout.write(f"each with the password: {accounts_demo.DEMO_PASSWORD}\n")
        for email, roles in self._sign_ins():
            self.stdout.write(f"  {email:<45} {roles}")
        self.stdout.write(
            "\nThen a two-factor code: add the key "
            f"{accounts_demo.DEMO_TOTP_SECRET} to an authenticator app, or run\n"
            "  PYTHONPATH=. .venv/bin/python -m onestory demo --code\n"
            "to print the current code (demo users only; each code works once).\n"
        )
        self.stdout.write(
            f"Parents and carers sign in at {parents_demo.SIGN_IN_URL} with:"
        )
        for address, born, paused in parents_demo.sign_ins():
            note = " (access paused)" if paused else ""
            self.stdout.write(f"  {address:<30} date of birth {born}{note}")
        self.stdout.write(
            "The sign-in link is printed here by the background worker "
            "(messages go to the console in the demo).\n"
        )

    def _sign_ins(self):
        for _name, local_part, _org, roles, _team in accounts_demo.SIGN_INS:
            labels = ", ".join(str(role.label) for role in roles)
            yield f"{local_part}@{accounts_demo.EMAIL_DOMAIN}", labels
