"""The only write path for episodes, leads, the team around a family, contacts
and consultations (the plan's is support.plans; requests' and triage's,
support.support_requests and support.triage)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from onestory.core import audit, changes
from onestory.core.models import AuditAction
from onestory.core.refusals import Refusal
from onestory.support.models import (
    LEAD_ROLES,
    ArrangedContact,
    Consultation,
    ConsultationAction,
    Contact,
    Episode,
    Involvement,
    InvolvementRole,
    Level,
    LevelChange,
)
from onestory.support.queries import reading_organisations


class LeadChangedMeanwhile(Refusal):
    """Someone else changed the lead since the page was opened: nothing was saved."""

    message = (
        "Someone changed the lead practitioner while you were on this page, so "
        "nothing was saved. Check the team around the family and try again"
    )


TEAM_NEEDS_A_REASON = "Enter why the team needs to be bigger"


class ReasonNeeded(Refusal):
    """This change must say why (a transfer, or a team growing past its size)."""

    field = "reason"
    message = "Enter the reason"


class AlreadyInTheTeam(Refusal):
    """The practitioner is already part of the team around this family."""

    message = "They are already in the team around the family"


class EpisodeClosed(Exception):
    """The episode is closed; open a new one instead."""


class CannotLead(Refusal):
    """They hold no caseload (LEAD_ROLES), so cannot be a family's lead."""

    def __init__(self, person):
        super().__init__(
            f"{person.full_name} cannot be a family's lead practitioner: only "
            "practitioners, specialists and team managers hold a caseload"
        )


def check_can_lead(person) -> None:
    """Refuse a lead who holds no caseload: the one rule, wherever a lead is set."""
    if not (person.is_active and person.roles & LEAD_ROLES):
        raise CannotLead(person)


@transaction.atomic
def open_episode(*, family, team, lead, by, level: str = Level.UNIVERSAL) -> Episode:
    """Open an episode of support held by `team`, with `lead` as lead practitioner."""
    check_can_lead(lead)
    episode = Episode.objects.create(family=family, team=team, opened_by=by)
    LevelChange.objects.create(episode=episode, to_level=level, changed_by=by)
    Involvement.objects.create(
        episode=episode, practitioner=lead, role=InvolvementRole.LEAD, added_by=by
    )
    return episode


def current_level(episode) -> str:
    return episode.level_changes.order_by("-changed_at", "-id").values_list(
        "to_level", flat=True
    )[0]


@transaction.atomic
def change_level(
    *, episode, to_level: str, reason: str, by, new_lead=None, expected_lead_id=None
) -> LevelChange:
    """Move the episode to another level. The lead stays unless `new_lead` is given."""
    _check_open(episode)
    from_level = current_level(episode)
    change = LevelChange.objects.create(
        episode=episode,
        from_level=from_level,
        to_level=to_level,
        reason=reason,
        changed_by=by,
        lead_kept=new_lead is None,
    )
    if new_lead is not None:
        transfer_lead(
            episode=episode,
            to=new_lead,
            reason=reason,
            expected_lead_id=expected_lead_id,
            by=by,
        )
    # Audit after the writes: the end of the audit chain is held from here to
    # the commit, so nothing written later can wait on another writer's rows.
    audit.record(
        action=AuditAction.CHANGE_LEVEL,
        by=by,
        family=episode.family_id,
        obj=change,
        changed_fields=["level"],
        detail={"from": from_level, "to": to_level},
    )
    return change


def transfer_lead(*, episode, to, reason: str, expected_lead_id, by) -> Involvement:
    """Make `to` the lead: a deliberate act with a reason, refused if stale."""
    if not reason.strip():
        raise ReasonNeeded
    check_can_lead(to)
    try:
        with transaction.atomic():
            _check_open(episode)
            return _transfer(episode, to, reason, expected_lead_id, by)
    except IntegrityError:
        # Another transfer committed between our check and our insert.
        raise LeadChangedMeanwhile from None


def _transfer(episode, to, reason, expected_lead_id, by) -> Involvement:
    now = timezone.now()
    ended = Involvement.objects.filter(
        episode=episode,
        role=InvolvementRole.LEAD,
        ended_at=None,
        practitioner_id=expected_lead_id,
    ).update(ended_at=now, end_reason=reason)
    if ended != 1:
        raise LeadChangedMeanwhile
    # Someone who was already a contributor becomes the lead: one current role each.
    Involvement.objects.filter(episode=episode, practitioner=to, ended_at=None).update(
        ended_at=now, end_reason="Became the lead practitioner"
    )
    lead = Involvement.objects.create(
        episode=episode,
        practitioner=to,
        role=InvolvementRole.LEAD,
        started_at=now,
        reason=reason,
        added_by=by,
    )
    audit.record(
        action=AuditAction.TRANSFER_LEAD,
        by=by,
        family=episode.family_id,
        obj=lead,
        changed_fields=["lead_practitioner"],
    )
    return lead


class MayNotJoin(Refusal):
    """Only staff who work with families, in an organisation that may read the
    record (the holder's, or one the family shares it with), join its team."""

    def __init__(self, person):
        super().__init__(
            f"{person.full_name} cannot join the team around this family: only "
            "staff who work with families, in the organisation holding its "
            "support or one the family has agreed to share its record with, can "
            "join"
        )


def team_size(episode, *, besides=None) -> int:
    """The practitioners in the team now (lead, contributors and consulted),
    leaving out `besides`, who is joining or changing their part."""
    current = episode.involvements.filter(ended_at=None)
    if besides is not None:
        current = current.exclude(practitioner=besides)
    return current.count()


def beyond_team_size(episode, *, joining=None) -> bool:
    """The team-size rule (product rule 5): one more past ONESTORY_TEAM_SIZE_WARNING
    needs a reason and is flagged."""
    return team_size(episode, besides=joining) >= settings.TEAM_SIZE_WARNING


def _check_may_join(episode, person) -> None:
    if not (
        person.is_active
        and person.reads_family_records
        and person.organisation_id in reading_organisations(episode)
    ):
        raise MayNotJoin(person)


@transaction.atomic
def add_to_team(*, episode, practitioner, role: str, reason: str, by) -> Involvement:
    """Add a contributor or consulted practitioner; past the team size, say why.
    Someone consulted can join as a contributor: their consulted part ends."""
    _check_open(episode)
    if role not in (InvolvementRole.CONTRIBUTOR, InvolvementRole.CONSULTED):
        raise ValueError("The lead practitioner is set by a transfer")
    _check_may_join(episode, practitioner)
    current = episode.involvements.filter(practitioner=practitioner, ended_at=None)
    was = current.values_list("role", flat=True).first()
    if was is not None and not (
        was == InvolvementRole.CONSULTED and role == InvolvementRole.CONTRIBUTOR
    ):
        raise AlreadyInTheTeam
    beyond = beyond_team_size(episode, joining=practitioner)
    if beyond and not reason.strip():
        raise ReasonNeeded(TEAM_NEEDS_A_REASON)
    current.update(ended_at=timezone.now(), end_reason="Joined as a contributor")
    involvement = Involvement.objects.create(
        episode=episode,
        practitioner=practitioner,
        role=role,
        reason=reason,
        beyond_team_size=beyond,
        added_by=by,
    )
    audit.record(
        action=AuditAction.ADD_TO_TEAM,
        by=by,
        family=episode.family_id,
        obj=involvement,
        changed_fields=["involvement"],
        detail={"role": role, "beyond_team_size": beyond, "was": was or ""},
    )
    return involvement


@transaction.atomic
def record_contact(*, episode, by, **details) -> Contact:
    _check_open(episode)
    contact = Contact.objects.create(episode=episode, recorded_by=by, **details)
    changes.data_changed(on=contact.occurred_on, family=episode.family_id)
    audit.record(
        action=AuditAction.RECORD_CONTACT,
        by=by,
        family=episode.family_id,
        obj=contact,
        changed_fields=sorted(details),
    )
    return contact


@transaction.atomic
def close_episode(*, episode, reason: str, note: str, by) -> Episode:
    """Close the episode and end every involvement in it."""
    now = timezone.now()
    closed = Episode.objects.filter(pk=episode.pk, closed_at=None).update(
        closed_at=now, closed_by=by, closure_reason=reason, closure_note=note
    )
    if not closed:
        raise EpisodeClosed
    episode.involvements.filter(ended_at=None).update(
        ended_at=now, end_reason="Episode closed"
    )
    audit.record(
        action=AuditAction.CLOSE_EPISODE,
        by=by,
        family=episode.family_id,
        obj=episode,
        changed_fields=["closed_at", "closure_reason", "closure_note"],
    )
    episode.refresh_from_db()
    return episode


def _check_open(episode) -> None:
    if Episode.objects.filter(pk=episode.pk, closed_at__isnull=False).exists():
        raise EpisodeClosed


class NotTheirConsultation(Exception):
    """Only the specialist who was asked can answer."""


class AlreadyAnswered(Refusal):
    """This consultation has been answered."""

    message = "This consultation has already been answered"


@transaction.atomic
def ask_consultation(
    *,
    episode,
    specialist,
    question: str,
    tried: str,
    urgency: str,
    by,
    discuss_at_triage: bool = False,
) -> Consultation:
    """Ask a specialist for advice. The lead does not change; the specialist is
    consulted, which lets them read the record (within consent) to answer."""
    _check_open(episode)
    consultation = Consultation.objects.create(
        episode=episode,
        asked_by=by,
        specialist=specialist,
        question=question,
        tried=tried,
        urgency=urgency,
        discuss_at_triage=discuss_at_triage,
    )
    if not episode.involvements.filter(practitioner=specialist, ended_at=None).exists():
        # Consulted specialists are the scaffold, not a bigger team: no size check.
        Involvement.objects.create(
            episode=episode,
            practitioner=specialist,
            role=InvolvementRole.CONSULTED,
            reason="Asked for a consultation",
            added_by=by,
        )
    audit.record(
        action=AuditAction.ASK_CONSULTATION,
        by=by,
        family=episode.family_id,
        obj=consultation,
        changed_fields=["question", "tried", "urgency", "specialist"],
    )
    return consultation


@transaction.atomic
def answer_consultation(
    *, consultation, advice: str, review_on, actions: list[dict], by
) -> Consultation:
    """Record the specialist's advice, agreed actions and a review date."""
    if consultation.specialist_id != by.pk:
        raise NotTheirConsultation
    answered = Consultation.objects.filter(pk=consultation.pk, answered_at=None).update(
        advice=advice, review_on=review_on, answered_at=timezone.now()
    )
    if not answered:
        raise AlreadyAnswered
    ConsultationAction.objects.bulk_create(
        ConsultationAction(consultation=consultation, **action) for action in actions
    )
    audit.record(
        action=AuditAction.ANSWER_CONSULTATION,
        by=by,
        family=consultation.episode.family_id,
        obj=consultation,
        changed_fields=["advice", "review_on", "actions"],
    )
    consultation.refresh_from_db()
    return consultation


class NotInTheFuture(Refusal):
    field = "starts_on"
    message = "An arranged contact must be in the future"


@transaction.atomic
def arrange_contact(
    *, episode, starts_at, contact_type: str, practitioner, by
) -> ArrangedContact:
    """Arrange the next contact with the family; they see it in their own view."""
    _check_open(episode)
    if starts_at <= timezone.now():
        raise NotInTheFuture
    arranged = ArrangedContact.objects.create(
        episode=episode,
        starts_at=starts_at,
        contact_type=contact_type,
        practitioner=practitioner,
        arranged_by=by,
    )
    audit.record(
        action=AuditAction.ARRANGE_CONTACT,
        by=by,
        family=episode.family_id,
        obj=arranged,
        changed_fields=["starts_at", "contact_type", "practitioner"],
    )
    return arranged


class AlreadyCancelled(Refusal):
    message = "This contact was cancelled already"


@transaction.atomic
def cancel_arranged_contact(*, arranged: ArrangedContact, by) -> None:
    if not ArrangedContact.objects.filter(pk=arranged.pk, cancelled_at=None).update(
        cancelled_at=timezone.now()
    ):
        raise AlreadyCancelled
    audit.record(
        action=AuditAction.CANCEL_ARRANGED_CONTACT,
        by=by,
        family=arranged.episode.family_id,
        obj=arranged,
        changed_fields=["cancelled_at"],
    )
