"""Load the postcode directory: OS Code-Point Open's CSV rows (postcode,
quality, easting, northing), Plymouth's shipped file unless another is given."""

from django.core.management.base import BaseCommand, CommandError

from onestory.incidents import postcodes


class Command(BaseCommand):
    help = (
        "Replace the postcode directory (where each postcode is) from an OS "
        "Code-Point Open CSV file: all of it, or nothing if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(postcodes.PLYMOUTH),
            help="The CSV file (default: the shipped Plymouth districts, PL1 to PL9).",
        )

    def handle(self, *args, file, **options):
        try:
            with open(file, newline="", encoding="utf-8-sig") as handle:
                loaded = postcodes.load_postcodes(postcodes.read_postcodes(handle))
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"Cannot read {file}: it is not UTF-8 text.") from None
        except postcodes.BadPostcodeFile as error:
            for problem in error.problems:
                self.stderr.write(problem)
            count = len(error.problems)
            rows = "1 row is" if count == 1 else f"{count} rows are"
            raise CommandError(f"{rows} wrong: nothing was loaded.") from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {loaded} postcodes."))
