"""Emergency ("break glass") access: one family opened outside the user's
scope for a few hours, with a reason; audited, told to the information
governance leads, and reviewed by them (security.md R6). Writes, as services.py."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.services import email_information_governance
from onestory.core import audit, logs
from onestory.core.models import AuditAction, AuditEvent, AuditOutcome
from onestory.core.refusals import Refusal
from onestory.families.models import BreakGlass, Person

BREAK_GLASS_HOURS = 4
REASON_AT_LEAST = 20


class TooManyEmergencyAccesses(Refusal):
    """More than BREAK_GLASS_PER_DAY attempts in 24 hours (security.md R6)."""

    def __init__(self):
        super().__init__(
            f"You have asked for emergency access {settings.BREAK_GLASS_PER_DAY} "
            "times in the last 24 hours, which is the most allowed. Ask your "
            "information governance lead or team manager"
        )


def _break_glass_today(user) -> int:
    """Emergency accesses the user asked for in the last 24 hours, found or not:
    an unknown NHS number is an answer too (whether someone is known)."""
    return AuditEvent.objects.filter(
        actor=user,
        action=AuditAction.BREAK_GLASS,
        occurred_at__gte=timezone.now() - timedelta(hours=24),
    ).count()


class ReasonTooShort(Exception):
    """Emergency access needs a reason of at least REASON_AT_LEAST characters."""


@transaction.atomic
def break_glass(*, nhs_number: str, reason: str, by) -> BreakGlass | None:
    """Open one family, outside the user's scope, for a few hours, with a reason.
    None when no one has that NHS number.

    The attempt is audited whether or not a family is found; the information
    governance leads are told by email (without the family's details)."""
    reason = reason.strip()
    if len(reason) < REASON_AT_LEAST:
        raise ReasonTooShort
    if _break_glass_today(by) >= settings.BREAK_GLASS_PER_DAY:
        logs.security_event("emergency_access_limit", user_id=str(by.pk))
        raise TooManyEmergencyAccesses
    # Only within the user's own local authority: emergency access never crosses.
    person = Person.objects.filter(
        nhs_number=nhs_number,
        family__local_authority_id=by.organisation.local_authority_id,
    ).first()
    if person is None:
        audit.record(
            action=AuditAction.BREAK_GLASS,
            by=by,
            outcome=AuditOutcome.REFUSED,
            detail={"reason": reason, "found": False},
        )
        return None
    now = timezone.now()
    grant = BreakGlass.objects.create(
        user=by,
        family_id=person.family_id,
        reason=reason,
        started_at=now,
        expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit.record(
        action=AuditAction.BREAK_GLASS,
        by=by,
        family=person.family_id,
        person=person,
        obj=grant,
        detail={"reason": reason},
    )
    _alert_information_governance(grant)
    logs.security_event(
        "emergency_access", user_id=str(by.pk), family_id=str(grant.family_id)
    )
    return grant


def _alert_information_governance(grant) -> None:
    user = grant.user
    email_information_governance(
        local_authority_id=user.organisation.local_authority_id,
        subject="onestory: emergency access to a family record",
        message=(
            f"{user.full_name} ({user.organisation}) used emergency access to a "
            f"family record at {timezone.localtime(grant.started_at):%-d %B %Y %H:%M}"
            f", until {timezone.localtime(grant.expires_at):%H:%M}.\n\n"
            "They gave a reason, which is kept in onestory (not in this email: "
            "it may name the family). Everything they do in that record is "
            "flagged in the audit trail. Review it here:\n\n"
            f"{settings.PUBLIC_URL}"
            f"{reverse('families:review_emergency_access', args=[grant.pk])}\n"
        ),
    )


@transaction.atomic
def review_break_glass(*, grant: BreakGlass, note: str, by) -> BreakGlass:
    BreakGlass.objects.filter(pk=grant.pk, reviewed_at=None).update(
        reviewed_by=by, reviewed_at=timezone.now(), review_note=note.strip()
    )
    audit.record(
        action=AuditAction.REVIEW_BREAK_GLASS,
        by=by,
        obj=grant,
        changed_fields=["reviewed_at", "review_note"],
    )
    grant.refresh_from_db()
    return grant
