"""Explicit audit: services and views call `record` inside their transaction.

If the event cannot be written, the action fails with it (fail closed).

A read (a GET: core/transactions.py) has no request-long transaction: there an
event recorded outside one is written in a transaction of its own, at once, and
the view goes on only once it has committed. So the write lock (SQLite) and the
chain's advisory lock (PostgreSQL) are held for the insert, not for the page.
Anywhere else an event outside a transaction is refused: a write and its event
commit together or not at all.
"""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from onestory.core import audit_chain
from onestory.core.logs import current_request_id, current_source_ip
from onestory.core.models import AuditAction, AuditEvent, AuditOutcome

# Set for a read request's view (core/transactions.py).
_reading = ContextVar("audit_reading", default=False)


class AuditOutsideTransaction(RuntimeError):
    """An audited action must run in the transaction that writes its event."""


@contextmanager
def reading() -> Iterator[None]:
    """Within this, an event recorded outside a transaction is a read's: it is
    written in a short transaction of its own."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


@dataclass(frozen=True)
class FamilyMember:
    """The actor when a parent or carer acts in their family's own view
    (onestory/parents): no staff account, so the event names the person, by
    id, in its detail, and its roles say "family member"."""

    person_id: uuid.UUID

    is_authenticated = False


FAMILY_MEMBER_ROLE = "family member"


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
    action = AuditAction(action)  # an unknown action is refused: ValueError
    connection = transaction.get_connection()
    if not connection.in_atomic_block and not _reading.get():
        raise AuditOutsideTransaction(action)
    event = AuditEvent(
        action=action,
        outcome=outcome,
        family_id=getattr(family, "pk", family),
        person_id=getattr(person, "pk", person),
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        changed_fields=sorted(changed_fields),
        detail=_with_family_member(by, detail or {}),
        **_actor_fields(by),
        request_id=current_request_id.get(),
        source_ip=current_source_ip.get(),
    )
    grant = _emergency_access(by, event.family_id)
    if grant is not None:
        event.detail = {**event.detail, "break_glass": str(grant)}
    # Joins the caller's transaction; a read's event gets one of its own.
    with transaction.atomic(savepoint=False):
        _chain(connection, event)
        event.save(force_insert=True)
    return event


def _emergency_access(user, family_id):
    """The user's current emergency access to this family, if any: every event
    during it is flagged with the grant, for the information governance review."""
    if family_id is None or user is None or not user.is_authenticated:
        return None
    from django.apps import apps
    from django.utils import timezone

    BreakGlass = apps.get_model("families", "BreakGlass")
    return (
        BreakGlass.objects.filter(
            user=user, family_id=family_id, expires_at__gt=timezone.now()
        )
        .values_list("pk", flat=True)
        .first()
    )


def _chain(connection, event) -> None:
    """Give the event its place in the chain. Writers take turns: SQLite's
    IMMEDIATE transactions already do; on PostgreSQL a transaction-level advisory
    lock holds the end of the chain until this transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [audit_chain.CHAIN_LOCK])
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
    event.sequence = last["sequence"] + 1 if last else 1
    event.previous_hash = last["hash"] if last else audit_chain.GENESIS
    content = {name: getattr(event, name) for name in audit_chain.FIELDS}
    event.hash = audit_chain.digest(settings.AUDIT_KEY, content)


def record_refusal(*, by, family_id) -> AuditEvent:
    with transaction.atomic():
        return record(
            action=AuditAction.REFUSED,
            by=by,
            family=family_id,
            outcome=AuditOutcome.REFUSED,
        )


def _with_family_member(by, detail: dict) -> dict:
    if isinstance(by, FamilyMember):
        return {**detail, "family_member": str(by.person_id)}
    return detail


def _actor_fields(user) -> dict[str, Any]:
    if isinstance(user, FamilyMember):
        return {
            "actor": None,
            "actor_roles": FAMILY_MEMBER_ROLE,
            "actor_organisation": None,
        }
    if user is None or not user.is_authenticated:
        return {"actor": None, "actor_roles": "", "actor_organisation": None}
    return {
        "actor": user,
        "actor_roles": ",".join(sorted(user.roles)),
        "actor_organisation_id": user.organisation_id,
    }
