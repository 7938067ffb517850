"""Explicit audit: services and views call `record` inside their transaction.

If the event cannot be written, the action fails with it (fail closed).
"""

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from onestory.core.models import AuditAction, AuditEvent, AuditOutcome

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


class AuditOutsideTransaction(RuntimeError):
    """An audited action must run in the transaction that writes its event."""


def record(
    *,
    action: AuditAction,
    by,
    family=None,
    person=None,
    obj=None,
    changed_fields: Iterable[str] = (),
    detail: dict[str, Any] | None = None,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise AuditOutsideTransaction(action)
    return AuditEvent.objects.create(
        action=action,
        outcome=outcome,
        family_id=getattr(family, "pk", family),
        person_id=getattr(person, "pk", person),
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        changed_fields=sorted(changed_fields),
        detail=detail or {},
        **_actor_fields(by),
        request_id=current_request_id.get(),
    )


def record_refusal(*, by, family_id) -> AuditEvent:
    with transaction.atomic():
        return record(
            action=AuditAction.REFUSED,
            by=by,
            family=family_id,
            outcome=AuditOutcome.REFUSED,
        )


def _actor_fields(user) -> dict[str, Any]:
    if user is None or not user.is_authenticated:
        return {"actor": None, "actor_roles": "", "actor_organisation": None}
    return {
        "actor": user,
        "actor_roles": ",".join(sorted(user.roles)),
        "actor_organisation_id": user.organisation_id,
    }
