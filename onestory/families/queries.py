"""Reads of family data. Every one starts from the access scope."""

from collections.abc import Collection
from datetime import timedelta

from django.db.models import F, OuterRef, Prefetch, Q
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from onestory.core.access import FamilyNotFound
from onestory.core.models import AuditEvent
from onestory.families import parts as contributions
from onestory.families.models import (
    BreakGlass,
    Consent,
    Family,
    Person,
    Relationship,
    StoryVersion,
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


# The parts of the record each of its pages may load, by name: the first three
# are the family's own, the others its support's (loaded by the support app:
# families/parts.py).
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
    parts = set(parts)
    scoped = (
        Family.objects.filter(pk=family_id)
        .visible_to(user, checking_each=True)
        .select_related("created_by", "created_by_organisation")
        .prefetch_related(*_prefetches(parts))
    )
    for load in contributions.contributed_record_parts():
        scoped = load(scoped, parts)
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
                    "withdrawn_by_person",
                ),
            )
        )
    return chosen


def list_caseload(user):
    """Families in which the user is currently involved, newest first: found
    from the user's involvements, each then checked against the access scope."""
    mine = contributions.contributed_caseload()
    if mine is None:
        return Family.objects.none()
    return (
        Family.objects.filter(pk__in=mine(user))
        .visible_to(user, checking_each=True)
        .prefetch_related("members")
        .order_by("-created_at", "pk")
    )


def caseload_details(user, families) -> dict:
    """What the apps about a family's support say of each family of a page of
    the user's caseload (families/parts.py), by family id: the viewer's part,
    the level, the last contact and what needs attention
    (`presenters.caseload_rows` makes them rows).

    One query for the page, whatever its size: a subquery per family of the
    page only (over the whole caseload the paginator would count them again).
    """
    of_family = OuterRef("pk")
    details: dict = {}
    for contributed in contributions.contributed_caseload_details():
        details |= contributed(user, of_family, timezone.localdate())
    return {
        row["pk"]: row
        for row in Family.objects.filter(pk__in=[family.pk for family in families])
        .annotate(**details)
        .values("pk", *details)
    }


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


def emergency_accesses(user):
    """Emergency access to families of the information governance lead's own
    area, those still to review first, then the newest."""
    return (
        BreakGlass.objects.filter(
            family__local_authority_id=user.organisation.local_authority_id
        )
        .select_related("user__organisation", "reviewed_by")
        .order_by(F("reviewed_at").asc(nulls_first=True), "-started_at")
    )


def emergency_access(user, grant_id) -> tuple[BreakGlass, list[AuditEvent]]:
    """One emergency access of the lead's own area, with what was done under
    it, in order; 404 for any other."""
    grant = get_object_or_404(emergency_accesses(user), pk=grant_id)
    events = AuditEvent.objects.filter(detail__break_glass=str(grant.pk))
    return grant, list(events.order_by("sequence"))
