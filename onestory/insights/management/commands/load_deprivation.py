"""Load an area lookup: a CSV with the columns postcode, lsoa and imd_decile
(from the ONS postcode directory and the English Indices of Deprivation)."""

import csv

from django.core.management.base import BaseCommand, CommandError

from onestory.insights import services


class Command(BaseCommand):
    help = "Replace the area lookup (postcode, lsoa, imd_decile) from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                loaded = services.load_area_lookup(reader)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except services.BadAreaLookup as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"{len(error.problems)} rows are wrong: nothing was loaded."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {loaded} postcodes."))
