"""Remind parents and carers of the questionnaires due in the next two days
that they can fill in in the family's own view. Run it once a day (cron or a
systemd timer, docs/operations.md); running it again sends nothing twice."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from onestory.parents import services


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        base = settings.PUBLIC_URL or "http://127.0.0.1:8000"
        queued = services.send_review_reminders(
            today=timezone.localdate(), link=base + reverse("parents:questionnaires")
        )
        self.stdout.write(f"Queued {queued} reminder{'s' if queued != 1 else ''}.")
