"""Requests for support and multi-agency triage: the only write path for both.

A triage decision takes effect through the same services as a practitioner's
own change of level, transfer of lead or consultation, so the rules (one lead,
a reason for every transfer, stale changes refused) hold here too.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from onestory.accounts.models import TRIAGE_ROLES
from onestory.core import audit, changes
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.families.models import ACCESS_PURPOSE, Consent, ConsentPurpose
from onestory.support import services
from onestory.support.models import (
    DECLINED_BECAUSE,
    NEXT_STATUSES,
    STATUSES_NEEDING_A_REASON,
    Consultation,
    DecisionOutcome,
    Episode,
    Involvement,
    InvolvementRole,
    RequestKind,
    RequestSource,
    RequestStatus,
    RequestStatusChange,
    SupportRequest,
    TriageAction,
    TriageDecision,
    TriageMeeting,
    Urgency,
    declined_reason,
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


class MeetingNotYet(Refusal):
    """A decision is recorded on or after the meeting's date, never before."""


def meeting_not_yet_message(meeting) -> str:
    day = timezone.localdate(meeting.starts_at)
    return (
        f"This meeting is on {dateformat.format(day, 'j F Y')}: its decisions "
        "can be recorded from that day"
    )


def meeting_has_come(meeting) -> bool:
    return timezone.localdate() >= timezone.localdate(meeting.starts_at)


def not_yet(meeting) -> str | None:
    """Why the meeting's decisions cannot be recorded yet; None once they can."""
    return None if meeting_has_come(meeting) else meeting_not_yet_message(meeting)


def check_meeting_has_come(meeting) -> None:
    if not meeting_has_come(meeting):
        raise MeetingNotYet(f"{meeting_not_yet_message(meeting)}. Nothing was saved")


class AlreadyDecided(Refusal):
    """This meeting has already recorded a decision for this family."""

    message = "This meeting has already decided for this family"


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
    allowed = []
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
    _move(request, expected, to, reason, by)
    request.status = to
    return request


def _move(request, expected, to, reason, by, **fields) -> None:
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


@transaction.atomic
def schedule_meeting(
    *, starts_at, location: str, chair, organisations, attendees: str, by
) -> TriageMeeting:
    meeting = TriageMeeting.objects.create(
        organisation_id=by.organisation_id,
        starts_at=starts_at,
        location=location,
        chair=chair,
        attendees=attendees,
        scheduled_by=by,
    )
    meeting.attending_organisations.set(
        {organisation.pk for organisation in organisations} | {by.organisation_id}
    )
    audit.record(
        action=AuditAction.SCHEDULE_TRIAGE,
        by=by,
        obj=meeting,
        changed_fields=["starts_at", "location", "chair", "attending_organisations"],
    )
    return meeting


@dataclass(frozen=True)
class ConsentCheck:
    """Which organisations at the meeting may hear about one family."""

    shared_with: list  # Organisation objects
    withheld_from: list

    @property
    def names(self) -> tuple[list[str], list[str]]:
        return (
            [str(o) for o in self.shared_with],
            [str(o) for o in self.withheld_from],
        )


def consent_check(organisations, *, holder_id, agreed_ids, overridden_ids=()):
    """May each organisation present hear about this family? The holder of its
    support may; others only with the family's consent to share its record or
    to a referral to them, or an override recorded on a request to them."""
    shared, withheld = [], []
    for organisation in organisations:
        may = (
            organisation.pk == holder_id
            or organisation.pk in agreed_ids
            or organisation.pk in overridden_ids
        )
        (shared if may else withheld).append(organisation)
    return ConsentCheck(shared, withheld)


DISCUSSION_PURPOSES = (ACCESS_PURPOSE, ConsentPurpose.REFERRAL)


@dataclass
class Decision:
    outcome: str
    summary: str
    level: str = ""
    lead: object = None
    lead_reason: str = ""
    offer: str = ""
    specialist: object = None
    question: str = ""
    signpost_to: str = ""
    actions: tuple = ()  # dicts of description, owner, due_on
    expected_lead_id: object = None  # the lead when the page was opened


def record_decision(
    *, meeting, family, decision: Decision, check: ConsentCheck, by
) -> TriageDecision:
    """Record what the meeting decided for `family` and make it so, on or
    after the meeting's date."""
    check_meeting_has_come(meeting)
    with transaction.atomic():
        episode = Episode.objects.select_related("team").get(
            family=family, closed_at=None
        )
        try:
            with transaction.atomic():
                shared, withheld = check.names
                row = TriageDecision.objects.create(
                    meeting=meeting,
                    family=family,
                    outcome=decision.outcome,
                    summary=decision.summary,
                    offer=decision.offer,
                    signpost_to=decision.signpost_to,
                    shared_with=shared,
                    withheld_from=withheld,
                    decided_by=by,
                )
        except IntegrityError:
            raise AlreadyDecided from None
        if decision.outcome == DecisionOutcome.SUPPORT:
            _take_effect(episode, row, decision, by)
        TriageAction.objects.bulk_create(
            TriageAction(decision=row, **action) for action in decision.actions
        )
        _settle_requests(meeting, family, row, decision, by)
        Consultation.objects.filter(
            episode=episode, discuss_at_triage=True, discussed_at=None
        ).update(discussed_at=row)
        audit.record(
            action=AuditAction.RECORD_TRIAGE_DECISION,
            by=by,
            family=family,
            obj=row,
            changed_fields=["outcome", "level", "lead", "actions"],
            detail={
                "outcome": row.outcome,
                "level": row.level,
                "lead_changed": row.lead_changed,
            },
        )
        return row


def _take_effect(episode, row, decision, by) -> None:
    current = Involvement.objects.get(
        episode=episode, role=InvolvementRole.LEAD, ended_at=None
    )
    if decision.expected_lead_id not in (None, current.practitioner_id):
        raise services.LeadChangedMeanwhile
    new_lead = decision.lead
    changes_lead = new_lead is not None and new_lead.pk != current.practitioner_id
    reason = decision.lead_reason or decision.summary
    level = decision.level or services.current_level(episode)
    if level != services.current_level(episode):
        services.change_level(
            episode=episode,
            to_level=level,
            reason=f"Decided at triage: {decision.summary}",
            new_lead=new_lead if changes_lead else None,
            expected_lead_id=current.practitioner_id,
            by=by,
        )
    elif changes_lead:
        services.transfer_lead(
            episode=episode,
            to=new_lead,
            reason=reason,
            expected_lead_id=current.practitioner_id,
            by=by,
        )
    if decision.specialist is not None:
        services.ask_consultation(
            episode=episode,
            specialist=decision.specialist,
            question=decision.question,
            tried=f"Discussed at the triage meeting: {decision.summary}",
            urgency=Urgency.ROUTINE,
            by=by,
        )
    TriageDecision.objects.filter(pk=row.pk).update(
        level=level,
        lead=new_lead if changes_lead else current.practitioner,
        lead_changed=changes_lead,
        specialist=decision.specialist,
    )
    row.refresh_from_db()


def _settle_requests(meeting, family, row, decision, by) -> None:
    """Requests awaiting this meeting are decided; a decision not to offer
    support declines them, with the decision as the reason."""
    waiting = SupportRequest.objects.filter(
        family=family,
        to_organisation_id=meeting.organisation_id,
        status=RequestStatus.AWAITING_TRIAGE,
    )
    for request in waiting:
        _move(
            request,
            RequestStatus.AWAITING_TRIAGE,
            RequestStatus.DECIDED,
            "",
            by,
            decision=row,
        )
        if decision.outcome in DECLINED_BECAUSE:
            _move(
                request,
                RequestStatus.DECIDED,
                RequestStatus.DECLINED,
                declined_reason(decision.outcome, decision.summary),
                by,
            )
