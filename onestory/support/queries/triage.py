"""Reads for triage: requests for support, meetings, their agendas and decisions.
Each in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count
from django.http import Http404

from onestory.accounts.models import User
from onestory.families.models import ACCESS_PURPOSE, Consent, ConsentPurpose, Family
from onestory.families.presenters import family_name
from onestory.support.meeting_consent import ConsentCheck, consent_check
from onestory.support.models import (
    Consultation,
    Episode,
    Involvement,
    InvolvementRole,
    Level,
    LevelChange,
    RequestStatus,
    SupportRequest,
    TriageDecision,
    TriageMeeting,
)

# The consents that let an organisation at the meeting hear about a family.
DISCUSSION_PURPOSES = (ACCESS_PURPOSE, ConsentPurpose.REFERRAL)


def requests_for_triage(user):
    """New requests and those awaiting triage addressed to the user's
    organisation, for families the user may see, oldest first."""
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


@dataclass(frozen=True)
class RequestRow:
    """A request for support as triage lists it, with its family's name."""

    request: SupportRequest
    family_name: str


def request_rows(requests: Iterable[SupportRequest]) -> list[RequestRow]:
    """Rows for a page of `requests_for_triage` (members are prefetched)."""
    return [RequestRow(request, family_name(request.family)) for request in requests]


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


@dataclass(frozen=True)
class AgendaItem:
    """One family on a meeting's agenda: why it is there, its level and lead
    now, and which organisations present may hear about it."""

    family: Family
    family_name: str
    requests: list[SupportRequest]
    consultations: list[Consultation]
    level: str
    lead: User | None
    check: ConsentCheck


def agenda(meeting, user, *, family_id=None) -> list[AgendaItem]:
    """What the meeting is to discuss, one item per family, in a fixed number
    of queries: requests awaiting triage by this organisation and consultations
    flagged for discussion, in families the user may see."""
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
    # Family ids in the order they came (requests first), each with its own.
    requests_of: dict[UUID, list[SupportRequest]] = {}
    consultations_of: dict[UUID, list[Consultation]] = {}
    order: dict[UUID, None] = {}
    for request in requests:
        requests_of.setdefault(request.family_id, []).append(request)
        order.setdefault(request.family_id)
    for consultation in consultations:
        about = consultation.episode.family_id
        consultations_of.setdefault(about, []).append(consultation)
        order.setdefault(about)
    if not order:
        return []
    families = Family.objects.filter(pk__in=order).prefetch_related("members")
    episodes = {
        e.family_id: e
        for e in Episode.objects.filter(family__in=order, closed_at=None)
        .only("id", "family_id", "team__organisation_id")
        .select_related("team")
    }
    levels: dict[UUID, str] = {}
    for family_id, level in (
        LevelChange.objects.filter(episode__family__in=order, episode__closed_at=None)
        .order_by("changed_at", "id")
        .values_list("episode__family_id", "to_level")
    ):
        levels[family_id] = Level(level).label  # the latest wins
    leads = {
        lead.episode.family_id: lead.practitioner
        for lead in Involvement.objects.filter(
            episode__family__in=order,
            episode__closed_at=None,
            role=InvolvementRole.LEAD,
            ended_at=None,
        ).select_related("practitioner__organisation", "episode")
    }
    agreed: dict[UUID, set] = {}
    for family_id, organisation_id in Consent.objects.filter(
        family__in=order,
        organisation__in=meeting.attending_organisations.all(),
        purpose__in=DISCUSSION_PURPOSES,
        withdrawn_at=None,
    ).values_list("family_id", "organisation_id"):
        agreed.setdefault(family_id, set()).add(organisation_id)
    present = list(meeting.attending_organisations.all())
    found = {family.pk: family for family in families}
    items = []
    for family_id in order:
        family = found[family_id]
        family_requests = requests_of.get(family_id, [])
        items.append(
            AgendaItem(
                family=family,
                family_name=family_name(family),
                requests=family_requests,
                consultations=consultations_of.get(family_id, []),
                level=levels.get(family_id, ""),
                lead=leads.get(family_id),
                check=consent_check(
                    present,
                    holder_id=episodes[family_id].team.organisation_id,
                    agreed_ids=agreed.get(family_id, set()),
                    overridden_ids={
                        r.to_organisation_id
                        for r in family_requests
                        if r.consent_override_reason
                    },
                ),
            )
        )
    return sorted(items, key=lambda item: min(_waiting_since(item)))


def _waiting_since(item):
    return [r.made_at for r in item.requests] + [c.asked_at for c in item.consultations]


@dataclass(frozen=True)
class DecisionRow:
    """A meeting's decision about one family, with the family's name."""

    decision: TriageDecision
    family_name: str


def decisions_of(meeting, user) -> tuple[list[DecisionRow], int]:
    """The meeting's decisions about families the user may see, and how many
    others it decided about that are no longer in the user's scope."""
    shown = [
        DecisionRow(decision, family_name(decision.family))
        for decision in TriageDecision.objects.filter(
            meeting=meeting, family__in=Family.objects.visible_to(user)
        )
        .select_related("lead", "specialist", "decided_by")
        .prefetch_related("actions__owner", "family__members")
    ]
    return shown, meeting.decisions.count() - len(shown)
