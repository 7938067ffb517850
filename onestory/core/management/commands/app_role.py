from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from onestory.core import tenancy


class Command(BaseCommand):
    help = (
        "PostgreSQL: grant the database role the application runs as what it needs "
        "(rows, not tables; add to the audit trail, never change it), and check that "
        "row-level security binds it: not a superuser, no BYPASSRLS, not the owner. "
        "Run as the owner after each migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The runtime role, for example onestory_app")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Row-level security and roles are PostgreSQL's only.")
        problems = tenancy.runtime_role_problems(role)
        if problems:
            raise CommandError(
                "Row-level security would not bind this role: " + " ".join(problems)
            )
        tenancy.grant_runtime_role(role)
        self.stdout.write(f"Granted {role} rows in every table; audit: add only.")
