"""Signing in to the family's own view: sign-in links, the date-of-birth
check, family sessions, signing out, and the audit of each page an adult reads
(with the adult as the actor, `audit.FamilyMember`)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from onestory.core import audit, ratelimit
from onestory.core.audit import FamilyMember
from onestory.core.models import AuditAction, AuditOutcome
from onestory.core.refusals import Refusal
from onestory.notify.domain import NotAllowed, channel_and_address, recipient
from onestory.notify.services import queue_message
from onestory.parents import domain, queries
from onestory.parents.models import FamilyAccess, FamilySession, SignInLink
from onestory.parents.services.access import NotAnAddress


def ask_for_sign_in_links(*, address: str, link_base: str) -> int:
    """The sign-in page: a link to everyone given the family's own view with
    this email address or mobile number (`ask_for_sign_in_link`); how many
    were sent, which the page does not say."""
    try:
        channel, to = channel_and_address(address)
    except NotAllowed as refused:
        raise NotAnAddress from refused
    sent = 0
    for pk, area in queries.accesses_with_address(channel, to):
        access = queries.access_in_area(pk, area)
        sent += ask_for_sign_in_link(access=access, link_base=link_base)
    return sent


def ask_for_sign_in_link(*, access: FamilyAccess, link_base: str) -> bool:
    """Send the adult a sign-in link by the way they were given access, unless
    they have asked for `domain.LINKS_PER_ADULT` in the last 15 minutes.
    Returns whether one was sent; the page says the same either way, so that
    it tells no one whether an address is known. A paused adult gets a link
    too: what it leads to, after their date of birth, says access is paused."""
    window = int(domain.LINKS_WINDOW.total_seconds())
    if not ratelimit.allow(
        f"family-link:{access.pk}", limit=domain.LINKS_PER_ADULT, window_seconds=window
    ):
        return False
    token = domain.new_token()
    with transaction.atomic():
        link = SignInLink.objects.create(
            access=access,
            local_authority_id=access.local_authority_id,
            token_hash=domain.hash_secret(token),
            channel=access.channel,
            address_key=access.address_key,
            expires_at=timezone.now() + domain.LINK_LIFETIME,
        )
        audit.record(
            action=AuditAction.SEND_FAMILY_SIGN_IN_LINK,
            by=None,
            family=access.family_id,
            person=access.person_id,
            obj=link,
            detail={"channel": access.channel},
        )
        queue_message(
            kind="sign_in_link",
            reference=f"family-sign-in:{link.pk}",
            personalisation={
                "link": f"{link_base}{token}/",
                "minutes": str(int(domain.LINK_LIFETIME.total_seconds() // 60)),
                "area": access.family.local_authority.name_for_families,
            },
            by=None,
            family=access.family_id,
            person=access.person_id,
            **recipient(access.channel, access.address),
        )
    return True


class LinkNotUsable(Exception):
    """The link is unknown, used, expired, or for an address since changed."""


class WrongDateOfBirth(Refusal):
    field = "date_of_birth"

    def __init__(self, tries_left: int):
        tries = "1 more try" if tries_left == 1 else f"{tries_left} more tries"
        super().__init__(
            f"That is not the date of birth we have for you. You have {tries}"
        )


class AccessPaused(Exception):
    """The adult's access is paused: they are told so, and nothing else."""


def check_date_of_birth(*, link: SignInLink, date_of_birth: date) -> str:
    """The second step of signing in. The right date of birth spends the link
    and starts a family session, whose key (for the cookie) is returned; a
    wrong one counts, and the third spends the link. Raises LinkNotUsable,
    WrongDateOfBirth (tries left) or AccessPaused. The count and the audit
    event are kept even when the answer is a refusal."""
    with transaction.atomic():
        outcome = _check(link, date_of_birth, timezone.now())
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _check(link, date_of_birth, now):
    link = (
        SignInLink.objects.select_for_update()
        .select_related("access__person")
        .filter(pk=link.pk)
        .first()
    )
    if link is None or not usable(link, now):
        return LinkNotUsable()
    access = link.access
    if date_of_birth != access.person.date_of_birth:
        link.wrong_dates += 1
        spent = link.wrong_dates >= domain.DATE_OF_BIRTH_TRIES
        link.used_at = now if spent else None
        link.save(update_fields=["wrong_dates", "used_at"])
        _refused(link, "wrong date of birth")
        if spent:
            return LinkNotUsable()
        return WrongDateOfBirth(domain.DATE_OF_BIRTH_TRIES - link.wrong_dates)
    link.used_at = now
    link.save(update_fields=["used_at"])
    if access.paused:
        _refused(link, "paused")
        return AccessPaused()
    key = domain.new_token()
    session = FamilySession.objects.create(
        access=access,
        local_authority_id=access.local_authority_id,
        key_hash=domain.hash_secret(key),
        started_at=now,
        last_seen_at=now,
    )
    audit.record(
        action=AuditAction.FAMILY_SIGN_IN,
        by=FamilyMember(access.person_id),
        family=access.family_id,
        person=access.person_id,
        obj=session,
        detail={"channel": link.channel},
    )
    return key


def usable(link: SignInLink, now) -> bool:
    """Unused, unexpired, and for the address the adult has now."""
    return (
        link.used_at is None
        and link.expires_at > now
        and link.channel == link.access.channel
        and link.address_key == link.access.address_key
    )


def _refused(link, reason: str) -> None:
    audit.record(
        action=AuditAction.FAMILY_SIGN_IN_REFUSED,
        by=None,
        family=link.access.family_id,
        person=link.access.person_id,
        obj=link,
        outcome=AuditOutcome.REFUSED,
        detail={"reason": reason},
    )


@transaction.atomic
def record_link_refusal(*, link: SignInLink | None, reason: str) -> None:
    """An unknown, used or expired link was opened."""
    audit.record(
        action=AuditAction.FAMILY_SIGN_IN_REFUSED,
        by=None,
        family=link.access.family_id if link else None,
        obj=link,
        outcome=AuditOutcome.REFUSED,
        detail={"reason": reason},
    )


def touch(session: FamilySession, now) -> None:
    """Keep the session alive, writing its last use at most once a minute."""
    if now - session.last_seen_at >= domain.SESSION_TOUCH:
        with transaction.atomic():
            FamilySession.objects.filter(pk=session.pk, ended_at=None).update(
                last_seen_at=now
            )


@transaction.atomic
def sign_out(*, session: FamilySession) -> None:
    FamilySession.objects.filter(pk=session.pk, ended_at=None).update(
        ended_at=timezone.now()
    )
    audit.record(
        action=AuditAction.FAMILY_SIGN_OUT,
        by=FamilyMember(session.access.person_id),
        family=session.access.family_id,
        person=session.access.person_id,
        obj=session,
    )


def record_page(*, access: FamilyAccess, page: str) -> None:
    """A page of the family's own view was read: audited with the adult as
    the actor, in a short transaction of its own."""
    with transaction.atomic():
        audit.record(
            action=AuditAction.FAMILY_VIEW_PAGE,
            by=FamilyMember(access.person_id),
            family=access.family_id,
            person=access.person_id,
            detail={"page": page},
        )
