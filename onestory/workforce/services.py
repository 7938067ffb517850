"""The only write path for training and supervision; each audited."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.core import audit, changes
from onestory.core.models import AuditAction
from onestory.workforce import domain, queries
from onestory.workforce.models import (
    Supervision,
    TrainingNeed,
    TrainingRecord,
    TrainingStatus,
)

SUPERVISOR_ROLES = frozenset({Role.SUPERVISOR, Role.TEAM_MANAGER})


class NotTheirs(Exception):
    """The user may not record this for that person."""


@transaction.atomic
def record_training(
    *,
    user,
    course,
    status: str,
    planned_for: date | None = None,
    completed_on: date | None = None,
    evidence_note: str = "",
    by,
) -> TrainingRecord:
    """Staff record their own training; team managers record their team's."""
    if not queries.may_manage(by, user):
        raise NotTheirs
    completed = status == TrainingStatus.COMPLETED
    if completed and completed_on is None:
        raise ValueError("Completed training needs the day it was completed")
    done_on = completed_on if completed else None
    record = TrainingRecord.objects.create(
        user=user,
        course=course,
        status=status,
        planned_for=None if completed else planned_for,
        completed_on=done_on,
        expires_on=domain.expiry(done_on, course.renewal_months) if done_on else None,
        evidence_note=evidence_note.strip(),
        recorded_by=by,
        # A manager recording it confirms it; staff's own need confirming.
        verified_by=by if completed and by.pk != user.pk else None,
        verified_at=timezone.now() if completed and by.pk != user.pk else None,
    )
    audit.record(
        action=AuditAction.RECORD_TRAINING,
        by=by,
        obj=record,
        detail={"for": str(user.pk), "status": status},
    )
    if done_on:
        _workforce_changed(on=done_on, user=user)
    return record


@transaction.atomic
def record_need(*, need: str, confidence_before: int, by) -> TrainingNeed:
    record = TrainingNeed.objects.create(
        user=by, need=need.strip(), confidence_before=confidence_before
    )
    audit.record(action=AuditAction.RECORD_TRAINING_NEED, by=by, obj=record)
    return record


@transaction.atomic
def meet_need(*, need: TrainingNeed, confidence_after: int, by) -> None:
    if need.user_id != by.pk:
        raise NotTheirs
    TrainingNeed.objects.filter(pk=need.pk).update(
        confidence_after=confidence_after, met_at=timezone.now()
    )
    audit.record(
        action=AuditAction.RECORD_TRAINING_NEED,
        by=by,
        obj=need,
        changed_fields=["confidence_after", "met_at"],
    )


@transaction.atomic
def record_supervision(
    *, supervisee, held_on: date, kind: str, themes: str, agreed_actions: str, by
) -> Supervision:
    """Supervisors and team managers record supervision they gave to someone
    else in their organisation."""
    if (
        not (by.roles & SUPERVISOR_ROLES)
        or supervisee.pk == by.pk
        or supervisee.organisation_id != by.organisation_id
    ):
        raise NotTheirs
    supervision = Supervision.objects.create(
        supervisee=supervisee,
        supervisor=by,
        held_on=held_on,
        kind=kind,
        themes=themes.strip(),
        agreed_actions=agreed_actions.strip(),
    )
    audit.record(
        action=AuditAction.RECORD_SUPERVISION,
        by=by,
        obj=supervision,
        detail={"supervisee": str(supervisee.pk)},
    )
    _workforce_changed(on=held_on, user=supervisee)
    return supervision


@transaction.atomic
def confirm_training(*, record: TrainingRecord, by) -> None:
    """A team manager confirms training someone recorded for themselves."""
    if record.user_id == by.pk or not queries.may_manage(by, record.user):
        raise NotTheirs
    TrainingRecord.objects.filter(pk=record.pk, verified_at=None).update(
        verified_by=by, verified_at=timezone.now()
    )
    audit.record(
        action=AuditAction.RECORD_TRAINING,
        by=by,
        obj=record,
        changed_fields=["verified_by", "verified_at"],
        detail={"for": str(record.user_id), "confirmed": True},
    )
    if record.completed_on is not None:
        _workforce_changed(on=record.completed_on, user=record.user)


def _workforce_changed(*, on: date, user) -> None:
    """Training or supervision dated `on` changes the workforce figures of the
    period it falls in: a settled period's stored figures stop being current."""
    changes.data_changed(on=on, local_authority=user.organisation.local_authority_id)
