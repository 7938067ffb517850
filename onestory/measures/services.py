"""The only write path for questionnaires and one-to-one programmes: scored on
the server, audited. The links a parent answers by are in measures.links."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from onestory.core import audit, changes
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.measures import instruments
from onestory.measures.models import (
    Intervention,
    Mode,
    QuestionnaireResponse,
    ReviewPoint,
    ReviewPointKind,
    RiskAction,
)
from onestory.workforce.queries import check_may_deliver


class AlreadyAmended(Refusal):
    """Only the current version of a response can be amended."""

    message = "This questionnaire has already been changed: change the newest version"


class NoRiskToAct(Refusal):
    """There is no open risk answer on this response."""

    message = "Action on this answer has already been recorded."


@transaction.atomic
def start_intervention(
    *,
    person,
    programme,
    deliverer,
    started_on: date,
    planned_weeks: int | None = None,
    sessions_planned: int | None = None,
    instrument_codes=(),
    by,
) -> Intervention:
    """Enrol a family member in a one-to-one programme, delivered by someone who
    may deliver it, and schedule its baseline, midpoint and end reviews (the
    programme's measures and length unless others are chosen)."""
    decision = check_may_deliver(deliverer, programme, started_on, field="deliverer")
    planned_weeks = planned_weeks or programme.planned_weeks
    instrument_codes = list(instrument_codes) or list(programme.instrument_codes)
    intervention = Intervention.objects.create(
        person=person,
        programme=programme,
        name=programme.name,
        deliverer=deliverer,
        started_on=started_on,
        planned_weeks=planned_weeks,
        sessions_planned=sessions_planned or programme.sessions_planned or None,
        instrument_codes=instrument_codes,
        created_by=by,
    )
    ReviewPoint.objects.bulk_create(
        ReviewPoint(
            intervention=intervention, kind=kind, instrument_code=code, due_on=due
        )
        for kind, due in review_dates(started_on, planned_weeks)
        for code in instrument_codes
    )
    # The programme filter's families are anyone ever enrolled, in every period
    # (Scope.programme_families): of no one date, like a course place.
    changes.data_changed(family=person.family_id)
    audit.record(
        action=AuditAction.START_INTERVENTION,
        by=by,
        family=person.family_id,
        person=person,
        obj=intervention,
        changed_fields=["programme", "deliverer", "started_on", "planned_weeks"],
        detail={"supervised_practice": True} if decision.supervised else {},
    )
    return intervention


def review_dates(started_on: date, planned_weeks: int):
    """Baseline at the start, midpoint half way (rounded down), end at the end."""
    days = planned_weeks * 7
    return [
        (ReviewPointKind.BASELINE, started_on),
        (ReviewPointKind.MIDPOINT, started_on + timedelta(days=days // 2)),
        (ReviewPointKind.END, started_on + timedelta(days=days)),
    ]


@transaction.atomic
def record_response(
    *,
    person,
    instrument,
    answers: dict,
    completed_on: date,
    by,
    review_point: ReviewPoint | None = None,
    mode: str = Mode.PRACTITIONER,
) -> QuestionnaireResponse:
    """Score the answers here, never trusting a client's score, and store both."""
    response = create_response(person, instrument, answers, completed_on, by, mode)
    if review_point is not None and review_point.completed_by_id is None:
        review_point.completed_by = response
        review_point.save(update_fields=["completed_by"])
    audit.record(
        action=AuditAction.RECORD_QUESTIONNAIRE,
        by=by,
        family=person.family_id,
        person=person,
        obj=response,
        changed_fields=["answers", "score"],
        detail={"instrument": instrument.code, "mode": mode},
    )
    return response


def create_response(person, instrument, answers, completed_on, by, mode, **extra):
    """A response scored here (for this module and measures.links); the caller
    audits it."""
    score = instrument.score(answers)
    earlier = extra.get("supersedes")  # an amendment changes both days' figures
    changes.data_changed(
        on=min(completed_on, earlier.completed_on) if earlier else completed_on,
        local_authority=person.local_authority_id,
    )
    return QuestionnaireResponse.objects.create(
        person=person,
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        answers={
            key: _json(value) for key, value in answers.items() if value is not None
        },
        score=score.to_dict(),
        total=score.total,
        status=score.status,
        has_risk=score.has_risk,
        completed_on=completed_on,
        mode=mode,
        recorded_by=by,
        **extra,
    )


def _json(value):
    return value if isinstance(value, int) else str(value)


@transaction.atomic
def amend_response(
    *,
    response: QuestionnaireResponse,
    answers: dict,
    completed_on: date,
    reason: str,
    by,
) -> QuestionnaireResponse:
    """Replace a response with a corrected one; the original is kept, linked."""
    original = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
    if QuestionnaireResponse.objects.filter(supersedes=original).exists():
        raise AlreadyAmended
    amended = create_response(
        original.person,
        original.instrument,
        answers,
        completed_on,
        by,
        original.mode,
        supersedes=original,
        amendment_reason=reason,
    )
    ReviewPoint.objects.filter(completed_by=original).update(completed_by=amended)
    action = getattr(original, "risk_action", None)
    if action is not None and amended.has_risk:
        RiskAction.objects.create(
            response=amended,
            action_taken=action.action_taken,
            recorded_by=action.recorded_by,
            recorded_at=action.recorded_at,
        )
    changed = {
        k
        for k in set(original.answers) | set(amended.answers)
        if original.answers.get(k) != amended.answers.get(k)
    }
    audit.record(
        action=AuditAction.AMEND_QUESTIONNAIRE,
        by=by,
        family=original.person.family_id,
        person=original.person_id,
        obj=amended,
        changed_fields=[f"item {key}" for key in changed]
        + (["completed_on"] if completed_on != original.completed_on else []),
        detail={"supersedes": str(original.pk)},
    )
    return amended


@transaction.atomic
def record_risk_action(
    *, response: QuestionnaireResponse, action_taken: str, by
) -> RiskAction:
    if not response.has_risk or RiskAction.objects.filter(response=response).exists():
        raise NoRiskToAct
    action = RiskAction.objects.create(
        response=response, action_taken=action_taken, recorded_by=by
    )
    audit.record(
        action=AuditAction.RECORD_RISK_ACTION,
        by=by,
        family=response.person.family_id,
        person=response.person_id,
        obj=action,
        changed_fields=["action_taken"],
    )
    return action


@transaction.atomic
def mark_reviewed(*, response: QuestionnaireResponse, by) -> None:
    QuestionnaireResponse.objects.filter(pk=response.pk, reviewed_at=None).update(
        reviewed_at=timezone.now(), reviewed_by=by
    )
    audit.record(
        action=AuditAction.REVIEW_QUESTIONNAIRE,
        by=by,
        family=response.person.family_id,
        person=response.person_id,
        obj=response,
        changed_fields=["reviewed_at"],
    )


@transaction.atomic
def update_enrolment(
    *, enrolment: Intervention, sessions_attended: int, status: str, by
):
    """Sessions attended so far, and whether the programme is under way,
    completed or ended early."""
    changed = [
        name
        for name, value in (
            ("sessions_attended", sessions_attended),
            ("status", status),
        )
        if getattr(enrolment, name) != value
    ]
    Intervention.objects.filter(pk=enrolment.pk).update(
        sessions_attended=sessions_attended, status=status
    )
    audit.record(
        action=AuditAction.UPDATE_ENROLMENT,
        by=by,
        family=enrolment.person.family_id,
        person=enrolment.person,
        obj=enrolment,
        changed_fields=changed,
    )


class ReviewPointDone(Refusal):
    message = "This questionnaire has been filled in already. Thank you"


@transaction.atomic
def complete_review_point_online(*, point: ReviewPoint, answers: dict, by):
    """A parent or carer fills in a review point's questionnaire in the
    family's own view (`by` is their `audit.FamilyMember`): scored here, as
    every response is, and the review point marked done. Refused if it was
    done meanwhile."""
    point = (
        ReviewPoint.objects.select_for_update()
        .select_related("intervention__person")
        .get(pk=point.pk)
    )
    if point.completed_by_id is not None:
        raise ReviewPointDone
    person = point.intervention.person
    instrument = instruments.get(point.instrument_code)
    response = create_response(
        person, instrument, answers, timezone.localdate(), None, Mode.SELF_COMPLETION
    )
    ReviewPoint.objects.filter(pk=point.pk).update(completed_by=response)
    audit.record(
        action=AuditAction.COMPLETE_QUESTIONNAIRE_IN_FAMILY_VIEW,
        by=by,
        family=person.family_id,
        person=person,
        obj=response,
        changed_fields=["answers", "score"],
        detail={"instrument": instrument.code, "review_point": point.pk},
    )
    return response
