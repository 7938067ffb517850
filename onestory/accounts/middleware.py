import math
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect

SIGNED_IN_AT = "onestory_signed_in_at"
EPOCH = "onestory_session_epoch"
RENEWED_AT = "onestory_renewed_at"
# The idle timer is renewed (the session saved with a new expiry) at most this
# often, not on every request: a save is a write, and reads must not queue
# for one. A session may so end up to this long before its full idle timeout
# after the last request, never after it.
RENEW_EVERY_SECONDS = 60


def start(request, user) -> None:
    """Mark a newly signed-in session: when, and which generation of sessions."""
    request.session[SIGNED_IN_AT] = time.time()
    request.session[EPOCH] = user.session_epoch
    renew(request)


def renew(request) -> None:
    """Restart the idle timer: the session is saved after the view with a full
    SESSION_COOKIE_AGE to live."""
    request.session[RENEWED_AT] = time.time()


def idle_seconds_left(request) -> int:
    """How long the session lives without another request (the timeout warning
    counts down from this)."""
    renewed_at = request.session.get(RENEWED_AT, time.time())
    return max(0, math.ceil(renewed_at + settings.SESSION_COOKIE_AGE - time.time()))


def _renew_every() -> float:
    # A short idle timeout (a test's seconds) is renewed within a tenth of it.
    return min(RENEW_EVERY_SECONDS, settings.SESSION_COOKIE_AGE / 10)


class SessionLimitsMiddleware:
    """Ends a session after its absolute lifetime, or when the user has signed
    out everywhere else (their session epoch moved on), and renews its idle
    timer (the stored session's expiry) once a minute while it is used. A
    disabled account is refused by the auth backend."""

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
            if time.time() - session.get(RENEWED_AT, 0) >= _renew_every():
                renew(request)
        return self.get_response(request)
