import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SIGNED_IN_AT = "onestory_signed_in_at"
EPOCH = "onestory_session_epoch"


def start(request, user) -> None:
    """Mark a newly signed-in session: when, and which generation of sessions."""
    request.session[SIGNED_IN_AT] = time.time()
    request.session[EPOCH] = user.session_epoch


class SessionLimitsMiddleware:
    """Ends a session after its absolute lifetime, or when the user has signed
    out everywhere else (their session epoch moved on). Idle timeout is the
    cookie's own age; a disabled account is refused by the auth backend."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session = request.session
            # Sessions from before these limits adopt them on their next request.
            signed_in_at = session.setdefault(SIGNED_IN_AT, time.time())
            epoch = session.setdefault(EPOCH, user.session_epoch)
            too_old = (
                time.time() - signed_in_at > settings.SESSION_ABSOLUTE_HOURS * 3600
            )
            if too_old or epoch != user.session_epoch:
                logout(request)
                messages.info(request, "You have been signed out. Sign in again.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
