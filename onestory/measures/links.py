"""The only write path for the links a parent fills a questionnaire in by:
sent by email or text message (through the outbox, onestory.notify), found by
token, used once; each audited."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onestory.core import audit, ratelimit, tenancy
from onestory.core.models import AuditAction, AuditOutcome
from onestory.core.refusals import Refusal
from onestory.measures import instruments, queries
from onestory.measures.models import (
    Mode,
    QuestionnaireResponse,
    ReviewPoint,
    SelfCompletionLink,
)
from onestory.measures.services import create_response
from onestory.notify import domain as notify_domain
from onestory.notify import services as notify_services
from onestory.notify.domain import recipient

LINK_LIFETIME = timedelta(days=7)


class LinkNotUsable(Exception):
    """The link is unknown, used or expired."""


class NotForSelfCompletion(Refusal):
    """This measure's design, or its wording not being loaded, does not allow
    completion online; the message says which."""

    field = "instrument"


class TooManyLinks(Refusal):
    message = "You have sent a lot of links in the last hour. Try again later"


LINKS_PER_HOUR = 50


def check_sending_rate(by) -> None:
    """Refused (TooManyLinks) past LINKS_PER_HOUR links sent by one person in
    an hour; each call counts as one sent."""
    if not ratelimit.allow(
        f"send-link:{by.pk}", limit=LINKS_PER_HOUR, window_seconds=60 * 60
    ):
        raise TooManyLinks


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class NotAnAddress(Refusal):
    field = "address"
    message = (
        "Enter the parent's email address, like name@example.org, or a UK "
        "mobile number, like 07700 900 982"
    )


@transaction.atomic
def send_questionnaire_link(
    *, person, instrument, address: str, review_point=None, link_base: str, by
) -> SelfCompletionLink:
    """Send a parent a single-use link by email or text message (`address` is
    either), queued in the outbox with the link (docs/notify.md); only the
    token's hash and a hint of the address are stored with it. Refused
    (NotForSelfCompletion, with the reason) unless the instrument is one a
    parent fills in and its wording is shipped or loaded; NotAnAddress unless
    `address` is an email address or a UK mobile number."""
    reason = queries.with_licensed_text(instrument).self_completion_refusal()
    if reason is not None:
        raise NotForSelfCompletion(reason)
    try:
        channel, to = notify_domain.channel_and_address(address)
    except notify_domain.NotAllowed as refused:
        raise NotAnAddress from refused
    token = secrets.token_urlsafe(32)
    link = SelfCompletionLink.objects.create(
        token_hash=hash_token(token),
        person=person,
        local_authority_id=person.family.local_authority_id,
        instrument_code=instrument.code,
        review_point=review_point,
        sent_to=notify_domain.hint(channel, to),
        created_by=by,
        expires_at=timezone.now() + LINK_LIFETIME,
    )
    audit.record(
        action=AuditAction.SEND_QUESTIONNAIRE_LINK,
        by=by,
        family=person.family_id,
        person=person,
        obj=link,
        detail={"instrument": instrument.code, "channel": channel},
    )
    notify_services.queue_message(
        kind="questionnaire_link",
        reference=f"questionnaire-link:{link.pk}",
        personalisation=_personalisation(link, f"{link_base}{token}/", by),
        by=by,
        family=person.family,
        person=person,
        **recipient(channel, to),
    )
    return link


def _personalisation(link: SelfCompletionLink, url: str, by) -> dict:
    """What the message says: the link, whose area and practitioner it comes
    from, until when it works, and the parent's first name. Never which
    questionnaire: the message may be read by someone else, and its name is
    clinical (the template says "a short questionnaire")."""
    expires = timezone.localtime(link.expires_at)
    return {
        "link": url,
        "first_name": link.person.given_name.strip(),
        "area": link.person.family.local_authority.name_for_families,
        "practitioner": by.full_name,
        "expires_on": f"{expires:%-d %B %Y}",
    }


def find_link(token: str) -> SelfCompletionLink | None:
    """The link a parent opened. Its page touches only that link's local
    authority: on PostgreSQL the token alone shows the link, which names it."""
    token_hash = hash_token(token)
    if tenancy.row_level_security():
        tenancy.set_tenant(None, link_token_hash=token_hash)
        area = (
            SelfCompletionLink.objects.filter(token_hash=token_hash)
            .values_list("local_authority_id", flat=True)
            .first()
        )
        if area is None:
            return None
        tenancy.set_tenant(area, link_token_hash=token_hash)
    return (
        SelfCompletionLink.objects.select_related(
            "person__family", "review_point", "local_authority"
        )
        .filter(token_hash=token_hash)
        .first()
    )


@transaction.atomic
def complete_questionnaire_link(
    *, link: SelfCompletionLink, answers: dict
) -> QuestionnaireResponse:
    """Store a parent's answers; the link can be used once, before it expires."""
    now = timezone.now()
    instrument = instruments.get(link.instrument_code)
    # Invalid answers raise below and roll the claim back: the link stays usable.
    claimed = SelfCompletionLink.objects.filter(
        pk=link.pk, used_at=None, expires_at__gt=now
    ).update(used_at=now)
    if not claimed:
        raise LinkNotUsable
    response = create_response(
        link.person,
        instrument,
        answers,
        timezone.localdate(),
        None,
        Mode.SELF_COMPLETION,
    )
    link.response = response
    link.save(update_fields=["response"])
    point = link.review_point  # loaded with the link (find_link), if it has one
    if point is not None and point.completed_by_id is None:
        ReviewPoint.objects.filter(pk=point.pk).update(completed_by=response)
    audit.record(
        action=AuditAction.COMPLETE_QUESTIONNAIRE_LINK,
        by=None,
        family=link.person.family_id,
        person=link.person_id,
        obj=response,
        changed_fields=["answers", "score"],
        detail={"instrument": instrument.code, "link": str(link.pk)},
    )
    return response


@transaction.atomic
def record_link_refusal(*, link: SelfCompletionLink | None, reason: str) -> None:
    audit.record(
        action=AuditAction.QUESTIONNAIRE_LINK_REFUSED,
        by=None,
        family=link.person.family_id if link else None,
        obj=link,
        outcome=AuditOutcome.REFUSED,
        detail={"reason": reason},
    )
