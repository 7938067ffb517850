from django.db import transaction

from onestory.accounts.models import User
from onestory.core import audit
from onestory.core.models import AuditAction, AuditOutcome


@transaction.atomic
def record_sign_in(*, user: User) -> None:
    audit.record(action=AuditAction.SIGN_IN, by=user)


@transaction.atomic
def record_sign_out(*, user: User) -> None:
    audit.record(action=AuditAction.SIGN_OUT, by=user)


@transaction.atomic
def record_failed_sign_in(*, email: str) -> None:
    # The typed address is not stored: it may be a mistyped password.
    user = User.objects.filter(email=email.strip().lower()).first()
    audit.record(
        action=AuditAction.SIGN_IN_FAILED,
        by=user,
        outcome=AuditOutcome.REFUSED,
    )
