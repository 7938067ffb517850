import logging
import uuid

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader

from onestory.core import audit, ratelimit
from onestory.core.access import FamilyNotFound

logger = logging.getLogger("onestory.database")

# What the database said, and what to tell the user. Anything else is a 500.
UNAVAILABLE = [
    ("disk is full", "The database's storage is full."),
    ("No space left on device", "The database's storage is full."),
    ("database is locked", "The database is busy."),
    ("could not connect", "The database cannot be reached."),
    ("server closed the connection", "The database cannot be reached."),
    ("terminating connection", "The database cannot be reached."),
    ("canceling statement due to statement timeout", "The database is busy."),
    ("lock timeout", "The database is busy."),
]


class RequestIdMiddleware:
    """Give every request an id, shown on error pages and kept in audit events."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = audit.current_request_id.set(request.request_id)
        address = audit.current_source_ip.set(ratelimit.client_ip(request) or None)
        try:
            response = self.get_response(request)
        finally:
            audit.current_request_id.reset(token)
            audit.current_source_ip.reset(address)
        response["X-Request-ID"] = request.request_id
        # Outermost, so static files carry it too.
        response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response

    def process_exception(self, request, exception):
        # The view's transaction has already rolled back here, so the refusal is
        # recorded on its own: a refused read must still leave a trace.
        if isinstance(exception, FamilyNotFound) and request.user.is_authenticated:
            audit.record_refusal(by=request.user, family_id=exception.family_id)
        if isinstance(exception, OperationalError):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, exception):
        """The database refused (full, busy, unreachable). The view's transaction
        has rolled back; say so plainly, with 503, and log it for an alert."""
        message = str(exception)
        reason = next((say for said, say in UNAVAILABLE if said in message), None)
        if reason is None:
            return None
        logger.error(
            "Database unavailable",
            extra={
                "event": {
                    "name": "database_unavailable",
                    "reason": reason,
                    "database_said": message.splitlines()[0][:200],
                }
            },
        )
        body = loader.get_template("503.html").render(
            {"reason": reason, "request_id": request.request_id}
        )
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "120"
        return response


class NoStoreMiddleware:
    """No page may be kept by a browser or a shared cache: signed-in pages hold
    personal data, and public ones (sign-in, a parent's questionnaire, feedback)
    are opened on shared computers. Static files are served before this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
