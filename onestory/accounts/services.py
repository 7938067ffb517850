"""Signing in: password, then a code from the authenticator app; and enrolment."""

import hmac
import secrets
import time
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from onestory.accounts import totp, vault
from onestory.accounts.models import Authenticator, RecoveryCode, Role, User
from onestory.core import audit, logs
from onestory.core.models import AuditAction, AuditOutcome

RECOVERY_CODES = 10
# Wrong codes in a row (whatever the windows between them) before the account is
# locked until an administrator unlocks it (docs/security.md R11).
LOCK_AFTER_WRONG_CODES = 20
ISSUER = "onestory"


@transaction.atomic
def record_sign_in(*, user: User) -> None:
    audit.record(action=AuditAction.SIGN_IN, by=user)


@transaction.atomic
def record_sign_out(*, user: User) -> None:
    audit.record(action=AuditAction.SIGN_OUT, by=user)


@transaction.atomic
def record_failed_sign_in(*, email: str, step: str = "password") -> None:
    # The typed address is not stored: it may be a mistyped password.
    user = User.objects.filter(email=email.strip().lower()).first()
    logs.security_event(
        "sign_in_failed", step=step, user_id=str(user.pk) if user else None
    )
    audit.record(
        action=AuditAction.SIGN_IN_FAILED,
        by=user,
        outcome=AuditOutcome.REFUSED,
        detail={"step": step},
    )


def _hash(code: str, key: bytes | None = None) -> str:
    """Keyed with ONESTORY_RECOVERY_CODE_KEY, not the secret key: rotating
    that invalidates no one's codes."""
    key = settings.RECOVERY_CODE_KEY if key is None else key
    return hmac.new(key, totp.normalise(code).lower().encode(), "sha256").hexdigest()


def _hashes(code: str) -> list[str]:
    # Codes issued before their own key existed were keyed with the secret key;
    # they keep working, once each, until the user sets up new ones.
    return [_hash(code), _hash(code, settings.SECRET_KEY.encode())]


def _new_recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
    letters = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def enrolment_uri(user: User, secret: str) -> str:
    return totp.provisioning_uri(secret, user.email, ISSUER)


@transaction.atomic
def enrol(*, user: User, secret: str, code: str, now: float | None = None):
    """Confirm the app with a code from it. Returns the recovery codes (shown
    once), or None if the code is wrong."""
    step = totp.matching_step(secret, code, now or time.time(), None)
    if step is None:
        return None
    Authenticator.objects.update_or_create(
        user=user,
        defaults={
            "encrypted_secret": vault.encrypt(secret, user_id=user.pk),
            "last_used_step": step,
            "confirmed_at": timezone.now(),
        },
    )
    User.objects.filter(pk=user.pk).update(enrol_by_link=False)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    user.recovery_codes.all().delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash(code)) for code in codes
    )
    audit.record(
        action=AuditAction.ENROL_SECOND_FACTOR,
        by=user,
        obj=user,
        changed_fields=["authenticator", "recovery_codes"],
    )
    return codes


@transaction.atomic
def check_second_factor(*, user: User, code: str, now: float | None = None) -> bool:
    """A code from the app (each accepted once) or an unused recovery code."""
    authenticator = Authenticator.objects.filter(user=user).first()
    if authenticator is None or is_locked(user):
        return False
    if _code_matches(user, authenticator, code, now):
        User.objects.filter(pk=user.pk).update(wrong_codes=0)
        return True
    _count_wrong_code(user)
    return False


def is_locked(user: User) -> bool:
    return User.objects.filter(pk=user.pk, locked_at__isnull=False).exists()


def _count_wrong_code(user: User) -> None:
    User.objects.filter(pk=user.pk).update(wrong_codes=F("wrong_codes") + 1)
    locked = User.objects.filter(
        pk=user.pk, locked_at=None, wrong_codes__gte=LOCK_AFTER_WRONG_CODES
    ).update(locked_at=timezone.now())
    if locked:
        audit.record(
            action=AuditAction.LOCK_ACCOUNT,
            by=None,
            obj=user,
            changed_fields=["locked_at"],
            detail={"wrong_codes": LOCK_AFTER_WRONG_CODES},
        )
        logs.security_event("account_locked", user_id=str(user.pk))
        transaction.on_commit(lambda: _tell_of_lock(user))


def _tell_of_lock(user: User) -> None:
    send_mail(
        subject="Your onestory account is locked",
        message=(
            f"Hello {user.full_name},\n\nSomeone entered {LOCK_AFTER_WRONG_CODES} "
            "wrong two-factor codes in a row for your onestory account, so it is "
            "locked. Ask your organisation's onestory administrator to unlock it.\n\n"
            "If it was not you, tell them now: someone may know your password.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def _code_matches(user, authenticator, code: str, now: float | None) -> bool:
    step = totp.matching_step(
        authenticator.secret, code, now or time.time(), authenticator.last_used_step
    )
    if step is not None:
        # Conditional: of two requests racing with the same code, one wins.
        return bool(
            Authenticator.objects.filter(pk=authenticator.pk)
            .filter(Q(last_used_step__lt=step) | Q(last_used_step=None))
            .update(last_used_step=step)
        )
    used = RecoveryCode.objects.filter(
        user=user, code_hash__in=_hashes(code), used_at=None
    ).update(used_at=timezone.now())
    if used:
        audit.record(
            action=AuditAction.USE_RECOVERY_CODE,
            by=user,
            obj=user,
            changed_fields=["recovery_codes"],
            detail={"left": user.recovery_codes.filter(used_at=None).count()},
        )
    return bool(used)


@transaction.atomic
def sign_out_other_sessions(*, user: User) -> None:
    """Every other session of this user ends on its next request."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    audit.record(
        action=AuditAction.SIGN_OUT_OTHER_SESSIONS,
        by=user,
        obj=user,
        changed_fields=["session_epoch"],
    )


@transaction.atomic
def change_password(*, user: User, password: str) -> None:
    """A new password, chosen by the user after giving their current one. Their
    other sessions end (their session hash no longer matches); they are told by
    email, in case it was not them."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        action=AuditAction.CHANGE_PASSWORD,
        by=user,
        obj=user,
        changed_fields=["password"],
    )
    transaction.on_commit(lambda: _tell_of_password_change(user))


def _tell_of_password_change(user) -> None:
    send_mail(
        subject="Your onestory password was changed",
        message=(
            f"Hello {user.full_name},\n\nThe password for your onestory account was "
            "changed. Other devices you were signed in on have been signed out.\n\n"
            "If you did not change it, tell your organisation's onestory "
            "administrator now.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def unlock_sign_in(*, user: User, by) -> None:
    """An administrator lets someone who was locked out by failed passwords or
    codes sign in again now, instead of at the end of the window."""
    from onestory.core import ratelimit

    ratelimit.clear(f"sign-in:account:{user.email}")
    ratelimit.clear(f"sign-in:code:{user.pk}")
    User.objects.filter(pk=user.pk).update(wrong_codes=0, locked_at=None)
    audit.record(
        action=AuditAction.UNLOCK_SIGN_IN,
        by=by,
        obj=user,
        changed_fields=["locked_at", "wrong_codes"],
    )
    logs.security_event("sign_in_unlocked", user_id=str(user.pk), by=str(by.pk))


def email_information_governance(*, local_authority_id, subject, message) -> None:
    """Tell the local authority's information governance leads (never with a
    family's details: email may be read by others)."""
    leads = list(
        User.objects.filter(
            is_active=True,
            role_grants__role=Role.INFORMATION_GOVERNANCE,
            organisation__local_authority_id=local_authority_id,
        ).values_list("email", flat=True)
    )
    if not leads:
        return
    try:
        send_mail(
            subject=subject, message=message, from_email=None, recipient_list=leads
        )
    except (SMTPException, OSError) as error:
        # What they would have been told is in the audit trail already; a mail
        # server that is down must not fail what was done (declaring an
        # incident, emergency access) after it committed. Logged for the
        # operators' alerts (docs/operations.md, "Logs and alerts").
        logs.security_event(
            "information_governance_email_failed",
            local_authority_id=str(local_authority_id),
            subject=subject,
            error=type(error).__name__,
        )
