"""The family's plan: strengths, review date, goals and actions; the only
write path for it."""

from django.db import transaction
from django.utils import timezone

from onestory.core import audit
from onestory.core.audit import FamilyMember
from onestory.core.models import AuditAction, AuditOutcome
from onestory.core.refusals import Refusal
from onestory.support.models import Plan, PlanAction, PlanGoal


class PlanChangedMeanwhile(Refusal):
    """The plan was saved by someone else since this page was opened."""

    message = (
        "Someone saved the plan while you were editing it, so your changes were "
        "not saved. What you typed is below: check the plan and save again"
    )


def _plan_for(family, by) -> Plan:
    plan, _ = Plan.objects.get_or_create(family=family, defaults={"updated_by": by})
    return plan


def _plan_changed(plan, by, fields, obj=None) -> None:
    Plan.objects.filter(pk=plan.pk).update(updated_at=timezone.now(), updated_by=by)
    audit.record(
        action=AuditAction.UPDATE_PLAN,
        by=by,
        family=plan.family_id,
        obj=obj or plan,
        changed_fields=fields,
    )


def update_plan(*, family, strengths: str, review_on, based_on: int, by) -> Plan:
    """Save strengths and review date; refused if the plan changed since `based_on`,
    and the refusal audited (as a story conflict is), outside the rolled-back try."""
    try:
        return _update_plan(
            family=family,
            strengths=strengths,
            review_on=review_on,
            based_on=based_on,
            by=by,
        )
    except PlanChangedMeanwhile:
        record_plan_conflict(family=family, by=by)
        raise


def record_plan_conflict(*, family, by) -> None:
    with transaction.atomic():
        audit.record(
            action=AuditAction.UPDATE_PLAN_CONFLICT,
            by=by,
            family=family,
            outcome=AuditOutcome.REFUSED,
            changed_fields=[],
            detail={"refused": "changed_meanwhile"},
        )


@transaction.atomic
def _update_plan(*, family, strengths: str, review_on, based_on: int, by) -> Plan:
    plan = _plan_for(family, by)
    saved = Plan.objects.filter(pk=plan.pk, version=based_on).update(
        strengths=strengths, review_on=review_on, version=based_on + 1
    )
    if not saved:
        raise PlanChangedMeanwhile
    _plan_changed(plan, by, ["strengths", "review_on"])
    plan.refresh_from_db()
    return plan


@transaction.atomic
def add_goal(*, family, text: str, by) -> PlanGoal:
    plan = _plan_for(family, by)
    goal = PlanGoal.objects.create(plan=plan, text=text, added_by=by)
    _plan_changed(plan, by, ["goals"], goal)
    return goal


@transaction.atomic
def add_plan_action(*, family, description: str, owner: str, due_on, by) -> PlanAction:
    plan = _plan_for(family, by)
    action = PlanAction.objects.create(
        plan=plan, description=description, owner=owner, due_on=due_on, added_by=by
    )
    _plan_changed(plan, by, ["actions"], action)
    return action


@transaction.atomic
def mark_action_done(*, action: PlanAction, by) -> None:
    PlanAction.objects.filter(pk=action.pk, done_at=None).update(done_at=timezone.now())
    _plan_changed(action.plan, by, ["actions.done_at"], action)


class AlreadyDone(Refusal):
    message = "This action is already marked done"


@transaction.atomic
def mark_done_by_family(*, action: PlanAction, person, note: str) -> PlanAction:
    """A parent or carer marks one of the family's own actions done in the
    family's own view, with a note in their words (docs/family-view.md). The
    plan's last editor (staff) is unchanged; the event names the adult."""
    if not PlanAction.objects.filter(pk=action.pk, done_at=None).update(
        done_at=timezone.now(), done_by_person=person, done_note=note
    ):
        raise AlreadyDone
    audit.record(
        action=AuditAction.UPDATE_PLAN,
        by=FamilyMember(person.pk),
        family=person.family_id,
        person=person,
        obj=action,
        changed_fields=["actions.done_at", "actions.done_note"],
    )
    action.refresh_from_db()
    return action
