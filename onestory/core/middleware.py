import uuid

from django.conf import settings
from django.db import DatabaseError

from onestory.core import audit, errors, ratelimit
from onestory.core.access import FamilyNotFound


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
        if isinstance(exception, DatabaseError):
            # Full, read-only, busy or unreachable: the 503 page (core.errors).
            return errors.unavailable_response(request, exception)
        return None


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
