"""One answer to a database that cannot take the request, wherever it fails.

The view's own writes fail inside the view (RequestIdMiddleware's
process_exception); a write's transaction commits when the view returns
(core/transactions.py), and the session is saved after that, in middleware,
when it changed, so a full disk or a read-only or unopenable database often
shows itself only at COMMIT or while loading the session. Both paths come
here: the 500 handler asks what was raised, and a database that is full,
read-only, busy or unreachable gets the 503 page, logged as
`database_unavailable`. Anything else stays a 500.
"""

import logging
import sys

from django.db import DatabaseError
from django.http import HttpResponse
from django.template import loader

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

logger = logging.getLogger("onestory.database")

FULL = "The database's storage is full."
READ_ONLY = "The database can only be read at the moment."
BUSY = "The database is busy."
UNREACHABLE = "The database cannot be reached."

# What the database said (SQLite, PostgreSQL), and what to tell the user.
UNAVAILABLE = [
    ("disk is full", FULL),
    ("No space left on device", FULL),
    ("readonly database", READ_ONLY),
    ("read-only transaction", READ_ONLY),
    ("database is locked", BUSY),
    ("canceling statement due to statement timeout", BUSY),
    ("lock timeout", BUSY),
    ("unable to open database file", UNREACHABLE),
    ("could not connect", UNREACHABLE),
    ("connection failed", UNREACHABLE),
    ("Connection refused", UNREACHABLE),
    ("server closed the connection", UNREACHABLE),
    ("terminating connection", UNREACHABLE),
    ("the connection is closed", UNREACHABLE),
]


def unavailable_reason(exception) -> str | None:
    """What to tell the user, if `exception` (or what caused it) is the
    database refusing for want of space, writability or a connection."""
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, DatabaseError):
            message = str(exception)
            for said, say in UNAVAILABLE:
                if said in message:
                    return say
        exception = exception.__cause__ or exception.__context__
        seen += 1
    return None


def unavailable_response(
    request, exception, *, after_view=False
) -> HttpResponse | None:
    """The 503 page for a database that cannot take the request, or None.

    `after_view`: the failure came after the view had returned (the session's
    save), when a post's own transaction may already have committed."""
    reason = unavailable_reason(exception)
    if reason is None:
        return None
    logger.error(
        "Database unavailable",
        extra={
            "event": {
                "name": "database_unavailable",
                "reason": reason,
                "path": request.path,
                "database_said": str(exception).splitlines()[0][:200]
                if str(exception)
                else "",
            }
        },
    )
    # Rendered without context processors or the request: they may need the
    # database that has just failed.
    body = loader.get_template("503.html").render(
        {
            "reason": reason,
            "request_id": getattr(request, "request_id", ""),
            "may_have_saved": after_view and request.method not in SAFE_METHODS,
        }
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = "120"
    response["Cache-Control"] = "no-store"
    return response


def current_exception():
    """The exception being handled (Django calls handler500 inside `except`)."""
    return sys.exc_info()[1]
