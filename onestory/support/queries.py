"""Reads about episodes and the team around a family, for a family already in scope."""

from django.db.models import Count, Q
from django.http import Http404

from onestory.accounts.models import FAMILY_ROLES, User
from onestory.families.models import ACCESS_PURPOSE
from onestory.support.models import Episode, Involvement, InvolvementRole


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
