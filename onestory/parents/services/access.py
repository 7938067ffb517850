"""Giving, pausing and giving back an adult's family's own view: staff's
writes, each audited in its transaction."""

from django.db import transaction
from django.utils import timezone

from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.families.models import PersonRole
from onestory.notify.domain import NotAllowed, channel_and_address, recipient
from onestory.notify.services import queue_message
from onestory.parents import domain
from onestory.parents.models import FamilyAccess, FamilySession, SignInLink


class NotAParent(Refusal):
    message = "Only a parent or carer can be given the family's own view"


class AlreadyInvited(Refusal):
    message = "They already have the family's own view"


class DateOfBirthNeeded(Refusal):
    message = (
        "Record their date of birth first: it is what they are asked when they sign in"
    )


class NotAnAddress(Refusal):
    field = "address"
    message = "Enter an email address, or a UK mobile number like 07700 900 982"


class NotAgreed(Refusal):
    field = "family_agreed"
    message = "Ask the family first: they must agree before anyone is given access"


@transaction.atomic
def invite(
    *, person, address: str, family_agreed: bool, sign_in_url: str, by
) -> FamilyAccess:
    """Give one adult access to their family's own view, by their own email
    address or mobile number, and tell them where to sign in."""
    if person.role != PersonRole.PARENT_CARER:
        raise NotAParent
    if person.date_of_birth is None:
        raise DateOfBirthNeeded
    if not family_agreed:
        raise NotAgreed
    try:
        channel, to = channel_and_address(address)
    except NotAllowed as refused:
        raise NotAnAddress from refused
    if FamilyAccess.objects.filter(person=person).exists():
        raise AlreadyInvited
    family = person.family
    access = FamilyAccess.objects.create(
        person=person,
        family=family,
        local_authority_id=family.local_authority_id,
        channel=channel,
        address=to,
        address_key=domain.address_key(channel, to),
        invited_by=by,
    )
    audit.record(
        action=AuditAction.INVITE_TO_FAMILY_VIEW,
        by=by,
        family=family,
        person=person,
        obj=access,
        detail={"channel": channel},
    )
    queue_message(
        kind="family_view_invitation",
        reference=f"family-view-invitation:{access.pk}",
        personalisation={
            "link": sign_in_url,
            "area": family.local_authority.name_for_families,
            "practitioner": by.full_name,
        },
        by=by,
        family=family,
        person=person,
        **recipient(channel, to),
    )
    return access


class ReasonNeeded(Refusal):
    field = "reason"
    message = "Say why their access is paused: the team will see it, they will not"


class AlreadyPaused(Refusal):
    message = "Their access is already paused"


@transaction.atomic
def pause(*, access: FamilyAccess, reason: str, by) -> FamilyAccess:
    """Pause an adult's access at once: their sessions end and their unused
    links stop working. They are told only that access is paused."""
    if not reason.strip():
        raise ReasonNeeded
    now = timezone.now()
    if not FamilyAccess.objects.filter(pk=access.pk, paused_at=None).update(
        paused_at=now, paused_by=by, pause_reason=reason.strip()
    ):
        raise AlreadyPaused
    FamilySession.objects.filter(access=access, ended_at=None).update(ended_at=now)
    SignInLink.objects.filter(access=access, used_at=None).update(used_at=now)
    audit.record(
        action=AuditAction.PAUSE_FAMILY_VIEW,
        by=by,
        family=access.family_id,
        person=access.person_id,
        obj=access,
        changed_fields=["paused_at", "pause_reason"],
    )
    access.refresh_from_db()
    return access


class NotPaused(Refusal):
    message = "Their access is not paused"


@transaction.atomic
def resume(*, access: FamilyAccess, by) -> FamilyAccess:
    if not FamilyAccess.objects.filter(pk=access.pk, paused_at__isnull=False).update(
        paused_at=None, paused_by=None, pause_reason=""
    ):
        raise NotPaused
    audit.record(
        action=AuditAction.RESUME_FAMILY_VIEW,
        by=by,
        family=access.family_id,
        person=access.person_id,
        obj=access,
        changed_fields=["paused_at", "pause_reason"],
    )
    access.refresh_from_db()
    return access
