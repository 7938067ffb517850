"""Multi-agency triage meetings and their decisions: the only write path for
both. Requests for support are made and moved on in support.support_requests,
whose names are importable from here too.

A triage decision takes effect through the same services as a practitioner's
own change of level, transfer of lead or consultation, so the rules (one lead,
a reason for every transfer, stale changes refused) hold here too.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone

from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.support import services
from onestory.support.meeting_consent import ConsentCheck
from onestory.support.models import (
    DECLINED_BECAUSE,
    Consultation,
    DecisionOutcome,
    Episode,
    Involvement,
    InvolvementRole,
    RequestStatus,
    SupportRequest,
    TriageAction,
    TriageDecision,
    TriageMeeting,
    Urgency,
    declined_reason,
)
from onestory.support.support_requests import (
    OVERRIDE_REASON_AT_LEAST,
    STALE_REQUEST,
    ConsentNeeded,
    NotAllowedNow,
    OverrideNotPermitted,
    OverrideReasonTooShort,
    RequestChangedMeanwhile,
    allowed_next,
    change_request_status,
    make_request,
    move_request,
    referral_consent,
)

__all__ = [
    "OVERRIDE_REASON_AT_LEAST",
    "STALE_REQUEST",
    "AlreadyDecided",
    "ConsentCheck",
    "ConsentNeeded",
    "Decision",
    "MeetingNotYet",
    "NotAllowedNow",
    "OverrideNotPermitted",
    "OverrideReasonTooShort",
    "RequestChangedMeanwhile",
    "allowed_next",
    "change_request_status",
    "check_meeting_has_come",
    "make_request",
    "meeting_has_come",
    "meeting_not_yet_message",
    "not_yet",
    "record_decision",
    "referral_consent",
    "schedule_meeting",
]


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
        move_request(
            request,
            RequestStatus.AWAITING_TRIAGE,
            RequestStatus.DECIDED,
            "",
            by,
            decision=row,
        )
        if decision.outcome in DECLINED_BECAUSE:
            move_request(
                request,
                RequestStatus.DECIDED,
                RequestStatus.DECLINED,
                declined_reason(decision.outcome, decision.summary),
                by,
            )
