"""One transaction for a request that may change something; none for a read.

A request that may change data (POST, and any method but GET, HEAD and OPTIONS)
runs its view in one transaction, as ATOMIC_REQUESTS would: what it writes and
the audit events of it commit together, or nothing does. On SQLite the
transaction is IMMEDIATE (config/env.py): it takes the write lock at BEGIN, so a
read-then-write never fails half way with "database is locked".

A read runs its view in autocommit: its queries lock nothing, and each audit
event it records is written in a short transaction of its own before the view
goes on (core/audit.py), so reads do not queue behind each other for the page's
length, and a read whose event cannot be written is still refused. A read that
writes anything else (a rate-limit count and the session's renewal have their
own transactions) must do it in `transaction.atomic`, its event inside.

Every view gets this from its permission declaration (core/permissions.py),
which every URL must have; anything undeclared (the Django admin) keeps
ATOMIC_REQUESTS.
"""

from functools import wraps

from django.db import transaction

from onestory.core import audit
from onestory.core.errors import SAFE_METHODS


def per_request(view):
    """Run `view` in one transaction for a write, in autocommit for a read."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            with audit.reading():
                return view(request, *args, **kwargs)
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return transaction.non_atomic_requests(wrapped)
