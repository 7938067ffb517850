"""Reads for the family's own view. An adult's pages read only through these,
each from the adult's own access (`FamilyAccess`): their family, and within it
what docs/family-view.md says an adult may see.

A sign-in link and a family session are found by the hash of their secret
before the local authority is known: on PostgreSQL the hash alone shows that
one row (its row-level security policy), which names the local authority, and
the connection is then set to it (core/tenancy.py), as for a questionnaire
link."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import User
from onestory.core import tenancy
from onestory.core.audit import FAMILY_MEMBER_ROLE
from onestory.core.models import AuditEvent
from onestory.core.roles import Role
from onestory.families.models import ACCESS_PURPOSE, Relationship, RelationshipKind
from onestory.measures import instruments
from onestory.measures import presenters as measures_presenters
from onestory.measures import queries as measures_queries
from onestory.measures.models import ReviewPoint
from onestory.parents import domain
from onestory.parents.models import (
    FamilyAccess,
    FamilySession,
    SignInLink,
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


def _by_secret(model, field: str, secret_hash: str):
    """The row whose `field` is this hash, with the connection set to its
    local authority; None for no row."""
    if tenancy.row_level_security():
        tenancy.set_tenant(None, link_token_hash=secret_hash)
        area = (
            model.objects.filter(**{field: secret_hash})
            .values_list("local_authority_id", flat=True)
            .first()
        )
        if area is None:
            return None
        tenancy.set_tenant(area, link_token_hash=secret_hash)
    return (
        model.objects.select_related(
            "access__person", "access__family__local_authority"
        )
        .filter(**{field: secret_hash})
        .first()
    )


def find_link(token: str) -> SignInLink | None:
    return _by_secret(SignInLink, "token_hash", domain.hash_secret(token))


def session_for(key: str) -> FamilySession | None:
    """The family session this cookie names, while it lasts and its adult's
    access is not paused; None otherwise."""
    if not key:
        return None
    session = _by_secret(FamilySession, "key_hash", domain.hash_secret(key))
    if session is None or session.ended_at is not None or session.access.paused:
        return None
    over = domain.session_over(
        started_at=session.started_at,
        last_seen_at=session.last_seen_at,
        now=timezone.now(),
    )
    return None if over else session


def accesses_with_address(channel: str, address: str) -> list[tuple]:
    """(access id, local authority id) of everyone given the family's own view
    with this address, in any local authority (one adult may be known to
    two). Leaves the connection set to none: each is then read with its own
    local authority set."""
    key = domain.address_key(channel, address)
    if tenancy.row_level_security():
        tenancy.set_tenant(None, link_token_hash=key)
    found = list(
        FamilyAccess.objects.filter(address_key=key, channel=channel).values_list(
            "pk", "local_authority_id"
        )
    )
    tenancy.set_tenant(None)
    return found


def access_in_area(pk, area) -> FamilyAccess:
    tenancy.set_tenant(area)
    return FamilyAccess.objects.select_related("family__local_authority").get(pk=pk)


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


def accesses_in(family) -> dict:
    """The family's adults' access to its own view, by person id (staff pages)."""
    return {
        access.person_id: access
        for access in FamilyAccess.objects.filter(family=family).select_related(
            "invited_by", "paused_by"
        )
    }


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


# How things are changing --------------------------------------------------------------


def whose_questionnaires(access) -> set:
    """The people whose questionnaires an adult sees: their own, and their
    children's where they are recorded as the child's parent or carer; never
    another adult's."""
    children = Relationship.objects.filter(
        person_id=access.person_id,
        kind__in=[RelationshipKind.PARENT_OF, RelationshipKind.CARER_OF],
    ).values_list("relative_id", flat=True)
    return {access.person_id, *children}


def progress_of(access) -> list:
    """The progress pictures (measures' own, in the family's words) of the
    questionnaires this adult may see, with the review points still to do."""
    people = whose_questionnaires(access)
    groups = {
        key: responses
        for key, responses in measures_queries.responses_by_measure(
            access.family
        ).items()
        if key[0].pk in people
    }
    outstanding = {
        key: points
        for key, points in measures_queries.outstanding_by_measure(
            access.family
        ).items()
        if key[0] in people
    }
    return measures_presenters.progress_sheets(groups, outstanding)


# Questionnaires to do -----------------------------------------------------------------

# Review points shown as to do from this many days before they are due.
DUE_WITHIN_DAYS = 14


@dataclass(frozen=True)
class ToDo:
    point: ReviewPoint
    instrument: object  # with any licensed wording (measures.queries)
    online: bool  # whether it can be filled in here, alone


def questionnaires_to_do(access) -> list[ToDo]:
    """The review points not yet done of the questionnaires this adult may
    see, due in the next two weeks or overdue, oldest first; each says
    whether it can be filled in online (some are completed together with a
    practitioner, and licensed wording must be loaded)."""
    today = timezone.localdate()
    points = (
        ReviewPoint.objects.filter(
            intervention__person_id__in=whose_questionnaires(access),
            intervention__person__family=access.family,
            completed_by__isnull=True,
            due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS),
        )
        .select_related("intervention__person")
        .order_by("due_on", "pk")
    )
    shown: dict = {}  # one read of licensed wording for each measure
    to_do = []
    for point in points:
        code = point.instrument_code
        if code not in shown:
            shown[code] = measures_queries.with_licensed_text(instruments.get(code))
        instrument = shown[code]
        to_do.append(
            ToDo(point, instrument, instrument.self_completion_refusal() is None)
        )
    return to_do


def review_point_to_do(access, point_id) -> ToDo:
    """One of the adult's questionnaires to do that can be filled in online;
    404 for any other."""
    for item in questionnaires_to_do(access):
        if item.point.pk == point_id and item.online:
            return item
    raise Http404("No such questionnaire to do")


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


# Reminders ------------------------------------------------------------------------

# A reminder goes this many days before a review point is due (and on the day).
REMIND_DAYS_BEFORE = 2


def reminders_due(today) -> list[tuple]:
    """(access, review point) for each review point due in the next
    `REMIND_DAYS_BEFORE` days, not done, that a parent can fill in alone, and
    each adult not paused who may see it (theirs, or their child's). Starts
    from the adults with the family's own view, so the review points are
    found through their people and the outstanding points' partial index
    (intervention, due_on), never by walking every review point of the
    service; a few queries, whatever its size."""
    accesses = {
        access.person_id: access
        for access in FamilyAccess.objects.filter(paused_at=None).select_related(
            "family__local_authority"
        )
    }
    adults_of: dict = {adult: {adult} for adult in accesses}
    for adult, child in Relationship.objects.filter(
        person_id__in=accesses,
        kind__in=[RelationshipKind.PARENT_OF, RelationshipKind.CARER_OF],
    ).values_list("person_id", "relative_id"):
        adults_of.setdefault(child, set()).add(adult)
    points = list(
        ReviewPoint.objects.filter(
            intervention__person_id__in=adults_of,
            completed_by__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        ).select_related("intervention")
    )
    online = {
        code: measures_queries.with_licensed_text(
            instruments.get(code)
        ).self_completion_refusal()
        is None
        for code in {point.instrument_code for point in points}
    }
    return [
        (accesses[adult], point)
        for point in points
        if online[point.instrument_code]
        for adult in sorted(adults_of[point.intervention.person_id], key=str)
    ]
