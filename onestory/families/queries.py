"""Reads of family data. Every one starts from the access scope."""

from collections.abc import Collection
from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from onestory.core.access import FamilyNotFound
from onestory.families.models import Consent, Family, Person, Relationship, StoryVersion
from onestory.measures.models import QuestionnaireResponse, ReviewPoint
from onestory.support.models import (
    ATTENDED,
    Consultation,
    Contact,
    Episode,
    Involvement,
    LevelChange,
    PlanAction,
    SupportRequest,
    TriageDecision,
)

# Review points due within this many days show as "due" on the caseload.
REVIEW_SOON = timedelta(days=7)


def get_visible_family(user, family_id) -> Family:
    family = (
        Family.objects.filter(pk=family_id).visible_to(user, checking_each=True).first()
    )
    if family is None:
        raise FamilyNotFound(family_id)
    return family


# The parts of the record each of its pages may load, by name.
MEMBERS, STORY, CONSENTS, REQUESTS, TRIAGE, TEAM, CONTACTS, PLAN = (
    "members",
    "story",
    "consents",
    "requests",
    "triage",
    "team",
    "contacts",
    "plan",
)
WHOLE_RECORD = frozenset({MEMBERS, STORY, CONSENTS, REQUESTS, TRIAGE, TEAM, CONTACTS})


def get_family_record(user, family_id, parts: Collection[str] = WHOLE_RECORD) -> Family:
    """The record for one family, in a fixed number of queries: the whole of it,
    or only the named parts a page of it shows (its members always, for its
    name). CONTACTS implies TEAM: the open episodes with their contacts and
    their practitioners' roles, as the Support page shows them."""
    scoped = (
        Family.objects.filter(pk=family_id)
        .visible_to(user, checking_each=True)
        .select_related("created_by", "created_by_organisation")
        .prefetch_related(*_prefetches(set(parts)))
    )
    if PLAN in parts:
        scoped = scoped.select_related("plan").prefetch_related(
            Prefetch(
                "plan__actions",
                queryset=PlanAction.objects.filter(done_at__isnull=True),
                to_attr="open_actions",
            )
        )
    family = scoped.first()
    if family is None:
        raise FamilyNotFound(family_id)
    return family


def _prefetches(parts: set[str]) -> list[Prefetch]:
    chosen: list[Prefetch] = [
        Prefetch(
            "members",
            queryset=Person.objects.select_related(
                "recorded_by", "recorded_by_organisation"
            ),
        )
    ]
    if MEMBERS in parts:
        chosen.append(
            Prefetch(
                "relationships",
                queryset=Relationship.objects.select_related("person", "relative"),
            )
        )
    if STORY in parts:
        chosen.append(
            Prefetch(
                "story_versions",
                queryset=StoryVersion.objects.select_related(
                    "written_by", "written_by_organisation"
                ),
            )
        )
    if CONSENTS in parts:
        chosen.append(
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related(
                    "organisation",
                    "given_by",
                    "recorded_by",
                    "recorded_by_organisation",
                    "withdrawn_by",
                ),
            )
        )
    if REQUESTS in parts:
        chosen.append(
            Prefetch(
                "support_requests",
                queryset=SupportRequest.objects.select_related(
                    "to_organisation", "made_by"
                ),
            )
        )
    if TRIAGE in parts:
        chosen.append(
            Prefetch(
                "triage_decisions",
                queryset=TriageDecision.objects.select_related("meeting", "decided_by"),
            )
        )
    if parts & {TEAM, CONTACTS}:
        chosen.append(_open_episodes(with_contacts=CONTACTS in parts))
    return chosen


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


def list_caseload(user):
    """Families in which the user is currently involved, newest first: found
    from the user's involvements, each then checked against the access scope."""
    mine = Involvement.objects.filter(
        practitioner=user, ended_at__isnull=True, episode__closed_at__isnull=True
    ).values("episode__family_id")
    return (
        Family.objects.filter(pk__in=mine)
        .visible_to(user, checking_each=True)
        .prefetch_related("members")
        .order_by("-created_at", "pk")
    )


def caseload_details(user, families) -> None:
    """Set my_role, level and what needs attention on a page of families.

    One query for the page, whatever its size: a subquery per family of the
    page only (over the whole caseload the paginator would count them again).
    """
    today = timezone.localdate()
    of_family = OuterRef("pk")
    quiet_since = timezone.now() - timedelta(days=settings.NO_CONTACT_DAYS)
    details = {
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
                plan__family=of_family, done_at=None, due_on__lte=today + REVIEW_SOON
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
    # Risk answers and reviews are clinical: not for peer support workers.
    if user.sees_clinical_information:
        details["open_risk"] = Exists(
            QuestionnaireResponse.objects.with_open_risk().filter(
                person__family=of_family
            )
        )
        # Through the outstanding points' partial index, per intervention.
        details["next_review"] = Subquery(
            ReviewPoint.objects.filter(
                intervention__person__family=of_family,
                completed_by=None,
                due_on__lte=today + REVIEW_SOON,
            )
            .order_by("due_on")
            .values("due_on")[:1]
        )
    rows = {
        row["pk"]: row
        for row in Family.objects.filter(pk__in=[family.pk for family in families])
        .annotate(**details)
        .values("pk", *details)
    }
    for family in families:
        row = rows.get(family.pk, {})
        due = row.get("next_review")
        family.plan_actions_due = bool(row.get("plan_actions_due"))
        family.awaiting_advice = bool(row.get("awaiting_advice"))
        family.last_seen = row.get("last_seen")
        family.no_recent_contact = (family.last_seen or family.created_at) < quiet_since
        family.my_role = row.get("my_role")
        family.level = row.get("level") or ""
        family.open_risk = bool(row.get("open_risk"))
        family.review_overdue = due is not None and due < today
        family.review_due = due is not None and due >= today


def search_people(user, *, name="", date_of_birth=None, nhs_number="", postcode=""):
    """People in families the user may see, matching every criterion given."""
    people = Person.objects.visible_to(user).select_related("family")
    if name:
        people = people.annotate(
            given_lower=Lower("given_name"), family_lower=Lower("family_name")
        )
    for word in name.lower().split():
        people = people.filter(
            Q(given_lower__startswith=word) | Q(family_lower__startswith=word)
        )
    if date_of_birth:
        people = people.filter(date_of_birth=date_of_birth)
    if nhs_number:
        people = people.filter(nhs_number=nhs_number)
    if postcode:
        people = people.filter(family__postcode=postcode)
    return people.order_by("family_name", "given_name", "pk")
