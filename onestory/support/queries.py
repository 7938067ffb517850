"""Reads about episodes and the team around a family, for a family already in scope."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import FAMILY_ROLES, LocalAuthority, Role, RoleGrant, User
from onestory.families.models import ACCESS_PURPOSE
from onestory.support.models import (
    LEAD_ROLES,
    Consultation,
    Episode,
    Involvement,
    InvolvementRole,
    Level,
    LevelChange,
    Plan,
    PlanAction,
    RequestStatus,
    SupportRequest,
    TriageDecision,
    TriageMeeting,
)


def get_open_episode(family) -> Episode:
    episode = (
        Episode.objects.filter(family=family, closed_at=None)
        .select_related("team__organisation")
        .first()
    )
    if episode is None:
        raise Http404("This family has no open episode of support")
    return episode


def lead_of(episode):
    involvement = (
        Involvement.objects.filter(
            episode=episode, role=InvolvementRole.LEAD, ended_at=None
        )
        .select_related("practitioner__organisation")
        .first()
    )
    return involvement.practitioner if involvement else None


def who_to_contact(family) -> dict:
    """For a sheet printed for the family (their plan, their progress): the lead
    of their open episode, its team (and so their hub), their area's contact
    for families, and the day it was printed."""
    episode = (
        family.episodes.filter(closed_at=None)
        .select_related("team__hub", "team__organisation")
        .first()
    )
    return {
        "lead": lead_of(episode) if episode else None,
        "team": episode.team if episode else None,
        "families_contact": LocalAuthority.objects.get(pk=family.local_authority_id),
        "printed_on": timezone.localdate(),
    }


def reading_organisations(episode) -> set:
    """The organisations whose staff may take a part in this episode: the one
    holding it, and any the family has agreed to share its record with."""
    return {episode.team.organisation_id} | set(
        episode.family.consents.standing()
        .filter(purpose=ACCESS_PURPOSE)
        .values_list("organisation_id", flat=True)
    )


def allocation_candidates(episode, *, exclude=()):
    """Who could take a part, those the family already knows first.

    Order: people with attended contacts or involvement in this family's episodes
    (most contacts first), then the holding team by open caseload (fewest first).
    Only staff who may read the record: the holding organisation's, or an
    organisation the family has agreed to share with. `can_lead` says whether
    they hold a caseload (LEAD_ROLES): only they are offered as leads.
    """
    family = episode.family_id
    organisations = reading_organisations(episode)
    people = (
        User.objects.filter(
            is_active=True,
            organisation_id__in=organisations,
            role_grants__role__in=FAMILY_ROLES,
        )
        .filter(Q(teams=episode.team) | Q(involvements__episode__family=family))
        .exclude(pk__in=[person.pk for person in exclude])
        .select_related("organisation")
        .annotate(
            known=Count(
                "contacts",
                filter=Q(
                    contacts__episode__family=family,
                    contacts__attendance__in=["attended", "late"],
                ),
                distinct=True,
            )
            + Count(
                "involvements",
                filter=Q(involvements__episode__family=family),
                distinct=True,
            ),
            can_lead=Exists(
                RoleGrant.objects.filter(user=OuterRef("pk"), role__in=LEAD_ROLES)
            ),
            caseload=Count(
                "involvements",
                filter=Q(
                    involvements__role=InvolvementRole.LEAD,
                    involvements__ended_at=None,
                ),
                distinct=True,
            ),
        )
        .distinct()
        .order_by("-known", "caseload", "full_name")
    )
    return list(people)


def lead_candidates(candidates):
    """Of allocation candidates, those who may be a lead (they hold a caseload)."""
    return [person for person in candidates if person.can_lead]


def specialists_for(episode):
    """Specialists who may be asked: the holding organisation's, or one the family
    has agreed to share with, so that they can read what they are asked about."""
    organisations = reading_organisations(episode)
    return list(
        User.objects.filter(
            is_active=True,
            organisation_id__in=organisations,
            role_grants__role=Role.SPECIALIST,
        )
        .select_related("organisation")
        .distinct()
        .order_by("full_name")
    )


def specialists_without_consent(episode) -> list:
    """Organisations of the family's area with specialists who cannot be asked
    because the family's consent to share with them is not recorded: each with
    `specialists`, how many (say which consent would let them be asked)."""
    from onestory.accounts.models import Organisation

    return list(
        Organisation.objects.filter(
            local_authority_id=episode.family.local_authority_id,
            staff__is_active=True,
            staff__role_grants__role=Role.SPECIALIST,
        )
        .exclude(pk__in=reading_organisations(episode))
        .annotate(specialists=Count("staff", distinct=True))
        .order_by("name")
    )


def inbox(user):
    """Consultations asked of this specialist, in families they may see."""
    from onestory.families.models import Family

    return (
        Consultation.objects.filter(
            specialist=user, episode__family__in=Family.objects.visible_to(user)
        )
        .select_related("episode__family", "asked_by__organisation")
        .prefetch_related("episode__family__members")
        .order_by(F("answered_at").asc(nulls_first=True), "-asked_at")
    )


def get_consultation(family, consultation_id) -> Consultation:
    consultation = (
        Consultation.objects.filter(episode__family=family, pk=consultation_id)
        .select_related("asked_by__organisation", "specialist__organisation", "episode")
        .prefetch_related("actions__owner")
        .first()
    )
    if consultation is None:
        raise Http404("No such consultation for this family")
    return consultation


def plan_of(family):
    """The family's plan with its goals and actions, or None before one exists."""
    return (
        Plan.objects.filter(family=family)
        .select_related("updated_by")
        .prefetch_related("goals", "actions")
        .first()
    )


def plan_action(family, action_id) -> PlanAction:
    action = PlanAction.objects.filter(plan__family=family, pk=action_id).first()
    if action is None:
        raise Http404("No such action in this family's plan")
    return action


def requests_for_triage(user):
    """New requests and those awaiting triage addressed to the user's
    organisation, for families the user may see, oldest first."""
    from onestory.families.models import Family

    return (
        SupportRequest.objects.filter(
            to_organisation_id=user.organisation_id,
            status__in=[RequestStatus.NEW, RequestStatus.AWAITING_TRIAGE],
            family__in=Family.objects.visible_to(user),
        )
        .select_related("made_by", "made_by_organisation")
        .prefetch_related("family__members")
        .order_by("made_at", "pk")
    )


def get_request(family, request_id) -> SupportRequest:
    request = (
        SupportRequest.objects.filter(family=family, pk=request_id)
        .select_related(
            "made_by",
            "made_by_organisation",
            "to_organisation",
            "decision__meeting",
        )
        .prefetch_related("status_changes__changed_by")
        .first()
    )
    if request is None:
        raise Http404("No such request for this family")
    return request


def meetings_of(user):
    """Triage meetings hosted by the user's organisation, newest first."""
    return (
        TriageMeeting.objects.filter(organisation_id=user.organisation_id)
        .select_related("chair")
        .annotate(decided=Count("decisions"))
        .order_by("-starts_at")
    )


def get_meeting(user, meeting_id) -> TriageMeeting:
    meeting = (
        TriageMeeting.objects.filter(
            organisation_id=user.organisation_id, pk=meeting_id
        )
        .select_related("chair", "organisation")
        .prefetch_related("attending_organisations")
        .first()
    )
    if meeting is None:
        raise Http404("No such triage meeting")
    return meeting


@dataclass
class AgendaItem:
    family: object
    requests: list = field(default_factory=list)
    consultations: list = field(default_factory=list)
    level: str = ""
    lead: object = None
    check: object = None
    decision: object = None


def agenda(meeting, user, *, family_id=None) -> list[AgendaItem]:
    """What the meeting is to discuss, one item per family, in a fixed number
    of queries: requests awaiting triage by this organisation and consultations
    flagged for discussion, in families the user may see."""
    from onestory.families.models import Consent, Family
    from onestory.support.triage import DISCUSSION_PURPOSES, consent_check

    visible = Family.objects.visible_to(user)
    if family_id is not None:
        visible = visible.filter(pk=family_id)
    requests = SupportRequest.objects.filter(
        to_organisation_id=meeting.organisation_id,
        status=RequestStatus.AWAITING_TRIAGE,
        family__in=visible,
    ).select_related("made_by", "made_by_organisation")
    consultations = Consultation.objects.filter(
        discuss_at_triage=True,
        discussed_at=None,
        episode__closed_at=None,
        episode__team__organisation_id=meeting.organisation_id,
        episode__family__in=visible,
    ).select_related("specialist", "asked_by", "episode")
    items: dict = {}
    for request in requests:
        items.setdefault(request.family_id, AgendaItem(None)).requests.append(request)
    for consultation in consultations:
        family = consultation.episode.family_id
        items.setdefault(family, AgendaItem(None)).consultations.append(consultation)
    if not items:
        return []
    families = Family.objects.filter(pk__in=items).prefetch_related("members")
    episodes = {
        e.family_id: e
        for e in Episode.objects.filter(family__in=items, closed_at=None)
        .only("id", "family_id", "team__organisation_id")
        .select_related("team")
    }
    for family_id, level in (
        LevelChange.objects.filter(episode__family__in=items, episode__closed_at=None)
        .order_by("changed_at", "id")
        .values_list("episode__family_id", "to_level")
    ):
        items[family_id].level = Level(level).label  # the latest wins
    for lead in Involvement.objects.filter(
        episode__family__in=items,
        episode__closed_at=None,
        role=InvolvementRole.LEAD,
        ended_at=None,
    ).select_related("practitioner__organisation", "episode"):
        items[lead.episode.family_id].lead = lead.practitioner
    agreed: dict = {}
    for family_id, organisation_id in Consent.objects.filter(
        family__in=items,
        organisation__in=meeting.attending_organisations.all(),
        purpose__in=DISCUSSION_PURPOSES,
        withdrawn_at=None,
    ).values_list("family_id", "organisation_id"):
        agreed.setdefault(family_id, set()).add(organisation_id)
    present = list(meeting.attending_organisations.all())
    for family in families:
        item = items[family.pk]
        item.family = family
        overridden = {
            r.to_organisation_id for r in item.requests if r.consent_override_reason
        }
        item.check = consent_check(
            present,
            holder_id=episodes[family.pk].team.organisation_id,
            agreed_ids=agreed.get(family.pk, set()),
            overridden_ids=overridden,
        )
    return sorted(items.values(), key=lambda item: min(_waiting_since(item)))


def _waiting_since(item):
    return [r.made_at for r in item.requests] + [c.asked_at for c in item.consultations]


def decisions_of(meeting, user):
    """The meeting's decisions about families the user may see, and how many
    others it decided about that are no longer in the user's scope."""
    from onestory.families.models import Family

    shown = list(
        TriageDecision.objects.filter(
            meeting=meeting, family__in=Family.objects.visible_to(user)
        )
        .select_related("lead", "specialist", "decided_by")
        .prefetch_related("actions__owner", "family__members")
    )
    return shown, meeting.decisions.count() - len(shown)
