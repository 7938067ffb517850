"""Reads from a replica: reports and downloads may be served by a PostgreSQL
standby, so that a long report does not compete with practitioners' pages.

With ONESTORY_REPLICA_URL set, settings add the `replica` alias and this router.
Only reads marked with `reads_from_replica` (a view) or `replica_reads` (a
block) go there, and of those only reads of the record's own apps: the audit
trail (whose last event every new event chains to), sessions and the shared
cache are always read on the primary. Every write goes to the primary, the
audit event of a replica read included. Without the setting there is no router
and everything uses the primary.

Row-level security (core/tenancy.py) holds on the replica too: a marked block
opens a transaction there and names the user's local authority for that
transaction only, so nothing outside the block can read with it (fails closed).
"""

from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from onestory.core import tenancy

REPLICA = "replica"
# The apps whose rows a report or a download reads; anything else (core's audit
# trail and submissions, sessions, the cache table) stays on the primary.
REPLICA_APPS = frozenset(
    {
        "accounts",
        "families",
        "support",
        "measures",
        "programmes",
        "workforce",
        "insights",
    }
)

_marked = ContextVar("replica_reads", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _marked.get() and model._meta.app_label in REPLICA_APPS:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


def routed() -> bool:
    return any(isinstance(each, ReplicaRouter) for each in router.routers)


def reads_alias() -> str:
    """The alias a raw SQL read should use here: the replica inside a marked
    block, the primary anywhere else."""
    return REPLICA if _marked.get() else DEFAULT_DB_ALIAS


@contextmanager
def replica_reads(user):
    """Reads inside go to the replica, as `user`'s local authority; nothing
    changes when no replica is configured."""
    if not routed():
        yield
        return
    with ExitStack() as block:
        if connections[REPLICA].vendor == "postgresql":
            block.enter_context(transaction.atomic(using=REPLICA))
            tenancy.set_tenant(tenancy.tenant_of(user), using=REPLICA, local=True)
        token = _marked.set(True)
        try:
            yield
        finally:
            _marked.reset(token)


def reads_from_replica(view):
    """A view whose reads may come from the replica (see replica_reads)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with replica_reads(request.user):
            return view(request, *args, **kwargs)

    return wrapped
