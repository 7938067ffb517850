from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestory.core import backup


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by 'onestory backup'. "
        "Stop the service first. Then run 'onestory audit verify'."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup file.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that everything now in the database is to be replaced.",
        )

    def handle(self, *args, source, yes, **options):
        if not yes:
            raise CommandError(
                "Restoring replaces everything in the database. Stop the service, "
                "then run again with --yes."
            )
        try:
            backup.restore(source)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        tables = backup.fingerprint()
        rows = sum(count for count, _ in tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(tables)} tables ({rows} rows) from {source}. "
                "Next: python -m onestory audit verify"
            )
        )
