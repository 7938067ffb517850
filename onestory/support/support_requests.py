"""Requests for support: made to an organisation's triage, and moved on until
decided; the only write path for them. A meeting's decision settles the
requests awaiting it (support.triage).
"""

from django.db import transaction

from onestory.accounts.models import TRIAGE_ROLES
from onestory.core import audit, changes
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.families.models import Consent, ConsentPurpose
from onestory.support import services
from onestory.support.models import (
    NEXT_STATUSES,
    STATUSES_NEEDING_A_REASON,
    RequestKind,
    RequestSource,
    RequestStatus,
    RequestStatusChange,
    SupportRequest,
)

OVERRIDE_REASON_AT_LEAST = 20


class ConsentNeeded(Refusal):
    """The family has not agreed to a referral to that organisation."""

    field = "to_organisation"

    def __init__(self, organisation):
        super().__init__(
            f"{organisation} is not holding this family's support and the family "
            "has not agreed to a referral to them. Record the family's consent "
            "first, or give a reason to override"
        )


class OverrideNotPermitted(Refusal):
    """Only triage chairs and team managers may override the need for consent."""

    field = "override_reason"
    message = (
        "Only triage chairs and team managers can make a referral without the "
        "family's consent. Record the family's consent first"
    )


class OverrideReasonTooShort(Refusal):
    """An override of consent must say why in at least OVERRIDE_REASON_AT_LEAST
    characters: a sentence, not a word."""

    field = "override_reason"
    message = (
        "Give the reason for overriding consent in a sentence or more (at least "
        f"{OVERRIDE_REASON_AT_LEAST} characters)"
    )


STALE_REQUEST = (
    "Someone changed this request while you were on this page, so nothing was "
    "saved. Check its status below and try again"
)


class RequestChangedMeanwhile(Refusal):
    """Someone changed the request's status since the page was opened."""

    message = STALE_REQUEST


class NotAllowedNow(Refusal):
    """That status cannot follow the current one, or not by this user."""

    message = STALE_REQUEST


def referral_consent(family, organisation):
    """The family's standing consent to referrals to `organisation`, if any."""
    return Consent.objects.filter(
        family=family,
        organisation=organisation,
        purpose=ConsentPurpose.REFERRAL,
        withdrawn_at__isnull=True,
    ).first()


@transaction.atomic
def make_request(
    *,
    episode,
    to_organisation,
    requested_level: str,
    source: str,
    urgency: str,
    reason: str,
    received_on,
    override_reason: str = "",
    by,
) -> SupportRequest:
    """Ask `to_organisation`'s triage for support. A request to an organisation
    that does not hold the family's support needs the family's consent to the
    referral, or an override with a reason by a permitted role."""
    consent = None
    override_reason = override_reason.strip()
    if to_organisation.pk == episode.team.organisation_id:
        override_reason = ""
    else:
        consent = referral_consent(episode.family_id, to_organisation)
        if consent is not None:
            override_reason = ""
        elif not override_reason:
            raise ConsentNeeded(to_organisation)
        elif not by.roles & TRIAGE_ROLES:
            raise OverrideNotPermitted
        elif len(override_reason) < OVERRIDE_REASON_AT_LEAST:
            raise OverrideReasonTooShort
    if source == RequestSource.SELF:
        kind = RequestKind.SELF_REFERRAL
    elif by.organisation_id == episode.team.organisation_id:
        kind = RequestKind.STEP_UP
    else:
        kind = RequestKind.REFERRAL
    request = SupportRequest.objects.create(
        family_id=episode.family_id,
        kind=kind,
        source=source,
        requested_level=requested_level,
        reason=reason,
        urgency=urgency,
        received_on=received_on,
        to_organisation=to_organisation,
        made_by=by,
        made_by_organisation_id=by.organisation_id,
        consent=consent,
        consent_override_reason=override_reason,
    )
    RequestStatusChange.objects.create(
        request=request, status=RequestStatus.NEW, changed_by=by
    )
    changes.data_changed(on=received_on, family=episode.family_id)
    audit.record(
        action=AuditAction.MAKE_REQUEST,
        by=by,
        family=episode.family_id,
        obj=request,
        changed_fields=["requested_level", "reason", "source", "to_organisation"],
        detail={"kind": kind, "to_organisation": str(to_organisation.pk)},
    )
    if override_reason:
        audit.record(
            action=AuditAction.CONSENT_OVERRIDE,
            by=by,
            family=episode.family_id,
            obj=request,
            detail={
                "purpose": ConsentPurpose.REFERRAL,
                "organisation": str(to_organisation.pk),
                "reason": override_reason,
            },
        )
    return request


def allowed_next(request, user) -> list[str]:
    """The statuses `user` may move `request` to now. Deciding is for triage."""
    allowed: list[str] = []
    for status in NEXT_STATUSES.get(request.status, ()):
        if status == RequestStatus.AWAITING_TRIAGE:
            permitted = (
                bool(user.roles & TRIAGE_ROLES)
                and user.organisation_id == request.to_organisation_id
            )
        elif status == RequestStatus.WITHDRAWN:
            permitted = request.made_by_id == user.pk or bool(user.roles & TRIAGE_ROLES)
        else:  # accepted or declined, after triage: whoever works with the family
            permitted = status != RequestStatus.DECIDED
        if permitted:
            allowed.append(status)
    return allowed


@transaction.atomic
def change_request_status(*, request, to: str, reason: str, by) -> SupportRequest:
    """Move the request on, as the page showed it; refused if it changed since."""
    expected = request.status
    if to not in allowed_next(request, by):
        raise NotAllowedNow
    if to in STATUSES_NEEDING_A_REASON and not reason.strip():
        raise services.ReasonNeeded
    move_request(request, expected, to, reason, by)
    request.status = to
    return request


def move_request(request, expected, to, reason, by, **fields) -> None:
    """Move the request from `expected` to `to`, with its history and audit;
    refused if it has moved meanwhile."""
    moved = SupportRequest.objects.filter(pk=request.pk, status=expected).update(
        status=to, **fields
    )
    if not moved:
        raise RequestChangedMeanwhile
    RequestStatusChange.objects.create(
        request_id=request.pk, status=to, reason=reason, changed_by=by
    )
    audit.record(
        action=AuditAction.CHANGE_REQUEST_STATUS,
        by=by,
        family=request.family_id,
        obj=request,
        changed_fields=["status"],
        detail={"from": expected, "to": to},
    )
