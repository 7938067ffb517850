"""The only write path for the family's own view: giving, pausing and giving
back an adult's access; sign-in links, the date-of-birth check and family
sessions; the family's suggestions for its story and the lead's decision.

Every write is audited in its transaction. What an adult does is audited with
the adult as the actor (`audit.FamilyMember`), so it appears in the staff
"who has opened this record" like anyone else's.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from onestory.core import audit, ratelimit
from onestory.core.audit import FamilyMember
from onestory.core.models import AuditAction, AuditOutcome
from onestory.core.refusals import Refusal
from onestory.families import services as family_services
from onestory.families.models import PersonRole
from onestory.families.services import StoryConflict, edit_story
from onestory.measures import services as measures_services
from onestory.notify.domain import NotAllowed, channel_and_address
from onestory.notify.models import Message
from onestory.notify.services import queue_message
from onestory.parents import domain, queries
from onestory.parents.models import (
    FamilyAccess,
    FamilySession,
    SignInLink,
    StorySuggestion,
    SuggestionStatus,
)
from onestory.support import plans

# Giving and pausing access ------------------------------------------------------


class NotAParent(Refusal):
    message = "Only a parent or carer can be given the family's own view"


class AlreadyInvited(Refusal):
    message = "They already have the family's own view"


class DateOfBirthNeeded(Refusal):
    message = (
        "Record their date of birth first: it is what they are asked when they sign in"
    )


class NotAnAddress(Refusal):
    field = "address"
    message = "Enter an email address, or a UK mobile number like 07700 900 982"


class NotAgreed(Refusal):
    field = "family_agreed"
    message = "Ask the family first: they must agree before anyone is given access"


@transaction.atomic
def invite(
    *, person, address: str, family_agreed: bool, sign_in_url: str, by
) -> FamilyAccess:
    """Give one adult access to their family's own view, by their own email
    address or mobile number, and tell them where to sign in."""
    if person.role != PersonRole.PARENT_CARER:
        raise NotAParent
    if person.date_of_birth is None:
        raise DateOfBirthNeeded
    if not family_agreed:
        raise NotAgreed
    try:
        channel, to = channel_and_address(address)
    except NotAllowed as refused:
        raise NotAnAddress from refused
    if FamilyAccess.objects.filter(person=person).exists():
        raise AlreadyInvited
    family = person.family
    access = FamilyAccess.objects.create(
        person=person,
        family=family,
        local_authority_id=family.local_authority_id,
        channel=channel,
        address=to,
        address_key=domain.address_key(channel, to),
        invited_by=by,
    )
    audit.record(
        action=AuditAction.INVITE_TO_FAMILY_VIEW,
        by=by,
        family=family,
        person=person,
        obj=access,
        detail={"channel": channel},
    )
    queue_message(
        kind="family_view_invitation",
        reference=f"family-view-invitation:{access.pk}",
        personalisation={
            "link": sign_in_url,
            "area": family.local_authority.name_for_families,
            "practitioner": by.full_name,
        },
        by=by,
        family=family,
        person=person,
        **_recipient(channel, to),
    )
    return access


class ReasonNeeded(Refusal):
    field = "reason"
    message = "Say why their access is paused: the team will see it, they will not"


class AlreadyPaused(Refusal):
    message = "Their access is already paused"


@transaction.atomic
def pause(*, access: FamilyAccess, reason: str, by) -> FamilyAccess:
    """Pause an adult's access at once: their sessions end and their unused
    links stop working. They are told only that access is paused."""
    if not reason.strip():
        raise ReasonNeeded
    now = timezone.now()
    if not FamilyAccess.objects.filter(pk=access.pk, paused_at=None).update(
        paused_at=now, paused_by=by, pause_reason=reason.strip()
    ):
        raise AlreadyPaused
    FamilySession.objects.filter(access=access, ended_at=None).update(ended_at=now)
    SignInLink.objects.filter(access=access, used_at=None).update(used_at=now)
    audit.record(
        action=AuditAction.PAUSE_FAMILY_VIEW,
        by=by,
        family=access.family_id,
        person=access.person_id,
        obj=access,
        changed_fields=["paused_at", "pause_reason"],
    )
    access.refresh_from_db()
    return access


class NotPaused(Refusal):
    message = "Their access is not paused"


@transaction.atomic
def resume(*, access: FamilyAccess, by) -> FamilyAccess:
    if not FamilyAccess.objects.filter(pk=access.pk, paused_at__isnull=False).update(
        paused_at=None, paused_by=None, pause_reason=""
    ):
        raise NotPaused
    audit.record(
        action=AuditAction.RESUME_FAMILY_VIEW,
        by=by,
        family=access.family_id,
        person=access.person_id,
        obj=access,
        changed_fields=["paused_at", "pause_reason"],
    )
    access.refresh_from_db()
    return access


# Signing in -----------------------------------------------------------------------


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
            **_recipient(access.channel, access.address),
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


# The family's suggestions for its story -------------------------------------------


class SuggestionNeeded(Refusal):
    field = "text"
    message = "Write what you would like to add or correct"


@transaction.atomic
def suggest_story_change(*, access: FamilyAccess, kind: str, text: str):
    if not text.strip():
        raise SuggestionNeeded
    # The same words posted twice in a moment (a double tap, a resend) are one
    # suggestion.
    again = StorySuggestion.objects.filter(
        suggested_by_id=access.person_id,
        kind=kind,
        text=text.strip(),
        suggested_at__gte=timezone.now() - timedelta(minutes=10),
    ).first()
    if again is not None:
        return again
    suggestion = StorySuggestion.objects.create(
        family_id=access.family_id,
        local_authority_id=access.local_authority_id,
        suggested_by_id=access.person_id,
        kind=kind,
        text=text.strip(),
    )
    audit.record(
        action=AuditAction.SUGGEST_STORY_CHANGE,
        by=FamilyMember(access.person_id),
        family=access.family_id,
        person=access.person_id,
        obj=suggestion,
        changed_fields=["text"],
    )
    return suggestion


class NotTheLead(Refusal):
    message = (
        "Only the family's lead practitioner can decide on a suggestion for their story"
    )


class AlreadyDecided(Refusal):
    message = "This suggestion has been decided already"


class StoryChangedMeanwhile(Refusal):
    message = (
        "The story was changed while you were deciding. Look at it again, then decide"
    )


def decide_suggestion(*, suggestion: StorySuggestion, accept: bool, by):
    """The lead accepts a suggestion (it joins the story as the parent wrote
    it, saying who wrote it and when) or will talk it through with them."""
    with transaction.atomic():
        suggestion = (
            StorySuggestion.objects.select_for_update()
            .select_related("family", "suggested_by")
            .get(pk=suggestion.pk)
        )
        if suggestion.status != SuggestionStatus.WAITING:
            raise AlreadyDecided
        if queries.lead_now(suggestion.family) != by:
            raise NotTheLead
        if accept:
            suggestion.story_version = _add_to_story(suggestion, by)
            suggestion.status = SuggestionStatus.ACCEPTED
        else:
            suggestion.status = SuggestionStatus.TALK_THROUGH
        suggestion.decided_at = timezone.now()
        suggestion.decided_by = by
        suggestion.save(
            update_fields=["status", "decided_at", "decided_by", "story_version"]
        )
        audit.record(
            action=AuditAction.DECIDE_STORY_SUGGESTION,
            by=by,
            family=suggestion.family_id,
            person=suggestion.suggested_by_id,
            obj=suggestion,
            changed_fields=["status"],
            detail={"status": suggestion.status},
        )
    return suggestion


def _add_to_story(suggestion, by):
    family = suggestion.family
    latest = family.story_versions.order_by("-number").first()
    provenance = (
        f"{suggestion.get_kind_display()}, written by "
        f"{suggestion.suggested_by.full_name} on "
        f"{timezone.localtime(suggestion.suggested_at):%-d %B %Y}:"
    )
    words = f"{provenance}\n{suggestion.text}"
    text = f"{latest.text}\n\n{words}" if latest else words
    try:
        return edit_story(
            family=family, text=text, based_on=latest.number if latest else 0, by=by
        )
    except StoryConflict:
        raise StoryChangedMeanwhile from None


# The family's plan --------------------------------------------------------------------


class NotTheFamilysAction(Refusal):
    message = (
        "This action is for your practitioner or your team to mark done, not the family"
    )


def mark_action_done(*, access: FamilyAccess, row, note: str):
    """Mark one of the family's own actions done, with the adult's note
    (support.plans.mark_done_by_family writes it, audited with the adult)."""
    if not row.familys:
        raise NotTheFamilysAction
    return plans.mark_done_by_family(
        action=row.action, person=access.person, note=note.strip()
    )


# Who can see the record ---------------------------------------------------------------


def withdraw_consent(*, access: FamilyAccess, consent, note: str):
    """An adult withdraws one of the family's consents: the same service as
    staff use, so it takes effect the same way, at once; audited with them."""
    return family_services.withdraw_consent(
        consent=consent, note=note.strip(), by=FamilyMember(access.person_id)
    )


# Questionnaires to do ----------------------------------------------------------------


def complete_questionnaire(*, access: FamilyAccess, to_do, answers: dict):
    """An adult fills in one of their questionnaires to do, here, without a
    separate link (measures scores it and marks the review point done)."""
    return measures_services.complete_review_point_online(
        point=to_do.point, answers=answers, by=FamilyMember(access.person_id)
    )


# Reminders ------------------------------------------------------------------------


def send_review_reminders(*, today, link: str) -> int:
    """Remind each adult of the questionnaires due soon that they can fill in
    in the family's own view (`queries.reminders_due`), by the way they were
    given access: only that one is due and by when, never which questionnaire.
    Once per review point and adult, however often it runs; returns how many
    reminders were queued by this run."""
    queued = 0
    for access, point in queries.reminders_due(today):
        reference = f"review-reminder:{point.pk}:{access.pk}"
        if Message.objects.filter(reference=reference).exists():
            continue  # reminded already
        with transaction.atomic():
            queue_message(
                kind="review_reminder",
                reference=reference,
                personalisation={
                    "link": link,
                    "due_by": f"{point.due_on:%-d %B %Y}",
                    "area": access.family.local_authority.name_for_families,
                },
                by=None,
                family=access.family_id,
                person=access.person_id,
                **_recipient(access.channel, access.address),
            )
        queued += 1
    return queued


def _recipient(channel: str, to: str) -> dict:
    return {"to_email": to} if channel == "email" else {"to_phone": to}
