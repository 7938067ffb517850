import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from onestory.core import audit_chain, audit_partitions
from onestory.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain (verify), or record where it ends now "
        "(anchor) so that events cut off the end can be found later; on "
        "PostgreSQL, make the coming months' partitions (partitions)."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        verify = commands.add_parser("verify", help="Check every event in order.")
        verify.add_argument(
            "--anchor",
            type=Path,
            help="A file written by 'audit anchor' earlier: the trail must still "
            "reach it, unchanged.",
        )
        anchor = commands.add_parser(
            "anchor", help="Print the last position and hash, as JSON."
        )
        anchor.add_argument(
            "--output", type=Path, help="Write it to this file instead."
        )
        partitions = commands.add_parser(
            "partitions",
            help="PostgreSQL: make this month's partition and the coming months'.",
        )
        partitions.add_argument(
            "--months-ahead", type=int, default=audit_partitions.MONTHS_AHEAD
        )

    def handle(self, *args, command, **options):
        if command == "anchor":
            return self._anchor(options["output"])
        if command == "partitions":
            return self._partitions(options["months_ahead"])
        return self._verify(options["anchor"])

    def _anchor(self, output):
        last = AuditEvent.objects.order_by("-sequence").first()
        if last is None:
            raise CommandError("The audit trail is empty: nothing to anchor.")
        text = json.dumps(
            {
                "sequence": last.sequence,
                "hash": last.hash,
                "occurred_at": last.occurred_at.isoformat(),
            }
        )
        if output:
            output.write_text(text + "\n")
            self.stdout.write(f"Anchor written to {output}: event {last.sequence}.")
        else:
            self.stdout.write(text)

    def _partitions(self, ahead):
        if not audit_partitions.partitioned(connection):
            raise CommandError("The audit trail is partitioned on PostgreSQL only.")
        with transaction.atomic():
            made, skipped = audit_partitions.create(
                connection, audit_partitions.coming_months(ahead=ahead)
            )
        for month in skipped:
            self.stderr.write(
                f"{month:%Y-%m}: its events are already in the default partition, "
                "where they stay (docs/operations.md)."
            )
        self.stdout.write(
            f"Made {len(made)} partition{'' if len(made) == 1 else 's'}"
            + (f": {', '.join(f'{m:%Y-%m}' for m in made)}." if made else ".")
        )

    def _verify(self, anchor_file):
        anchor = None
        if anchor_file:
            try:
                data = json.loads(anchor_file.read_text())
                anchor = audit_chain.Anchor(int(data["sequence"]), str(data["hash"]))
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise CommandError(
                    f"Cannot read the anchor {anchor_file}: {error}"
                ) from None
        rows = (
            AuditEvent.objects.order_by("sequence")
            .values(*audit_chain.FIELDS, "hash")
            .iterator(chunk_size=2000)
        )
        count = 0

        def counting(rows):
            nonlocal count
            for row in rows:
                count += 1
                yield row

        # In a transaction, PostgreSQL streams the rows from a cursor (in order,
        # month after month, through each partition's index) instead of first
        # materialising all of them for a cursor held past the commit.
        with transaction.atomic():
            problems = audit_chain.verify(counting(rows), settings.AUDIT_KEY, anchor)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"The audit trail has been tampered with: {len(problems)} "
                f"problem{'s' if len(problems) != 1 else ''}, the first at "
                f"position {problems[0].sequence}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The audit trail is intact: {count} event{'' if count == 1 else 's'}"
                + (f", reaching the anchor at {anchor.sequence}." if anchor else ".")
            )
        )
