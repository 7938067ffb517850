from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand
from django.utils import timezone

from onestory.core import downloads
from onestory.core.cache import SharedDatabaseCache
from onestory.core.models import Submission
from onestory.operations import retention


class Command(BaseCommand):
    help = (
        "List the families whose retention period has ended (a dry run), or with "
        "--apply anonymise them. Safe to run again: done families are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Anonymise them (default: list only)."
        )

    def handle(self, *args, apply, **options):
        families = list(retention.due())
        years = settings.RETENTION_YEARS
        if not apply:
            self.stdout.write(
                f"Dry run: {len(families)} famil{'y' if len(families) == 1 else 'ies'}"
                f" whose support ended more than {years} years ago would be "
                "anonymised. Nothing was changed; run with --apply to do it."
            )
            for family in families:
                self.stdout.write(
                    f"  {family.pk}  support ended {family.last_closed:%Y-%m-%d}"
                )
            return
        done = sum(retention.anonymise(family) for family in families)
        # Form tokens only matter for a moment (core/submissions.py).
        Submission.objects.filter(
            submitted_at__lt=timezone.now() - timedelta(days=1)
        ).delete()
        # Prepared downloads are kept for a day (core/downloads.py).
        downloads.delete_expired()
        # Expired rate-limit and bulk-read counts (core/cache.py) count nothing.
        shared = caches["default"]
        if isinstance(shared, SharedDatabaseCache):
            shared.delete_expired()
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {done} famil{'y' if done == 1 else 'ies'} whose "
                f"support ended more than {years} years ago."
            )
        )
