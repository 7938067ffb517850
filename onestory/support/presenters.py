"""The team around a family, its level and its contacts, for the family record.

Works on an episode whose involvements, level changes and contacts are prefetched.
"""

from collections.abc import Hashable
from dataclasses import dataclass

from django.utils import timezone

from onestory.accounts.models import Role
from onestory.core.presenters import Tag, status_tag
from onestory.families.presenters import team_role_colour
from onestory.support import continuity
from onestory.support.models import (
    Consultation,
    Contact,
    Episode,
    Involvement,
    InvolvementRole,
    LevelChange,
    RequestStatus,
    Urgency,
)


@dataclass(frozen=True)
class EpisodeSummary:
    """What the family record's support section says about one episode."""

    episode: Episode
    level: str
    level_history: list[LevelChange]
    lead: Involvement | None
    lead_history: list[Involvement]
    team: list[Involvement]
    contacts: list[tuple[Contact, str | None]]  # (contact, notes the viewer may read)
    continuity: str
    lead_retention: str
    viewer_is_lead: bool
    # A specialist not yet working with the family (consulted, or not in the
    # team) may join it as a contributor.
    viewer_may_join: bool


@dataclass
class AtAGlance:
    """What the top of the family record says about an open episode."""

    episode: Episode
    level: str
    lead: Involvement | None
    team: list[Involvement]
    awaiting_advice: list[Consultation]


def at_a_glance(episode) -> AtAGlance:
    """The level, the lead and the team now, from prefetched involvements,
    level changes and consultations (no contacts needed)."""
    current = [i for i in episode.involvements.all() if i.ended_at is None]
    levels = list(episode.level_changes.all())
    return AtAGlance(
        episode=episode,
        level=levels[-1].get_to_level_display() if levels else "",
        lead=next((i for i in current if i.role == InvolvementRole.LEAD), None),
        team=current,
        awaiting_advice=[c for c in episode.consultations.all() if not c.is_answered],
    )


def summarise(episode, viewer) -> EpisodeSummary:
    involvements = list(episode.involvements.all())
    leads = [i for i in involvements if i.role == InvolvementRole.LEAD]
    levels = list(episode.level_changes.all())
    glance = at_a_glance(episode)
    current, lead = glance.team, glance.lead
    contacts = list(episode.contacts.all())
    attended = [c for c in sorted(contacts, key=lambda c: c.occurred_at) if c.attended]
    names: dict[Hashable, str] = {
        c.practitioner_id: c.practitioner.full_name for c in contacts
    }
    viewer_is_lead = lead is not None and lead.practitioner_id == viewer.pk
    return EpisodeSummary(
        episode=episode,
        level=glance.level,
        level_history=levels,
        lead=lead,
        lead_history=leads,
        team=current,
        contacts=[
            (c, c.notes if can_read_notes(c, viewer, viewer_is_lead) else None)
            for c in contacts
        ],
        continuity=continuity.describe(
            continuity.sequence_indices([c.practitioner_id for c in attended]),
            name_of=lambda practitioner: names.get(practitioner, ""),
        ),
        lead_retention=" ".join(
            filter(
                None,
                [_lead_retention(episode, levels, leads), _scaffold(episode, leads)],
            )
        ),
        viewer_is_lead=viewer_is_lead,
        viewer_may_join=Role.SPECIALIST in viewer.roles
        and not any(
            i.practitioner_id == viewer.pk and i.role != InvolvementRole.CONSULTED
            for i in current
        ),
    )


def can_read_notes(contact, viewer, viewer_is_lead: bool) -> bool:
    """A restricted note is for its author, the family's lead, and the roles
    its author named."""
    return (
        not contact.notes_restricted
        or contact.recorded_by_id == viewer.pk
        or viewer_is_lead
        or bool(viewer.roles & set(contact.notes_roles))
    )


def _scaffold(episode, leads) -> str:
    """C6 in plain words: specialist help by consultation, not by transfer."""
    consultations = len(episode.consultations.all())
    transfers = sum(
        1 for lead in leads[1:] if Role.SPECIALIST in lead.practitioner.roles
    )
    ratio = continuity.consultation_not_transfer(consultations, transfers)
    if not ratio.denominator:
        return ""
    return (
        f"Specialist help came as advice to the family's own practitioner "
        f"{ratio.numerator} of {ratio.denominator} "
        f"time{'s' if ratio.denominator != 1 else ''}, not by passing them on."
    )


def _lead_retention(episode, levels, leads) -> str:
    """C5 and C7 in plain words: was the lead kept, and any days without one."""
    changes = [change for change in levels if change.from_level]
    kept = continuity.Ratio(sum(1 for c in changes if c.lead_kept), len(changes))
    gaps = continuity.days_without_lead(
        timezone.localtime(episode.opened_at).date(),
        None,
        [(lead.started_at, lead.ended_at) for lead in leads],
        timezone.localdate(),
    )
    parts = []
    if kept.denominator:
        parts.append(
            f"The lead was kept at {kept.numerator} of {kept.denominator} "
            f"change{'s' if kept.denominator != 1 else ''} of level."
        )
    parts.append(
        "Never without a lead."
        if gaps == 0
        else f"{gaps} day{'s' if gaps != 1 else ''} without a lead."
    )
    return " ".join(parts)


@status_tag("involvement_role")
def involvement_role_tag(involvement) -> Tag:
    return Tag(involvement.get_role_display(), team_role_colour(involvement.role))


@status_tag("consultation")
def consultation_tag(consultation) -> Tag:
    if consultation.is_answered:
        return Tag("Answered", "green")
    return Tag("Awaiting reply", "yellow")


@status_tag("consultation_to_answer")
def consultation_to_answer_tag(consultation) -> Tag:
    """In a specialist's inbox an urgent question still waiting stands out."""
    if not consultation.is_answered and consultation.urgency == Urgency.URGENT:
        return Tag("Urgent: awaiting reply", "red")
    return consultation_tag(consultation)


@status_tag("support_request")
def support_request_tag(support_request) -> Tag:
    """A request's status where the family's requests are listed: open or not."""
    colour = "blue" if support_request.is_open else "grey"
    return Tag(support_request.get_status_display(), colour)


@status_tag("request_to_triage")
def request_to_triage_tag(support_request) -> Tag:
    """A request's status on the triage home, where new ones stand out."""
    colour = "yellow" if support_request.status == RequestStatus.NEW else "blue"
    return Tag(support_request.get_status_display(), colour)


@status_tag("consent_check")
def consent_check_tag(check) -> Tag:
    """Whether a family's consent lets it be discussed with everyone present."""
    if check.withheld_from:
        return Tag("Not with everyone", "orange")
    return Tag("Everyone present", "green")
