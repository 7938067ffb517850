"""Pure rules about training and supervision: no Django, no database."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def expiry(completed_on: date, renewal_months: int | None) -> date | None:
    """When training completed on a day needs renewing; None if it never does.
    It is current up to and including the day before."""
    if renewal_months is None:
        return None
    return add_months(completed_on, renewal_months)


def is_current(completed_on: date | None, expires_on: date | None, on: date) -> bool:
    return (
        completed_on is not None
        and completed_on <= on
        and (expires_on is None or on < expires_on)
    )


def expiring_soon(expires_on: date | None, on: date, *, within_days: int) -> bool:
    return expires_on is not None and on < expires_on <= on + timedelta(within_days)


@dataclass(frozen=True)
class DeliveryDecision:
    allowed: bool
    reason: str
    supervised: bool = False


def may_deliver(
    *,
    programme: str,
    required: str | None,
    current: set[str],
    supervised_practice: set[str],
) -> DeliveryDecision:
    """Whether someone may deliver or facilitate a programme: it needs no
    accreditation, or they hold a current one, or an administrator has recorded
    supervised practice for them."""
    if required is None:
        return DeliveryDecision(True, f"{programme} needs no accreditation.")
    if required in current:
        return DeliveryDecision(True, f"They hold a current {required}.")
    if required in supervised_practice:
        return DeliveryDecision(
            True, f"They are delivering under supervised practice ({required}).", True
        )
    return DeliveryDecision(
        False,
        f"{programme} can only be delivered by someone with a current {required}.",
    )


@dataclass(frozen=True)
class SupervisionDue:
    due_on: date | None
    overdue: bool


def supervision_due(last_held_on: date | None, on: date, *, every_weeks: int):
    """Supervision is due `every_weeks` after the last; never had is overdue."""
    if last_held_on is None:
        return SupervisionDue(None, True)
    due_on = last_held_on + timedelta(weeks=every_weeks)
    return SupervisionDue(due_on, due_on < on)
