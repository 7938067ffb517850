"""What administrators do in the administration pages, each write in one
transaction with its event in the audit chain (docs/access.md, "Administration").

An administrator never sets a password and never grants a role to their own
account. A new account, a forgotten password and a reset of two-factor sign-in
are all answered by a one-time link emailed to the member of staff.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import (
    FAMILY_ROLES,
    Authenticator,
    LocalAuthority,
    RecoveryCode,
    Role,
    RoleGrant,
    SetUpLink,
    SetUpLinkKind,
    User,
)
from onestory.core import audit, changes, logs
from onestory.core.models import AuditAction, AuditOutcome
from onestory.core.refusals import Refusal

# What the report's workforce figures read of a member of staff, as it is now
# (insights/queries/people.py): a change to one moves every stored period's
# figures of the area (docs/insights.md, "What moves the report version").
STAFF_FIELDS_REPORTED = frozenset({"is_active", "organisation", "teams"})
# How long a set-up link works (docs/access.md).
SET_UP_LINK_HOURS = 24
# Granting one of these opens family data, or the audit trail and subject access:
# the local authority's information governance leads are told at once.
ALERTED_ROLES = FAMILY_ROLES | {Role.INFORMATION_GOVERNANCE}
# What a council's administrator grants. The service administrator is granted
# only outside the administration pages (docs/operations.md).
GRANTABLE_ROLES = frozenset(Role) - {Role.SERVICE_ADMINISTRATOR}
OWN_ROLES_REFUSED = (
    "You cannot grant roles to your own account. Ask another administrator"
)


class OwnRolesRefused(Refusal):
    """An administrator tried to grant a role to their own account."""

    field = "roles"
    message = OWN_ROLES_REFUSED


class RoleNotGrantable(Refusal):
    """The role is not granted in the administration pages."""

    field = "roles"

    def __init__(self, role: str):
        super().__init__(f"{role} is not granted in the administration pages")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def add_staff(*, by: User, user: User, teams, roles) -> User:
    """A new account, with no password: the person chooses one through the link
    sent to them, then sets up their authenticator app."""
    user.email = user.email.strip().lower()
    user.set_unusable_password()
    user.enrol_by_link = True
    user.save(force_insert=True)
    user.teams.set(teams)
    changes.data_changed(local_authority=user.organisation.local_authority_id)
    audit.record(
        action=AuditAction.ADD_STAFF,
        by=by,
        obj=user,
        changed_fields=["email", "full_name", "organisation", "teams"],
    )
    set_roles(by=by, user=user, roles=roles)
    send_set_up_link(by=by, user=user, kind=SetUpLinkKind.PASSWORD)
    return user


@transaction.atomic
def change_staff(*, by: User, user: User, changed_fields, teams, roles) -> None:
    """Save what the form changed (the user object carries it) and the roles.
    A changed email address is told to the old one: a link sent to the new one
    would otherwise hand the account to whoever holds it, unseen."""
    fields = [f for f in changed_fields if f not in {"roles", "teams"}]
    if "email" in fields:
        old = User.objects.filter(pk=user.pk).values_list("email", flat=True).get()
        transaction.on_commit(lambda: _tell_of_email_change(user, old, by))
    if fields:
        user.save(update_fields=fields)
    if "teams" in changed_fields:
        user.teams.set(teams)
    if STAFF_FIELDS_REPORTED & set(changed_fields):
        changes.data_changed(local_authority=user.organisation.local_authority_id)
    details = sorted(set(changed_fields) - {"roles"})
    if details:
        deactivated = "is_active" in fields and not user.is_active
        audit.record(
            action=AuditAction.DEACTIVATE_STAFF
            if deactivated
            else AuditAction.CHANGE_STAFF,
            by=by,
            obj=user,
            changed_fields=details,
        )
    set_roles(by=by, user=user, roles=roles)


def set_roles(*, by: User, user: User, roles) -> None:
    """Grant and revoke so that `user` holds exactly `roles` of those an
    administrator grants (a service administrator's role is left alone)."""
    held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    held &= GRANTABLE_ROLES
    wanted = set(roles)
    if wanted - held and user.pk == by.pk:
        raise OwnRolesRefused
    for role in sorted(wanted - held):
        grant_role(by=by, user=user, role=role)
    for role in sorted(held - wanted):
        revoke_role(by=by, user=user, role=role)


@transaction.atomic
def grant_role(*, by: User, user: User, role: str) -> None:
    if user.pk == by.pk:
        raise OwnRolesRefused
    if role not in GRANTABLE_ROLES:
        raise RoleNotGrantable(role)
    RoleGrant.objects.create(user=user, role=role)
    changes.data_changed(local_authority=user.organisation.local_authority_id)
    audit.record(
        action=AuditAction.GRANT_ROLE,
        by=by,
        obj=user,
        changed_fields=["roles"],
        detail={"role": role},
    )
    if role in ALERTED_ROLES:
        transaction.on_commit(lambda: _alert_of_grant(user, role, by))


@transaction.atomic
def revoke_role(*, by: User, user: User, role: str) -> None:
    RoleGrant.objects.filter(user=user, role=role).delete()
    changes.data_changed(local_authority=user.organisation.local_authority_id)
    audit.record(
        action=AuditAction.REVOKE_ROLE,
        by=by,
        obj=user,
        changed_fields=["roles"],
        detail={"role": role},
    )


@transaction.atomic
def record_refused_grant(*, by: User, user: User, roles) -> None:
    """An administrator's attempt to grant roles to their own account."""
    audit.record(
        action=AuditAction.GRANT_ROLE,
        by=by,
        obj=user,
        outcome=AuditOutcome.REFUSED,
        detail={"roles": sorted(roles), "reason": "own account"},
    )
    logs.security_event("own_role_grant_refused", user_id=str(by.pk))


def _tell_of_email_change(user: User, old: str, by: User) -> None:
    send_mail(
        subject="Your onestory sign-in email address was changed",
        message=(
            f"Hello {user.full_name},\n\n{by.full_name} ({by.organisation}) changed "
            f"the email address you sign in to onestory with to {user.email}.\n\n"
            "If you did not ask for this, tell your organisation's onestory "
            "administrator or information governance lead now.\n"
        ),
        from_email=None,
        recipient_list=[old],
    )


def _alert_of_grant(user: User, role: str, by: User) -> None:
    from onestory.accounts.services import email_information_governance

    email_information_governance(
        local_authority_id=user.organisation.local_authority_id,
        subject="onestory: a role that opens family data was granted",
        message=(
            f"{by.full_name} ({by.organisation}) granted the role "
            f"'{Role(role).label}' to {user.full_name} ({user.organisation}) at "
            f"{timezone.localtime():%-d %B %Y %H:%M}.\n\n"
            "If you did not expect this, check it with them now. Every grant is "
            "in the audit trail.\n"
        ),
    )


@transaction.atomic
def send_set_up_link(*, by: User, user: User, kind: str) -> None:
    """Email a one-time link; any earlier unused link for the account stops
    working. For a password link the current password stops working too."""
    now = timezone.now()
    user.set_up_links.filter(used_at=None).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    SetUpLink.objects.create(
        user=user,
        kind=kind,
        token_hash=hash_token(token),
        expires_at=now + timedelta(hours=SET_UP_LINK_HOURS),
        created_by=by,
    )
    changed = ["set_up_link"]
    if kind == SetUpLinkKind.PASSWORD and user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
        _end_sessions(user)
        changed += ["password", "session_epoch"]
    audit.record(
        action=AuditAction.SEND_SET_UP_LINK,
        by=by,
        obj=user,
        changed_fields=changed,
        detail={"kind": kind},
    )
    transaction.on_commit(lambda: _email_link(user, kind, token))


@transaction.atomic
def reset_second_factor(*, by: User, user: User) -> None:
    """The app and recovery codes are removed; the user sets up the app again
    only through the link sent to them (and their password)."""
    Authenticator.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(enrol_by_link=True)
    _end_sessions(user)
    audit.record(
        action=AuditAction.RESET_SECOND_FACTOR,
        by=by,
        obj=user,
        changed_fields=["authenticator", "recovery_codes", "session_epoch"],
    )
    send_set_up_link(by=by, user=user, kind=SetUpLinkKind.SECOND_FACTOR)


def _end_sessions(user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)


def _email_link(user: User, kind: str, token: str) -> None:
    base = settings.PUBLIC_URL or "http://localhost:8000"
    url = base + reverse("accounts:set_up_link", args=[token])
    what = (
        "choose your password and set up two-factor sign-in"
        if kind == SetUpLinkKind.PASSWORD
        else "set up two-factor sign-in again, with your password"
    )
    send_mail(
        subject="Set up your onestory sign-in",
        message=(
            f"Hello {user.full_name},\n\nYour onestory administrator has sent you "
            f"this link to {what}:\n\n{url}\n\nIt works once, for "
            f"{SET_UP_LINK_HOURS} hours. If you did not expect it, tell your "
            "organisation's onestory administrator.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def find_link(token: str) -> SetUpLink | None:
    """The unused, unexpired link this token names, if any."""
    return (
        SetUpLink.objects.select_related("user")
        .filter(
            token_hash=hash_token(token),
            used_at=None,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


@transaction.atomic
def use_link(*, link: SetUpLink, password: str | None) -> bool:
    """Spend the link (once, even if two requests race) and, for a password
    link, set the password the user chose. Returns False if already spent."""
    spent = SetUpLink.objects.filter(pk=link.pk, used_at=None).update(
        used_at=timezone.now()
    )
    if not spent:
        return False
    user = link.user
    changed = ["set_up_link"]
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
        changed.append("password")
    audit.record(
        action=AuditAction.USE_SET_UP_LINK,
        by=user,
        obj=user,
        changed_fields=changed,
        detail={"kind": link.kind},
    )
    return True


# What families see of their area (the administration page
# accounts:change_what_families_see): none of it is in the report.
WHAT_FAMILIES_SEE = (
    "families_name",
    "council_name",
    "contact_phone",
    "contact_email",
    "sender_name",
    "sender_email",
)


@transaction.atomic
def change_what_families_see(
    *, by: User, local_authority: LocalAuthority, changed_fields
) -> None:
    """Save the names, contact and email sender families see (the object
    carries them), in the administrator's own area only."""
    own_area = local_authority.pk == by.organisation.local_authority_id
    if not (by.is_administrator and own_area):
        raise PermissionDenied("A council's administrator changes their own area's")
    fields = [f for f in changed_fields if f in WHAT_FAMILIES_SEE]
    if not fields:
        return
    local_authority.save(update_fields=fields)
    audit.record(
        action=AuditAction.CHANGE_REFERENCE,
        by=by,
        obj=local_authority,
        changed_fields=fields,
    )


# Reference data: organisations, hubs, teams, programmes, courses, themes,
# licensed text. The administration pages save and delete it only through these.


@transaction.atomic
def save_reference(*, by: User, obj, changed_fields, adding: bool) -> None:
    obj.save(force_insert=adding)
    _reference_changed(by)
    audit.record(
        action=AuditAction.ADD_REFERENCE if adding else AuditAction.CHANGE_REFERENCE,
        by=by,
        obj=obj,
        changed_fields=changed_fields,
    )


@transaction.atomic
def delete_reference(*, by: User, obj) -> None:
    audit.record(action=AuditAction.DELETE_REFERENCE, by=by, obj=obj)
    obj.delete()
    _reference_changed(by)


def _reference_changed(by: User) -> None:
    """The report reads reference data as it is now (an area's eligible
    families, a team's hub and organisation, a programme's delivery): any save
    moves the administrator's own area's stored figures on. A programme or
    theme is every area's, but row-level security lets an administrator move
    only their own area's version (docs/insights.md)."""
    changes.data_changed(local_authority=by.organisation.local_authority_id)
