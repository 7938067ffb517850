"""What an adult reads of the family's record: its story and suggestions,
the plan, who can see the record and who has opened it, and what is coming
up; each from the adult's own access, within what docs/family-view.md says an
adult may see."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import User
from onestory.core.audit import FAMILY_MEMBER_ROLE
from onestory.core.models import AuditEvent
from onestory.core.roles import Role
from onestory.families.models import ACCESS_PURPOSE
from onestory.parents import domain
from onestory.parents.models import (
    StorySuggestion,
    SuggestionStatus,
)
from onestory.programmes.models import CourseSession, PlaceStatus
from onestory.support.models import (
    ATTENDED,
    ArrangedContact,
    Contact,
    Involvement,
    InvolvementRole,
    Plan,
    PlanAction,
)
from onestory.support.queries import who_to_contact


def lead_now(family):
    """The lead practitioner of the family's open episode, or None."""
    involvement = (
        Involvement.objects.filter(
            episode__family=family,
            episode__closed_at=None,
            role=InvolvementRole.LEAD,
            ended_at=None,
        )
        .select_related("practitioner__organisation")
        .first()
    )
    return involvement.practitioner if involvement else None


def latest_story(family):
    return family.story_versions.order_by("-number").first()


def suggestions_of(family):
    """The family's suggestions for its story, newest first: every adult in
    the family sees them all (the story is the family's, shared)."""
    return StorySuggestion.objects.filter(family=family).select_related("suggested_by")


def waiting_suggestions(family):
    return suggestions_of(family).filter(status=SuggestionStatus.WAITING)


# The family's plan ------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """An action in the plan as an adult sees it: who will do it in words they
    may be shown, and whether the family may mark it done."""

    action: PlanAction
    who: str
    familys: bool


def plan_of(family):
    """The family's plan with its goals and actions, and the rows of its
    actions (`ActionRow`); (None, []) before there is one."""
    plan = (
        Plan.objects.filter(family=family)
        .prefetch_related(
            "goals",
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related("done_by_person"),
            ),
        )
        .first()
    )
    if plan is None:
        return None, []
    actions = list(plan.actions.all())
    staff = _staff_named(action.owner for action in actions)
    lead = lead_now(family)
    lead_name = lead.full_name if lead else ""
    return plan, [
        ActionRow(
            action,
            domain.action_owner_in_words(
                action.owner, lead_name=lead_name, staff_names=staff
            ),
            domain.is_familys_action(action.owner, staff_names=staff),
        )
        for action in actions
    ]


def _staff_named(owners) -> set[str]:
    """Which of these owners are the names of members of staff (one query)."""
    said = {owner.strip().lower() for owner in owners if owner.strip()}
    if not said:
        return set()
    return set(
        User.objects.annotate(name=Lower("full_name"))
        .filter(name__in=said)
        .values_list("name", flat=True)
    )


def familys_action(family, action_id) -> ActionRow:
    """One action of the family's plan, for marking done: 404 for any other
    family's, or none."""
    _plan, rows = plan_of(family)
    for row in rows:
        if str(row.action.pk) == str(action_id):
            return row
    raise Http404("No such action in your plan")


# Who can see the record, and who has opened it ----------------------------------------


@dataclass(frozen=True)
class Sharing:
    """An organisation that may see the family's record, and why."""

    organisation: str
    why: str
    consent: object = None  # the consent they may withdraw, if it rests on one


def who_can_see(family) -> list[Sharing]:
    """The organisation supporting the family (its open episode's team), then
    each organisation the family has agreed to share with, and what for."""
    sharing = []
    supporting = (
        Involvement.objects.filter(
            episode__family=family, episode__closed_at=None, ended_at=None
        )
        .select_related("episode__team__organisation")
        .first()
    )
    if supporting is not None:
        organisation = supporting.episode.team.organisation
        sharing.append(
            Sharing(
                str(organisation),
                "It supports your family: your practitioner works there",
            )
        )
    for consent in family.consents.standing().select_related("organisation"):
        why = (
            "You agreed it may see your family's record, to work with your practitioner"
            if consent.purpose == ACCESS_PURPOSE
            else f"You agreed: {consent.get_purpose_display().lower()}"
        )
        sharing.append(Sharing(str(consent.organisation), why, consent))
    return sharing


def standing_consent(family, consent_id):
    """One of the family's standing consents, for withdrawing: 404 otherwise."""
    consent = (
        family.consents.standing()
        .select_related("organisation", "given_by")
        .filter(pk=consent_id)
        .first()
    )
    if consent is None:
        raise Http404("No such consent")
    return consent


@dataclass(frozen=True)
class Opening:
    """One entry of who has opened the record, in plain words."""

    when: object
    who: str
    what: str
    refused: bool


def openings(family):
    """Who has opened or changed the family's record, newest first, from the
    audit trail: staff by role and organisation (never by name), the family's
    own adults by first name. A queryset of events, for a paginator; `in_words`
    turns a page of it into `Opening`s."""
    return AuditEvent.objects.filter(family_id=family.pk).select_related(
        "actor_organisation"
    )


def in_words(events, members) -> list[Opening]:
    names = {
        str(person.pk): person.given_name or person.full_name for person in members
    }
    rows = []
    for event in events:
        if event.actor_roles == FAMILY_MEMBER_ROLE:
            name = names.get(event.detail.get("family_member"), "Someone")
            who = f"{name}, in your family"
        elif event.actor_id is not None:
            who = _role_and_organisation(event)
        else:
            who = "onestory itself"
        rows.append(
            Opening(
                event.occurred_at,
                who,
                event.get_action_display(),
                event.outcome == "refused",
            )
        )
    return rows


def _role_and_organisation(event) -> str:
    roles = [r for r in event.actor_roles.split(",") if r in Role.values]
    role = str(Role(roles[0]).label).lower() if roles else "member of staff"
    article = "An" if role[:1] in "aeiou" else "A"
    where = f" at {event.actor_organisation}" if event.actor_organisation else ""
    return f"{article} {role}{where}"


# Coming up ----------------------------------------------------------------------------


def coming_up(access) -> dict:
    """What is next for the family: the contacts arranged with them (their own
    practitioner by name, anyone else as "someone in your team"), the course
    sessions booked for anyone in it, the plan's next review, their last
    contact with the team, and who to contact and how (the same as their
    printed sheets)."""
    family = access.family
    now = timezone.now()
    sessions = (
        CourseSession.objects.filter(
            course__places__person__family=family,
            course__places__status=PlaceStatus.BOOKED,
            starts_at__gte=now,
            cancelled=False,
        )
        .select_related("course__programme")
        .distinct()
        .order_by("starts_at")[:10]
    )
    last_contact = (
        Contact.objects.filter(episode__family=family, attendance__in=ATTENDED)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    review_on = (
        Plan.objects.filter(family=family, review_on__gte=timezone.localdate())
        .values_list("review_on", flat=True)
        .first()
    )
    contact = who_to_contact(family)
    lead = contact["lead"]
    arranged = [
        (
            arranged,
            arranged.practitioner.full_name
            if lead is not None and arranged.practitioner_id == lead.pk
            else "someone in your team",
        )
        for arranged in ArrangedContact.objects.filter(
            episode__family=family, cancelled_at=None, starts_at__gt=now
        ).select_related("practitioner")[:5]
    ]
    return {
        "arranged": arranged,
        "sessions": list(sessions),
        "last_contact": last_contact,
        "review_on": review_on,
        **contact,
    }
