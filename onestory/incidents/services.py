"""The only write path for major incidents: declaring one, its staff and
rest centres, welfare checks, and standing it down; its areas and list are
`areas.py`. Every write is audited in its transaction, with the incident
named in the event."""

from django.db import transaction
from django.utils import timezone

from onestory.accounts.services import email_information_governance
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.incidents import domain
from onestory.incidents.areas import audited, new_area, refuse_if_stood_down, relist
from onestory.incidents.models import (
    CheckAttempt,
    Incident,
    IncidentLearning,
    IncidentStaff,
    Method,
    Outcome,
    RestCentre,
    WelfareCheck,
)


@transaction.atomic
def declare(
    *,
    name,
    started_at,
    area_name,
    kind,
    by,
    closed_within_days=90,
    no_answers_before_escalation=domain.NO_ANSWERS_BEFORE_ESCALATION,
    **where,
) -> Incident:
    """Declare a major incident with its first area; the declaring lead is
    its first staff. The information governance leads are told (without any
    family's details)."""
    incident = Incident.objects.create(
        local_authority_id=by.organisation.local_authority_id,
        name=name,
        started_at=started_at,
        declared_by=by,
        closed_within_days=closed_within_days,
        no_answers_before_escalation=no_answers_before_escalation,
    )
    IncidentStaff.objects.create(
        incident=incident,
        local_authority_id=incident.local_authority_id,
        user=by,
        added_by=by,
    )
    area = new_area(incident, area_name, kind, by, where)
    listed = relist(incident)
    audited(
        AuditAction.DECLARE_INCIDENT,
        incident=incident,
        by=by,
        detail={"area": str(area.pk), "families_listed": listed},
    )
    transaction.on_commit(lambda: _tell_governance(incident))
    return incident


def _tell_governance(incident):
    email_information_governance(
        local_authority_id=incident.local_authority_id,
        subject=f"Major incident declared: {incident.name}",
        message=(
            f"A major incident, {incident.name}, was declared in onestory at "
            f"{timezone.localtime(incident.declared_at):%H:%M on %-d %B %Y}. Staff "
            "assigned to it can see the welfare-check details of the families "
            "inside its areas until it is stood down. Every view is audited."
        ),
    )


@transaction.atomic
def assign_staff(*, incident, user, by) -> IncidentStaff:
    refuse_if_stood_down(incident)
    if user.organisation.local_authority_id != incident.local_authority_id:
        raise Refusal(
            "Only staff of this local authority can be assigned", field="user"
        )
    staff, created = IncidentStaff.objects.get_or_create(
        incident=incident,
        user=user,
        defaults={"local_authority_id": incident.local_authority_id, "added_by": by},
    )
    if not created:
        raise Refusal("They are already assigned to this incident", field="user")
    audited(
        AuditAction.ASSIGN_INCIDENT_STAFF,
        incident=incident,
        by=by,
        obj=staff,
        detail={"user": str(user.pk)},
    )
    return staff


@transaction.atomic
def open_rest_centre(*, incident, name, postcode, by) -> RestCentre:
    refuse_if_stood_down(incident)
    centre = RestCentre.objects.create(
        incident=incident,
        local_authority_id=incident.local_authority_id,
        name=name,
        postcode=postcode,
    )
    audited(AuditAction.OPEN_REST_CENTRE, incident=incident, by=by, obj=centre)
    return centre


class RestCentreNeeded(Refusal):
    field = "rest_centre"
    message = "Select the rest centre they are at"


@transaction.atomic
def record_attempt(
    *, check, method, outcome, by, rest_centre=None, note="", at=None
) -> CheckAttempt:
    """One try at reaching the family. The first that reaches them sets when
    they were reached; `no_answers_before_escalation` tries with no answer
    and none that reached them escalate the check."""
    check = (
        WelfareCheck.objects.select_for_update()
        .select_related("incident")
        .get(pk=check.pk)
    )
    incident = check.incident
    refuse_if_stood_down(incident)
    if outcome == Outcome.AT_REST_CENTRE and rest_centre is None:
        raise RestCentreNeeded
    at = at or timezone.now()
    attempt = CheckAttempt.objects.create(
        welfare_check=check,
        local_authority_id=check.local_authority_id,
        at=at,
        method=method,
        outcome=outcome,
        rest_centre=rest_centre,
        note=note,
        by=by,
    )
    check.attempts += 1
    check.outcome = outcome
    if outcome != Outcome.NO_ANSWER and check.reached_at is None:
        check.reached_at = at
    if rest_centre is not None:
        check.rest_centre = rest_centre
    outcomes = list(check.attempt_rows.values_list("outcome", flat=True))
    if check.escalated_at is None and domain.escalates(
        outcomes,
        no_answer=Outcome.NO_ANSWER,
        limit=incident.no_answers_before_escalation,
    ):
        check.escalated_at = at
    check.save(
        update_fields=[
            "attempts",
            "outcome",
            "reached_at",
            "rest_centre",
            "escalated_at",
        ]
    )
    audited(
        AuditAction.RECORD_WELFARE_CHECK,
        incident=incident,
        by=by,
        obj=attempt,
        family=check.family_id,
        detail={
            "outcome": outcome,
            "method": method,
            "escalated": check.escalated_at is not None,
        },
    )
    return attempt


def check_in(*, check, rest_centre, by, note="") -> CheckAttempt:
    """A family arrives at a rest centre: reached, there."""
    return record_attempt(
        check=check,
        method=Method.REST_CENTRE,
        outcome=Outcome.AT_REST_CENTRE,
        rest_centre=rest_centre,
        note=note,
        by=by,
    )


@transaction.atomic
def stand_down(*, incident, by) -> Incident:
    """Stand the incident down: from now no one sees its families' details
    (its report for learning holds none)."""
    refuse_if_stood_down(incident)
    incident.stood_down_at = timezone.now()
    incident.stood_down_by = by
    incident.save(update_fields=["stood_down_at", "stood_down_by"])
    incident.areas.filter(ended_at__isnull=True).update(ended_at=incident.stood_down_at)
    audited(AuditAction.STAND_DOWN_INCIDENT, incident=incident, by=by)
    return incident


@transaction.atomic
def record_learning(*, incident, question, tried, noticed, next_steps, by):
    """Write in the incident's learning log (after it, or while it runs)."""
    entry = IncidentLearning.objects.create(
        incident=incident,
        local_authority_id=incident.local_authority_id,
        question=question,
        tried=tried,
        noticed=noticed,
        next_steps=next_steps,
        written_by=by,
    )
    audited(AuditAction.RECORD_LEARNING, incident=incident, by=by, obj=entry)
    return entry


def record_list_read(
    *, incident, by, checks, action=AuditAction.LIST_INCIDENT_FAMILIES
):
    """A page (or download) of the list was read: audited with the incident
    and the families on it, in a short transaction of its own."""
    with transaction.atomic():
        audited(
            action,
            incident=incident,
            by=by,
            detail={"family_ids": [str(check.family_id) for check in checks]},
        )


EXPORTED = AuditAction.EXPORT_INCIDENT_LIST
PRINTED = AuditAction.PRINT_INCIDENT_LIST


def record_report_read(*, incident, by):
    with transaction.atomic():
        audited(AuditAction.VIEW_INCIDENT_REPORT, incident=incident, by=by)


def record_check_read(*, check, by):
    with transaction.atomic():
        audited(
            AuditAction.VIEW_WELFARE_CHECK,
            incident=check.incident,
            by=by,
            obj=check,
            family=check.family_id,
        )
