"""What support contributes to a family (families/parts.py): the access scope's
paths through a family's episodes, teams and triage; the parts of the record
about its support; the caseload; the first episode when a family is added; and
the support and team in a person's subject access export.

Registered by `SupportConfig.ready()`.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery

from onestory.accounts.models import TRIAGE_ROLES
from onestory.families import parts, queries
from onestory.families.models import ACCESS_PURPOSE, Consent, ConsentPurpose
from onestory.families.rights import THIRD_PARTY, Item, by_whom, when
from onestory.families.services import AdderCannotLead
from onestory.support import presenters
from onestory.support.models import (
    ATTENDED,
    OPEN_REQUEST_STATUSES,
    Consultation,
    Contact,
    Episode,
    Involvement,
    LevelChange,
    PlanAction,
    PlanGoal,
    SupportRequest,
    TriageDecision,
)
from onestory.support.services import CannotLead, open_episode


def register() -> None:
    parts.access_paths(access_paths)
    parts.record_parts(record_parts)
    parts.caseload(caseload)
    parts.caseload_details(caseload_details)
    parts.family_added(open_first_episode)
    parts.subject_access("support", support_items)
    parts.subject_access("shared_with", team_items)
    parts.presenter("at_a_glance", presenters.at_a_glance)
    parts.presenter("episode_summary", presenters.summarise)


# The access scope (Family.objects.visible_to) ----------------------------------


def access_paths(user, correlated: bool) -> list[tuple[models.QuerySet, str]]:
    """The access scope's paths to a family through its support: (rows, the
    field naming their family). With `correlated`, conditions on the family
    itself (its consent) refer to the outer family row instead of listing every
    family that has one."""
    involvements = Involvement.objects.filter(practitioner=user, ended_at__isnull=True)
    involved = (
        Exists(involvements.filter(episode=OuterRef("pk")))
        if correlated
        else Q(pk__in=involvements.values("episode_id"))
    )
    reachable = Episode.objects.filter(closed_at__isnull=True).filter(
        Q(team_id__in=user.team_ids) | involved
    )
    shared = Consent.objects.filter(
        organisation_id=user.organisation_id,
        purpose=ACCESS_PURPOSE,
        withdrawn_at__isnull=True,
    )
    other_organisation = reachable.exclude(team__organisation_id=user.organisation_id)
    paths: list[tuple[models.QuerySet, str]] = [
        (reachable.filter(team__organisation_id=user.organisation_id), "family_id"),
        (
            other_organisation.filter(Exists(shared.filter(family=OuterRef("family"))))
            if correlated
            else other_organisation.filter(family_id__in=shared.values("family_id")),
            "family_id",
        ),
    ]
    if user.roles & TRIAGE_ROLES:
        paths += _referred_to(user.organisation_id, correlated)
    return paths


def _referred_to(organisation_id, correlated: bool):
    """Families this organisation's triage may read, while their episode is open:
    those with an open request for support to it (its own families, or with the
    family's consent to the referral, or a recorded override), and its own
    families with a consultation flagged for discussion at triage."""
    agreed = Consent.objects.filter(
        organisation_id=organisation_id,
        purpose=ConsentPurpose.REFERRAL,
        withdrawn_at__isnull=True,
    )
    requested = SupportRequest.objects.filter(
        to_organisation_id=organisation_id, status__in=OPEN_REQUEST_STATUSES
    ).filter(
        Q(family__episodes__closed_at__isnull=True)
        & (
            Q(family__episodes__team__organisation_id=organisation_id)
            | ~Q(consent_override_reason="")
            | (
                Exists(agreed.filter(family=OuterRef("family")))
                if correlated
                else Q(family_id__in=agreed.values("family_id"))
            )
        )
    )
    flagged = Consultation.objects.filter(
        discuss_at_triage=True,
        discussed_at__isnull=True,
        episode__closed_at__isnull=True,
        episode__team__organisation_id=organisation_id,
    )
    return [(requested, "family_id"), (flagged, "episode__family_id")]


# The record's parts about support (families.queries.get_family_record) --------


def record_parts(scoped, parts):
    """Requests, triage decisions, the open episodes (with their contacts for
    the Support page) and the plan, for those of them named."""
    chosen: list[Prefetch] = []
    if queries.REQUESTS in parts:
        chosen.append(
            Prefetch(
                "support_requests",
                queryset=SupportRequest.objects.select_related(
                    "to_organisation", "made_by"
                ),
            )
        )
    if queries.TRIAGE in parts:
        chosen.append(
            Prefetch(
                "triage_decisions",
                queryset=TriageDecision.objects.select_related("meeting", "decided_by"),
            )
        )
    if parts & {queries.TEAM, queries.CONTACTS}:
        chosen.append(_open_episodes(with_contacts=queries.CONTACTS in parts))
    if chosen:
        scoped = scoped.prefetch_related(*chosen)
    if queries.PLAN in parts:
        scoped = scoped.select_related("plan").prefetch_related(
            Prefetch(
                "plan__actions",
                queryset=PlanAction.objects.filter(done_at__isnull=True),
                to_attr="open_actions",
            )
        )
    return scoped


def _open_episodes(*, with_contacts: bool) -> Prefetch:
    involvements = Involvement.objects.select_related("practitioner__organisation")
    if with_contacts:  # the Support page also asks who is a specialist
        involvements = involvements.prefetch_related("practitioner__role_grants")
    inside = [
        Prefetch("involvements", queryset=involvements),
        Prefetch(
            "level_changes",
            queryset=LevelChange.objects.select_related("changed_by"),
        ),
        Prefetch(
            "consultations",
            queryset=Consultation.objects.select_related("specialist", "asked_by"),
        ),
    ]
    if with_contacts:
        inside.append(
            Prefetch(
                "contacts",
                queryset=Contact.objects.select_related(
                    "practitioner", "recorded_by"
                ).order_by("-occurred_at"),
            )
        )
    return Prefetch(
        "episodes",
        queryset=Episode.objects.filter(closed_at__isnull=True)
        .select_related("team__organisation", "team__hub")
        .prefetch_related(*inside),
        to_attr="open_episodes",
    )


# The caseload (families.queries.list_caseload and caseload_details) -----------


def caseload(user):
    """The families in whose open episode the user is currently involved."""
    return Involvement.objects.filter(
        practitioner=user, ended_at__isnull=True, episode__closed_at__isnull=True
    ).values("episode__family_id")


def caseload_details(user, of_family, today) -> dict:
    """The user's role, the level, actions due, advice awaited and the latest
    attended contact, per family of a page of the caseload."""
    return {
        "my_role": Subquery(
            Involvement.objects.filter(
                practitioner=user, ended_at=None, episode__family=of_family
            ).values("role")[:1]
        ),
        "level": Subquery(
            LevelChange.objects.filter(
                episode__family=of_family, episode__closed_at=None
            )
            .order_by("-changed_at", "-id")  # the latest wins
            .values("to_level")[:1]
        ),
        "plan_actions_due": Exists(
            PlanAction.objects.filter(
                plan__family=of_family,
                done_at=None,
                due_on__lte=today + queries.REVIEW_SOON,
            )
        ),
        "awaiting_advice": Exists(
            Consultation.objects.filter(
                episode__family=of_family, episode__closed_at=None, answered_at=None
            )
        ),
        # The latest attended contact, through each episode's contacts by time.
        "last_seen": Subquery(
            Contact.objects.filter(episode__family=of_family, attendance__in=ATTENDED)
            .order_by("-occurred_at")
            .values("occurred_at")[:1]
        ),
    }


# Adding a family (families.services.add_family) --------------------------------


def open_first_episode(*, family, team, by) -> None:
    """The one who adds a family holds its first episode, as its lead."""
    try:
        open_episode(family=family, team=team, lead=by, by=by)
    except CannotLead as refusal:
        raise AdderCannotLead(str(refusal)) from None


# Subject access (families.rights.subject_access) -------------------------------


def support_items(person) -> list[Item]:
    """Contacts, the plan, requests, triage decisions and consultations about
    the person's family, oldest first."""
    family = person.family
    items = []
    for contact in Contact.objects.filter(episode__family=family).select_related(
        "practitioner__organisation"
    ):
        items.append(
            Item(
                f"{contact.get_contact_type_display()}: "
                f"{contact.get_attendance_display()}",
                when(contact.occurred_at),
                by_whom(contact.practitioner),
                contact.notes,
                "Restricted note (safeguarding or similar): review with its author "
                "before release"
                if contact.notes_restricted
                else THIRD_PARTY,
            )
        )
    for goal in PlanGoal.objects.filter(plan__family=family):
        items.append(
            Item(
                "Goal in the family's plan",
                when(goal.added_at),
                "",
                goal.text,
                THIRD_PARTY,
            )
        )
    for action in PlanAction.objects.filter(plan__family=family):
        items.append(
            Item(
                "Action in the family's plan",
                when(action.due_on),
                action.owner,
                action.description,
                THIRD_PARTY,
            )
        )
    for request in SupportRequest.objects.filter(family=family).select_related(
        "made_by__organisation", "to_organisation"
    ):
        items.append(
            Item(
                f"Request for support to {request.to_organisation} "
                f"({request.get_status_display()})",
                when(request.made_at),
                by_whom(request.made_by),
                request.reason,
                THIRD_PARTY,
            )
        )
    for decision in TriageDecision.objects.filter(family=family).select_related(
        "decided_by__organisation"
    ):
        items.append(
            Item(
                f"Triage decision: {decision.outcome_label}",
                when(decision.decided_at),
                by_whom(decision.decided_by),
                decision.summary,
                THIRD_PARTY,
            )
        )
    for consultation in Consultation.objects.filter(
        episode__family=family
    ).select_related("asked_by__organisation", "specialist"):
        items.append(
            Item(
                f"Consultation with {consultation.specialist.full_name}",
                when(consultation.asked_at),
                by_whom(consultation.asked_by),
                "\n\n".join(filter(None, [consultation.question, consultation.advice])),
                THIRD_PARTY,
            )
        )
    items.sort(key=lambda item: item.when)
    return items


def team_items(person) -> list[Item]:
    """Who has been in the team around the person's family."""
    family = person.family
    return [
        Item(
            f"{i.get_role_display()}: {i.practitioner.full_name}, "
            f"{i.practitioner.organisation}",
            when(i.started_at),
            text=f"Until {when(i.ended_at)}" if i.ended_at else "Current",
        )
        for i in Involvement.objects.filter(episode__family=family).select_related(
            "practitioner__organisation"
        )
    ]
