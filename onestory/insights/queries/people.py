"""Workforce (R6 and supervision), feedback, and equity breakdowns."""

from datetime import timedelta

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from onestory.accounts.models import Role
from onestory.insights import domain
from onestory.insights.domain import AGE_BANDS, Figure, born_after, percent
from onestory.insights.queries import Scope

SUPERVISED_ROLES = (Role.PRACTITIONER, Role.SPECIALIST, Role.PEER_SUPPORT_WORKER)


def staff(scope: Scope):
    from onestory.accounts.models import User

    found = User.objects.filter(
        is_active=True, organisation__local_authority=scope.local_authority_id
    )
    if scope.organisation_id:
        found = found.filter(organisation=scope.organisation_id)
    if scope.team_id:
        found = found.filter(teams=scope.team_id)
    if scope.hub_id:
        found = found.filter(teams__hub=scope.hub_id)
    return found


def workforce(scope: Scope) -> list[Figure]:
    from onestory.workforce.models import Supervision, TrainingRecord

    last_day = scope.last_day
    people = staff(scope).values("pk")
    records = TrainingRecord.objects.filter(
        user__in=people,
        course__accredits=True,
        status="completed",
        verified_at__isnull=False,
        completed_on__lte=last_day,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=last_day))
    current = (
        records.values("course__name")
        .annotate(n=Count("user", distinct=True))
        .order_by("course__name")
    )
    # Someone holding two accreditations is one member of staff, not two.
    holders = records.aggregate(n=Count("user", distinct=True))["n"]
    from onestory.accounts.models import User

    supervised = User.objects.filter(
        pk__in=staff(scope).filter(role_grants__role__in=SUPERVISED_ROLES).values("pk")
    )
    recent = Supervision.objects.filter(
        supervisee=OuterRef("pk"),
        held_on__lte=last_day,
        held_on__gte=last_day - timedelta(weeks=settings.SUPERVISION_EVERY_WEEKS),
    )
    on_time = supervised.annotate(seen=Exists(recent)).aggregate(
        all=Count("pk"), on_time=Count("pk", filter=Q(seen=True))
    )
    return [
        Figure(
            "R6",
            "Staff with a current accreditation",
            holders,
            "Different staff holding at least one accreditation at the end of the "
            "period (completed, confirmed by a team manager, and not expired), "
            "and how many hold each.",
            breakdown=tuple(
                (row["course__name"], Figure("R6", row["course__name"], row["n"], ""))
                for row in current
            ),
        ),
        Figure(
            "Supervision",
            "Supervision on time",
            percent(on_time["on_time"], on_time["all"]),
            "Practitioners, specialists and peer support workers whose last "
            "supervision was within "
            f"{settings.SUPERVISION_EVERY_WEEKS} weeks of the period's last day.",
            numerator=on_time["on_time"],
            denominator=on_time["all"],
            unit="percent",
        ),
    ]


def feedback(scope: Scope) -> list[Figure]:
    from onestory.programmes.models import Feedback

    given = Feedback.objects.filter(
        hub__organisation__local_authority=scope.local_authority_id,
        given_at__gte=scope.start,
        given_at__lt=scope.end,
    )
    if scope.hub_id:
        given = given.filter(hub=scope.hub_id)
    if scope.programme_id:
        given = given.filter(programme=scope.programme_id)
    summary = given.aggregate(
        n=Count("pk"), rated=Count("rating"), rating=Avg("rating")
    )
    themes = (
        given.filter(themes__isnull=False)
        .values("themes__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "themes__name")
    )
    return [
        Figure(
            "F1",
            "Feedback from families",
            summary["n"],
            "Feedback given in the period, online or in person, by theme (one "
            "piece of feedback can have several themes).",
            breakdown=tuple(
                (row["themes__name"], Figure("F1", row["themes__name"], row["n"], ""))
                for row in themes
            ),
        ),
        Figure(
            "F1 rating",
            "Average rating",
            summary["rating"],
            "The mean of the ratings given (1 to 5) in the period, where given.",
            denominator=summary["rated"],
            unit="mean",
        ),
    ]


def equity(scope: Scope) -> list[Figure]:
    """Families reached (R1) by the youngest parent or carer's age at the end
    of the period, and by whether a parent or carer's preferred language is not
    English."""
    from onestory.families.models import Family, Person
    from onestory.insights.models import AreaDeprivation

    last_day = scope.last_day
    reached = Family.objects.filter(
        pk__in=scope.attended_contacts().values("episode__family")
    )
    whens = [
        When(date_of_birth__gt=born_after(last_day, years), then=Value(label))
        for label, years in AGE_BANDS
        if years is not None
    ]
    band = Case(
        When(date_of_birth__isnull=True, then=Value("Not recorded")),
        *whens,
        default=Value(AGE_BANDS[-1][0]),
        output_field=CharField(),
    )
    # The band is worked out inside the subquery, once per family: a CASE over
    # the subquery's result would run the subquery once per WHEN.
    youngest_band = Subquery(
        Person.objects.filter(family=OuterRef("pk"), role="parent_carer")
        .annotate(band=band)
        .order_by(F("date_of_birth").desc(nulls_last=True))
        .values("band")[:1]
    )
    other_language = Person.objects.filter(
        family=OuterRef("pk"), role="parent_carer"
    ).exclude(preferred_language__iexact="English")
    lookup = AreaDeprivation.objects.exists()
    decile = Subquery(
        AreaDeprivation.objects.filter(postcode=OuterRef("postcode")).values(
            "imd_decile"
        )[:1]
    )
    # The families reached are read once, counted in the database by age band,
    # language and (with a lookup) decile together: a few dozen groups at most,
    # added up here into each breakdown.
    keys = ("band", "eal", *(("decile",) if lookup else ()))
    groups = (
        reached.annotate(
            band=Coalesce(youngest_band, Value("Not recorded")),
            eal=Exists(other_language),
            **({"decile": decile} if lookup else {}),
        )
        .values(*keys)
        .annotate(n=Count("pk"))
        .values_list(*keys, "n")
    )
    by_age: dict = {}
    by_decile: dict = {}
    languages = {"other": 0, "all": 0}
    for band, eal, *found, n in groups:
        by_age[band] = by_age.get(band, 0) + n
        languages["all"] += n
        languages["other"] += n if eal else 0
        if lookup:
            by_decile[found[0]] = by_decile.get(found[0], 0) + n
    labels = [label for label, _ in AGE_BANDS] + ["Not recorded"]
    return [
        *_parents(reached),
        *_by_deprivation(by_decile if lookup else None),
        Figure(
            "R1 age",
            "Families reached, by the youngest parent's age",
            sum(by_age.values()),
            "Families reached (R1), by the age at the end of the period of the "
            "youngest parent or carer.",
            breakdown=tuple(
                (label, Figure("R1 age", label, by_age.get(label, 0), ""))
                for label in labels
            ),
        ),
        Figure(
            "R1 language",
            "Families reached where a parent's first language is not English",
            percent(languages["other"], languages["all"]),
            "Families reached (R1) with a parent or carer whose preferred language "
            "is not English, out of all families reached.",
            numerator=languages["other"],
            denominator=languages["all"],
            unit="percent",
        ),
    ]


QUINTILES = (
    (1, "Quintile 1 (most deprived)"),
    (2, "Quintile 2"),
    (3, "Quintile 3"),
    (4, "Quintile 4"),
    (5, "Quintile 5 (least deprived)"),
)
NOT_IN_LOOKUP = "Postcode not in the lookup"


def _by_deprivation(by_decile: dict | None) -> list[Figure]:
    """Families reached by the deprivation quintile of their postcode's area,
    when an administrator has loaded an area lookup (`by_decile`: the families
    reached by decile, None for no lookup)."""
    title = "Families reached, by deprivation"
    definition = (
        "Families reached (R1) by the Index of Multiple Deprivation quintile of "
        "the area (LSOA) their postcode is in, from the area lookup."
    )
    if by_decile is None:
        return [
            Figure(
                "R1 deprivation",
                title,
                None,
                definition,
                note="No area lookup is loaded. An administrator loads one with "
                "python -m onestory load_deprivation (see docs/insights.md).",
            )
        ]
    names = dict(QUINTILES)
    counts: dict = {}
    for found, n in by_decile.items():
        label = NOT_IN_LOOKUP if found is None else names[domain.quintile(found)]
        counts[label] = counts.get(label, 0) + n
    labels = [label for _, label in QUINTILES] + [NOT_IN_LOOKUP]
    return [
        Figure(
            "R1 deprivation",
            title,
            sum(counts.values()),
            definition,
            breakdown=tuple(
                (label, Figure("R1 deprivation", label, counts.get(label, 0), ""))
                for label in labels
            ),
        )
    ]


NOT_ASKED = "Not asked yet"


def _parents(reached) -> list[Figure]:
    """Parents and carers in the families reached, by which parent they are and
    by broad ethnic group."""
    from onestory.families.models import ETHNIC_GROUPS, ParentRole, Person

    parents = Person.objects.filter(
        family__in=reached.values("pk"), role="parent_carer"
    )
    group = Case(
        *[
            When(ethnic_category__in=list(letters), then=Value(label))
            for label, letters in ETHNIC_GROUPS.values()
        ],
        default=Value(NOT_ASKED),
        output_field=CharField(),
    )
    # One read of the parents, counted by which parent and ethnic group
    # together (30 groups at most), added up into the two breakdowns.
    roles: dict = {}
    groups: dict = {}
    for role, label, n in (
        parents.annotate(group=group)
        .values("parent_role", "group")
        .annotate(n=Count("pk"))
        .values_list("parent_role", "group", "n")
    ):
        roles[role] = roles.get(role, 0) + n
        groups[label] = groups.get(label, 0) + n
    role_labels = [*ParentRole.choices, ("", "Not recorded")]
    group_labels = [label for label, _ in ETHNIC_GROUPS.values()] + [NOT_ASKED]
    return [
        Figure(
            "R2 parents",
            "Parents and carers in the families reached, by which parent",
            sum(roles.values()),
            "Parents and carers in the families reached (R1): mothers, fathers and "
            "partners (in scope of Start for Life support in their own right), and "
            "other carers.",
            breakdown=tuple(
                (label, Figure("R2 parents", label, roles.get(key, 0), ""))
                for key, label in role_labels
            ),
        ),
        Figure(
            "R2 ethnic group",
            "Parents and carers in the families reached, by ethnic group",
            sum(groups.values()),
            "Parents and carers in the families reached (R1), by the broad group of "
            "their NHS ethnic category, as they describe it.",
            breakdown=tuple(
                (label, Figure("R2 ethnic group", label, groups.get(label, 0), ""))
                for label in group_labels
            ),
        ),
    ]
