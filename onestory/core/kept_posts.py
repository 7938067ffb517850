"""Nothing typed is lost to the idle timeout (security.md R51a).

A form posted after the session has timed out would be refused and its text
lost. Instead, before the sign-in redirect, what was typed is kept server-side
(Django's cache, 30 minutes) under a random id carried through sign-in in
`next` (`?kept=<id>`). It belongs to the user whose timed-out session sent it
(read from that session's row, which is kept until `clearsessions`); when that
row is gone (signed out, or cleared) nobody can be named and nothing is kept,
so it can never reach someone else on the same browser. Back on the
form, and only for that user, every unbound form of the page starts from what
they typed (`GovukForm`); the text is then forgotten. Passwords, codes and
one-time tokens are never kept.
"""

import contextvars
import secrets
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

PARAMETER = "kept"
SECONDS = 30 * 60
MAX_CHARACTERS = 200_000
NEVER_KEPT = ("csrfmiddlewaretoken", "submission", "password", "code", "secret")
SAID = "Your session timed out. Sign in again: what you typed has been kept."

# The kept values for the forms of this request, if any (read by GovukForm).
current = contextvars.ContextVar("kept_post", default=None)


class KeepTypedMiddleware:
    """Between authentication and LoginRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(None)
        try:
            return self.get_response(request)
        finally:
            current.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            if request.method == "GET" and PARAMETER in request.GET:
                current.set(_take(request))
            return None
        if request.method != "POST" or not getattr(view_func, "login_required", True):
            return None
        return _keep_and_sign_in(request)


def _keep_and_sign_in(request):
    data = {
        key: request.POST.getlist(key)
        for key in request.POST
        if not any(word in key.lower() for word in NEVER_KEPT)
    }
    back_to = _form_page(request)
    owner = _timed_out_owner(request)
    if (
        owner is not None
        and data
        and sum(len(v) for values in data.values() for v in values) < (MAX_CHARACTERS)
    ):
        kept_id = secrets.token_urlsafe(24)
        cache.set(
            _key(kept_id),
            {"owner": owner, "path": back_to, "data": data},
            SECONDS,
        )
        back_to = f"{back_to}?{urlencode({PARAMETER: kept_id})}"
        messages.info(request, SAID)
    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': back_to})}")


def _form_page(request) -> str:
    """The page the form was on (a post-only address would answer 405)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}
    ):
        return urlsplit(referer).path or request.path
    return request.path


def _timed_out_owner(request):
    """The user of the session that timed out, if its row is still there."""
    from django.contrib.sessions.models import Session

    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key or not settings.SESSION_ENGINE.endswith(".db"):
        return None
    session = Session.objects.filter(session_key=key).first()
    return session.get_decoded().get(SESSION_KEY) if session else None


def _take(request):
    """The kept values, once, if they belong to this user and this page."""
    key = _key(request.GET[PARAMETER])
    kept = cache.get(key)
    if not kept or kept["path"] != request.path:
        return None
    if str(kept["owner"]) != str(request.user.pk):
        return None  # never another user's text
    cache.delete(key)
    return kept["data"]


def _key(kept_id: str) -> str:
    return f"onestory:kept-post:{kept_id[:64]}"
