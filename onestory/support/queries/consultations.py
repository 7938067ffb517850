"""Reads about consultations, and the family's plan, for a family in scope."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.http import Http404

from onestory.families.models import Family
from onestory.families.presenters import family_name
from onestory.support.models import Consultation, Plan, PlanAction


def inbox(user):
    """Consultations asked of this specialist, in families they may see."""
    return (
        Consultation.objects.filter(
            specialist=user, episode__family__in=Family.objects.visible_to(user)
        )
        .select_related("episode__family", "asked_by__organisation")
        .prefetch_related("episode__family__members")
        .order_by(F("answered_at").asc(nulls_first=True), "-asked_at")
    )


@dataclass(frozen=True)
class InboxRow:
    """A consultation in the specialist's inbox, with its family's name."""

    consultation: Consultation
    family_name: str


def inbox_rows(consultations: Iterable[Consultation]) -> list[InboxRow]:
    """Rows for a page of `inbox` (its families' members are prefetched)."""
    return [
        InboxRow(consultation, family_name(consultation.episode.family))
        for consultation in consultations
    ]


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
        .prefetch_related(
            "goals",
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related("done_by_person"),
            ),
        )
        .first()
    )


def plan_action(family, action_id) -> PlanAction:
    action = PlanAction.objects.filter(plan__family=family, pk=action_id).first()
    if action is None:
        raise Http404("No such action in this family's plan")
    return action
