"""Signing in and out. Sign-in has two steps: the password, then a code from the
authenticator app (set up at the first sign-in). Only after both is the session
signed in; nothing else is reachable in between."""

import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from onestory.accounts import middleware as session_limits
from onestory.accounts import services, totp
from onestory.accounts.forms import (
    ChangePasswordForm,
    CodeForm,
    EnrolCodeForm,
    SignInForm,
)
from onestory.accounts.link_views import ENROLLING_BY_LINK
from onestory.accounts.models import Authenticator, User
from onestory.core import ratelimit
from onestory.core.permissions import public, signed_in

PENDING_USER = "onestory_pending_user"
PENDING_SINCE = "onestory_pending_since"
PENDING_NEXT = "onestory_pending_next"
ENROL_SECRET = "onestory_enrol_secret"  # noqa: S105 (a session key name)
PENDING_SECONDS = 5 * 60
CODE_ATTEMPTS = 5
TIMED_OUT = "Your sign-in timed out. Sign in again."
THROTTLED = "Too many wrong codes. Wait 5 minutes, then sign in again"
WRONG_CODE = (
    "Enter the code your authenticator app shows now, or an unused recovery code"
)
LOCKED = (
    "Your account is locked after too many wrong codes. Ask your administrator "
    "to unlock it"
)


@public
@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST":
        if form.is_valid():
            # A new session id at each step up in privilege (no fixation).
            request.session.cycle_key()
            request.session[PENDING_USER] = str(form.user.pk)
            request.session[PENDING_SINCE] = time.time()
            request.session[PENDING_NEXT] = _safe_next(request)
            if Authenticator.objects.filter(user=form.user).exists():
                return redirect("accounts:second_factor")
            return redirect("accounts:set_up_second_factor")
        services.record_failed_sign_in(email=request.POST.get("email", ""))
    return render(
        request, "accounts/sign_in.html", {"form": form, "next": _safe_next(request)}
    )


def _pending_user(request):
    """The user who has given their password in this session, if still recent."""
    since = request.session.get(PENDING_SINCE, 0)
    if time.time() - since > PENDING_SECONDS:
        return None
    return User.objects.filter(
        pk=request.session.get(PENDING_USER), is_active=True
    ).first()


def _timed_out(request):
    for key in (PENDING_USER, PENDING_SINCE, PENDING_NEXT, ENROL_SECRET):
        request.session.pop(key, None)
    messages.error(request, TIMED_OUT)
    return redirect("accounts:sign_in")


def _complete(request, user):
    target = request.session.get(PENDING_NEXT) or "/"
    login(request, user)  # a new session id again
    for key in (PENDING_USER, PENDING_SINCE, PENDING_NEXT, ENROL_SECRET):
        request.session.pop(key, None)
    request.session.pop(ENROLLING_BY_LINK, None)
    session_limits.start(request, user)
    services.record_sign_in(user=user)
    return target


def _throttled(user) -> bool:
    key = f"sign-in:code:{user.pk}"
    return ratelimit.count(key) >= CODE_ATTEMPTS


@public
@require_http_methods(["GET", "POST"])
def second_factor(request):
    user = _pending_user(request)
    if user is None:
        return _timed_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.is_locked(user):
            form.add_error("code", LOCKED)
        elif _throttled(user):
            form.add_error("code", THROTTLED)
        elif services.check_second_factor(user=user, code=form.cleaned_data["code"]):
            return redirect(_complete(request, user))
        else:
            _wrong_code(user)
            form.add_error("code", WRONG_CODE)
    return render(request, "accounts/second_factor.html", {"form": form})


def _wrong_code(user) -> None:
    """A wrong code counts toward the throttle and is recorded."""
    ratelimit.hit(f"sign-in:code:{user.pk}", window_seconds=PENDING_SECONDS)
    services.record_failed_sign_in(email=user.email, step="code")


@public
@require_http_methods(["GET", "POST"])
def set_up_second_factor(request):
    user = _pending_user(request)
    if user is None:
        return _timed_out(request)
    if Authenticator.objects.filter(user=user).exists():
        return redirect("accounts:second_factor")
    if user.enrol_by_link and request.session.get(ENROLLING_BY_LINK) != str(user.pk):
        return render(request, "accounts/enrol_by_link_only.html", status=403)
    secret = request.session.setdefault(ENROL_SECRET, totp.new_secret())
    form = EnrolCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.enrol(user=user, secret=secret, code=form.cleaned_data["code"])
        if codes is not None:
            context = {"codes": codes, "next": _complete(request, user)}
            return render(request, "accounts/recovery_codes.html", context)
        form.add_error("code", "Enter the code your authenticator app shows now")
    return _enrolment_page(request, form, user, secret)


def _enrolment_page(request, form, user, secret):
    """The QR code to scan, the secret to type instead, and the form."""
    groups = [secret[i : i + 4] for i in range(0, len(secret), 4)]
    qr_code = _qr_svg(services.enrolment_uri(user, secret))
    context = {"form": form, "qr_code": qr_code, "secret_groups": groups}
    return render(request, "accounts/set_up_second_factor.html", context)


def _qr_svg(uri: str):
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#0b0c0c")
    label = format_html(
        '<svg role="img" aria-label="{}" ', "QR code to scan with your app"
    )
    # segno's own markup, from our own address: no user input reaches it.
    return mark_safe(svg.replace("<svg ", label, 1))  # noqa: S308


@signed_in
@require_http_methods(["GET", "POST"])
def your_account(request):
    """When this session started, and signing out everywhere else."""
    if request.method == "POST":
        services.sign_out_other_sessions(user=request.user)
        request.session[session_limits.EPOCH] = request.user.session_epoch
        messages.success(request, "You are signed out everywhere else.")
        return redirect("accounts:your_account")
    signed_in_at = request.session.get(session_limits.SIGNED_IN_AT)
    hours = settings.SESSION_ABSOLUTE_HOURS
    context = {"signed_in_at": signed_in_at, "absolute_hours": hours}
    return render(request, "accounts/your_account.html", context)


CHANGED_AND_SIGNED_OUT = (
    "Your password has been changed. You have been signed out everywhere else."
)


@signed_in
@require_http_methods(["GET", "POST"])
def change_password(request):
    """Give the current password again, then a new one; this session carries on
    and every other one ends."""
    form = ChangePasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.change_password(
            user=request.user, password=form.cleaned_data["new_password"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, CHANGED_AND_SIGNED_OUT)
        return redirect("accounts:your_account")
    return render(request, "accounts/change_password.html", {"form": form})


@signed_in
@require_POST
def stay_signed_in(request):
    """The timeout warning's "stay signed in": a full idle timeout again."""
    session_limits.renew(request)
    return HttpResponse(status=204)


@signed_in
@require_POST
def sign_out(request):
    services.record_sign_out(user=request.user)
    logout(request)
    return redirect("accounts:signed_out")


@public
@require_http_methods(["GET"])
def signed_out(request):
    return render(request, "accounts/signed_out.html")


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"
