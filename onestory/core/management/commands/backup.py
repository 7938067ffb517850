from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onestory.core import backup


class Command(BaseCommand):
    help = (
        "Back up the database to a new file: SQLite's online backup (safe while "
        "the service runs) or pg_dump's custom format. Keep backups encrypted and "
        "off the server."
    )

    def add_arguments(self, parser):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        parser.add_argument(
            "--output",
            type=Path,
            default=Path("var/backups") / f"onestory-{stamp}.backup",
            help="Where to write it (a new file). Default: var/backups/onestory-"
            "<UTC time>.backup",
        )

    def handle(self, *args, output, **options):
        try:
            tables = backup.backup(output)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        # The rows in the file just written (not the database now), by table.
        for table, count in tables.items():
            self.stdout.write(f"  {table:<45} {count:>9}")
        rows = sum(tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(tables)} tables ({rows} rows) to {output}."
            )
        )
