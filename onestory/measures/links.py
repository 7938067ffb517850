"""The only write path for the links a parent fills a questionnaire in by:
sent by email, found by token, used once; each audited."""

import hashlib
import secrets
from datetime import timedelta

from django.core.mail import EmailMessage
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


@transaction.atomic
def send_questionnaire_link(
    *, person, instrument, email: str, review_point=None, link_base: str, by
) -> SelfCompletionLink:
    """Email a parent a single-use link; only the token's hash is stored.
    Refused (NotForSelfCompletion, with the reason) unless the instrument is
    one a parent fills in and its wording is shipped or loaded."""
    reason = queries.with_licensed_text(instrument).self_completion_refusal()
    if reason is not None:
        raise NotForSelfCompletion(reason)
    token = secrets.token_urlsafe(32)
    link = SelfCompletionLink.objects.create(
        token_hash=hash_token(token),
        person=person,
        local_authority_id=person.family.local_authority_id,
        instrument_code=instrument.code,
        review_point=review_point,
        sent_to=mask_email(email),
        created_by=by,
        expires_at=timezone.now() + LINK_LIFETIME,
    )
    audit.record(
        action=AuditAction.SEND_QUESTIONNAIRE_LINK,
        by=by,
        family=person.family_id,
        person=person,
        obj=link,
        detail={"instrument": instrument.code},
    )
    area = person.family.local_authority
    _email_link(email, f"{link_base}{token}/", by, instrument, area)
    return link


def _email_link(email, url, by, instrument, area) -> None:
    """From the area's sender, signed with the name families see and how to
    contact it; replies go to its contact address when there is one. No family
    details: the email may be read by someone else."""
    expires = timezone.localtime(timezone.now() + LINK_LIFETIME)
    EmailMessage(
        subject=f"A short questionnaire from {area.name_for_families}",
        body=(
            f"Hello,\n\n{by.full_name} from {by.organisation} has asked you to fill "
            f"in a short questionnaire ({instrument.short_name}). It takes about 5 "
            f"minutes.\n\n{url}\n\nThe link works once and until "
            f"{expires:%-d %B %Y}. If you did not expect this email, you can ignore "
            f"it.\n\n{area.signature}\n"
        ),
        from_email=area.email_sender,
        to=[email],
        reply_to=[area.contact_email] if area.contact_email else None,
    ).send()


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


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
