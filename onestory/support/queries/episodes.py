"""Reads about a family's open episode and the people who may take a part in it."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import (
    FAMILY_ROLES,
    LocalAuthority,
    Organisation,
    Role,
    RoleGrant,
    User,
)
from onestory.families.models import ACCESS_PURPOSE
from onestory.support.models import (
    LEAD_ROLES,
    ArrangedContact,
    Episode,
    Involvement,
    InvolvementRole,
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


@dataclass(frozen=True)
class SpecialistsElsewhere:
    """An organisation of the family's area whose specialists cannot be asked
    yet, and how many they are."""

    organisation: Organisation
    specialists: int


def specialists_without_consent(episode) -> list[SpecialistsElsewhere]:
    """Organisations of the family's area with specialists who cannot be asked
    because the family's consent to share with them is not recorded, each with
    how many (say which consent would let them be asked)."""
    found = (
        Organisation.objects.filter(
            local_authority_id=episode.family.local_authority_id,
            staff__is_active=True,
            staff__role_grants__role=Role.SPECIALIST,
        )
        .exclude(pk__in=reading_organisations(episode))
        .annotate(specialists=Count("staff", distinct=True))
        .order_by("name")
    )
    return [SpecialistsElsewhere(o, o.specialists) for o in found]


def arranged_contacts(episode):
    """The contacts arranged with the family still to come, soonest first."""
    return ArrangedContact.objects.filter(
        episode=episode, cancelled_at=None, starts_at__gt=timezone.now()
    ).select_related("practitioner")


def arranged_contact(family, arranged_id) -> ArrangedContact:
    arranged = (
        ArrangedContact.objects.filter(episode__family=family, pk=arranged_id)
        .select_related("episode")
        .first()
    )
    if arranged is None:
        raise Http404("No such arranged contact for this family")
    return arranged
