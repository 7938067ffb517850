"""What an adult does in the family's own view, through the services staff
use, audited with the adult as the actor: suggestions for the story (and the
lead's decision on them), the family's plan actions, stopping sharing,
questionnaires; and the daily reminders of questionnaires due."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from onestory.core import audit
from onestory.core.audit import FamilyMember
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.families import services as family_services
from onestory.families.services import StoryConflict, edit_story
from onestory.measures import services as measures_services
from onestory.notify.domain import recipient
from onestory.notify.models import Message
from onestory.notify.services import queue_message
from onestory.parents import queries
from onestory.parents.models import FamilyAccess, StorySuggestion, SuggestionStatus
from onestory.support import plans


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
                **recipient(access.channel, access.address),
            )
        queued += 1
    return queued
