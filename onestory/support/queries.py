"""Reads about episodes and the team around a family, for a family already in scope."""

from django.db.models import Count, F, Q
from django.http import Http404

from onestory.accounts.models import FAMILY_ROLES, Role, User
from onestory.families.models import ACCESS_PURPOSE
from onestory.support.models import (
    Consultation,
    Episode,
    Involvement,
    InvolvementRole,
    Plan,
    PlanAction,
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


def allocation_candidates(episode, *, exclude=()):
    """Who could take a part, those the family already knows first.

    Order: people with attended contacts or involvement in this family's episodes
    (most contacts first), then the holding team by open caseload (fewest first).
    Only staff who may read the record: the holding organisation's, or an
    organisation the family has agreed to share with.
    """
    family = episode.family_id
    organisations = {episode.team.organisation_id} | set(
        episode.family.consents.standing()
        .filter(purpose=ACCESS_PURPOSE)
        .values_list("organisation_id", flat=True)
    )
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


def specialists_for(episode):
    """Specialists who may be asked: the holding organisation's, or one the family
    has agreed to share with, so that they can read what they are asked about."""
    organisations = {episode.team.organisation_id} | set(
        episode.family.consents.standing()
        .filter(purpose=ACCESS_PURPOSE)
        .values_list("organisation_id", flat=True)
    )
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
