"""Reads of family data. Every one starts from the access scope."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
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


def get_family_record(user, family_id) -> Family:
    """The whole record for one family, in a fixed number of queries."""
    family = (
        Family.objects.filter(pk=family_id)
        .visible_to(user, checking_each=True)
        .select_related("created_by", "created_by_organisation")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Person.objects.select_related(
                    "recorded_by", "recorded_by_organisation"
                ),
            ),
            Prefetch(
                "relationships",
                queryset=Relationship.objects.select_related("person", "relative"),
            ),
            Prefetch(
                "story_versions",
                queryset=StoryVersion.objects.select_related(
                    "written_by", "written_by_organisation"
                ),
            ),
            Prefetch(
                "consents",
                queryset=Consent.objects.select_related(
                    "organisation",
                    "given_by",
                    "recorded_by",
                    "recorded_by_organisation",
                    "withdrawn_by",
                ),
            ),
            Prefetch(
                "support_requests",
                queryset=SupportRequest.objects.select_related(
                    "to_organisation", "made_by"
                ),
            ),
            Prefetch(
                "triage_decisions",
                queryset=TriageDecision.objects.select_related("meeting", "decided_by"),
            ),
            Prefetch(
                "episodes",
                queryset=Episode.objects.filter(closed_at__isnull=True)
                .select_related("team__organisation", "team__hub")
                .prefetch_related(
                    Prefetch(
                        "involvements",
                        queryset=Involvement.objects.select_related(
                            "practitioner__organisation"
                        ).prefetch_related("practitioner__role_grants"),
                    ),
                    Prefetch(
                        "level_changes",
                        queryset=LevelChange.objects.select_related("changed_by"),
                    ),
                    Prefetch(
                        "consultations",
                        queryset=Consultation.objects.select_related(
                            "specialist", "asked_by"
                        ),
                    ),
                    Prefetch(
                        "contacts",
                        queryset=Contact.objects.select_related(
                            "practitioner", "recorded_by"
                        ).order_by("-occurred_at"),
                    ),
                ),
                to_attr="open_episodes",
            ),
        )
        .first()
    )
    if family is None:
        raise FamilyNotFound(family_id)
    return family


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

    Seven queries for the page, whatever its size: per-row subqueries over the
    whole caseload would be counted again by the paginator.
    """
    ids = [family.pk for family in families]
    today = timezone.localdate()
    roles = dict(
        Involvement.objects.filter(
            practitioner=user, ended_at=None, episode__family__in=ids
        ).values_list("episode__family_id", "role")
    )
    levels = {}
    for family_id, level in (
        LevelChange.objects.filter(episode__family__in=ids, episode__closed_at=None)
        .order_by("changed_at", "id")
        .values_list("episode__family_id", "to_level")
    ):
        levels[family_id] = level  # the latest wins
    risks, due = set(), {}
    # Risk answers and reviews are clinical: not for peer support workers.
    if user.sees_clinical_information:
        risks = set(
            QuestionnaireResponse.objects.with_open_risk()
            .filter(person__family__in=ids)
            .values_list("person__family_id", flat=True)
        )
        for family_id, due_on in ReviewPoint.objects.filter(
            intervention__person__family__in=ids,
            completed_by=None,
            due_on__lte=today + REVIEW_SOON,
        ).values_list("intervention__person__family_id", "due_on"):
            due[family_id] = min(due_on, due.get(family_id, due_on))
    actions_due = set(
        PlanAction.objects.filter(
            plan__family__in=ids, done_at=None, due_on__lte=today + REVIEW_SOON
        ).values_list("plan__family_id", flat=True)
    )
    awaiting_advice = set(
        Consultation.objects.filter(
            episode__family__in=ids, episode__closed_at=None, answered_at=None
        ).values_list("episode__family_id", flat=True)
    )
    quiet_since = timezone.now() - timedelta(days=settings.NO_CONTACT_DAYS)
    recently_seen = set(
        Contact.objects.filter(
            episode__family__in=ids,
            attendance__in=ATTENDED,
            occurred_at__gte=quiet_since,
        ).values_list("episode__family_id", flat=True)
    )
    for family in families:
        family.plan_actions_due = family.pk in actions_due
        family.awaiting_advice = family.pk in awaiting_advice
        family.no_recent_contact = (
            family.pk not in recently_seen and family.created_at < quiet_since
        )
        family.my_role = roles.get(family.pk)
        family.level = levels.get(family.pk, "")
        family.open_risk = family.pk in risks
        family.review_overdue = family.pk in due and due[family.pk] < today
        family.review_due = family.pk in due and due[family.pk] >= today


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
