"""Display of training and supervision. No queries: works on rows already read."""

from django.utils import formats

from onestory.core.presenters import Tag, status_tag
from onestory.workforce.models import TrainingStatus


@status_tag("training")
def training_tag(training) -> Tag:
    """Where a training record stands (a queries.Training row): planned, waiting
    for the manager to confirm an accredited course, current, or expired."""
    record = training.record
    if record.status == TrainingStatus.PLANNED:
        return Tag("Planned", "grey")
    if training.current and record.course.accredits and not record.verified_at:
        return Tag("Awaiting your manager's confirmation", "grey")
    if training.current and training.expiring_soon:
        return Tag("Expiring soon", "yellow")
    if training.current:
        return Tag("Current", "green")
    return Tag("Expired", "red")


@status_tag("renew_by")
def renew_by_tag(record) -> Tag:
    """An accreditation soon to expire, on the team page."""
    return Tag(f"Renew by {formats.date_format(record.expires_on, 'j M Y')}", "yellow")
