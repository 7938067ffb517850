"""Reach, waits, episode completion and triage (domain.md §8.1, 8.2, 8.3, 8.6);
peer support is in `peer_support`."""

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
)

from onestory.insights.domain import Figure, percent
from onestory.insights.queries import (
    ATTENDED,
    Day,
    Scope,
    local_day,
    percentiles,
)

INTERVENTION = "intervention"
DID_NOT_ATTEND = "did_not_attend"
CLOSED_REQUEST = ("declined", "withdrawn")


def reach(scope: Scope) -> list[Figure]:
    from onestory.families.models import Person
    from onestory.support.models import Episode

    contacts = scope.attended_contacts()
    families = contacts.values("episode__family")
    reached = contacts.aggregate(n=Count("episode__family", distinct=True))["n"]
    # The level is looked up once per episode seen, not once per contact.
    by_level = (
        Episode.objects.filter(pk__in=contacts.values("episode"))
        .annotate(level=scope.level_at_end())
        .values("level")
        .annotate(n=Count("family", distinct=True))
        .order_by("level")
    )
    people = (
        Person.objects.filter(family__in=families)
        .values("role")
        .annotate(n=Count("pk"))
        .order_by("role")
    )
    return [
        Figure(
            "R1",
            "Families reached",
            reached,
            "Different families with at least one attended contact (attended, or "
            "late but seen) in the period.",
            breakdown=tuple(
                (row["level"], Figure("R1", row["level"], row["n"], ""))
                for row in sorted(by_level, key=_level_order)
            ),
        ),
        _share_reached(scope, reached),
        Figure(
            "R2",
            "People in the families reached",
            sum(row["n"] for row in people),
            "Everyone recorded in a family reached (R1), by their part in the "
            "family. Contacts are recorded with the family, not each person.",
            breakdown=tuple(
                (row["role"], Figure("R2", row["role"], row["n"], "")) for row in people
            ),
        ),
        _new_requests(scope),
        _open_caseload(scope),
    ]


def _level_order(row) -> int:
    """Universal, targeted, specialist; anything else after."""
    from onestory.support.models import Level

    return Level.values.index(row["level"]) if row["level"] in Level.values else 9


def requests(scope: Scope):
    """Requests for support in the scope: to the chosen organisation, or for
    families with an episode in the chosen hub, team, level or programme."""
    from onestory.support.models import SupportRequest

    found = SupportRequest.objects.filter(
        family__local_authority=scope.local_authority_id
    )
    if scope.organisation_id:
        found = found.filter(to_organisation=scope.organisation_id)
    if scope.hub_id or scope.team_id or scope.level or scope.programme_id:
        found = found.filter(family__in=scope.families())
    if scope.group:
        found = found.filter(family__in=scope.group_families())
    return found


def _new_requests(scope: Scope) -> Figure:
    received = requests(scope).filter(
        received_on__gte=scope.period.start, received_on__lt=scope.end_day
    )
    by_source = received.values("source").annotate(n=Count("pk")).order_by("source")
    return Figure(
        "R3",
        "New requests for support",
        sum(row["n"] for row in by_source),
        "Requests for support (referrals, self-referrals and step-ups) received "
        "in the period, by who made them.",
        breakdown=tuple(
            (row["source"], Figure("R3", row["source"], row["n"], ""))
            for row in by_source
        ),
    )


def open_at_end(scope: Scope):
    return (
        scope.episodes()
        .filter(opened_at__lt=scope.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=scope.end))
    )


def _open_caseload(scope: Scope) -> Figure:
    from onestory.support.models import Contact

    seen = Contact.objects.filter(
        episode=OuterRef("pk"), attendance__in=ATTENDED, occurred_at__lt=scope.end
    )
    count = open_at_end(scope).filter(Exists(seen)).count()
    return Figure(
        "R4",
        "Open caseload at the end of the period",
        count,
        "Episodes open at the end of the period with at least one attended "
        "contact since they opened (the Mental Health Services Data Set's "
        "caseload).",
    )


def ended(scope: Scope):
    """Episodes ended in the period, with their attended intervention sessions."""
    return (
        scope.episodes()
        .filter(closed_at__gte=scope.start, closed_at__lt=scope.end)
        .annotate(
            sessions=Count(
                "contacts",
                filter=Q(
                    contacts__attendance__in=ATTENDED,
                    contacts__purpose=INTERVENTION,
                ),
            )
        )
    )


def completed(scope: Scope):
    """E1: ended in the period with at least 2 attended intervention sessions
    (the NHS Talking Therapies 'finished a course of treatment')."""
    return ended(scope).filter(sessions__gte=2)


def completion(scope: Scope) -> list[Figure]:
    from onestory.support.models import ClosureReason, Contact

    counts = ended(scope).aggregate(
        ended=Count("pk"),
        none=Count("pk", filter=Q(sessions=0)),
        one=Count("pk", filter=Q(sessions=1)),
        done=Count("pk", filter=Q(sessions__gte=2)),
    )
    reasons = (
        scope.episodes()
        .filter(closed_at__gte=scope.start, closed_at__lt=scope.end)
        .values("closure_reason")
        .annotate(n=Count("pk"))
        .order_by("closure_reason")
    )
    booked = Contact.objects.filter(
        episode__in=scope.episodes().values("pk"),
        occurred_at__gte=scope.start,
        occurred_at__lt=scope.end,
    ).aggregate(all=Count("pk"), dna=Count("pk", filter=Q(attendance=DID_NOT_ATTEND)))
    labels = dict(ClosureReason.choices)
    total = counts["ended"]
    return [
        Figure(
            "E1",
            "Completed episodes",
            percent(counts["done"], total),
            "Episodes ended in the period with at least 2 attended intervention "
            "sessions, out of all episodes ended in the period.",
            numerator=counts["done"],
            denominator=total,
            unit="percent",
        ),
        Figure(
            "E2",
            "Ended before any intervention session",
            percent(counts["none"], total),
            "Episodes ended in the period with no attended intervention session.",
            numerator=counts["none"],
            denominator=total,
            unit="percent",
        ),
        Figure(
            "E3",
            "Ended after one intervention session",
            percent(counts["one"], total),
            "Episodes ended in the period with exactly one attended intervention "
            "session.",
            numerator=counts["one"],
            denominator=total,
            unit="percent",
        ),
        Figure(
            "E4",
            "Why episodes ended",
            total,
            "Episodes ended in the period, by the reason recorded when closing.",
            breakdown=tuple(
                (
                    labels.get(row["closure_reason"], "Not recorded"),
                    Figure("E4", row["closure_reason"], row["n"], ""),
                )
                for row in reasons
            ),
        ),
        Figure(
            "E5",
            "Did not attend",
            percent(booked["dna"], booked["all"]),
            "Contacts in the period recorded as 'did not attend', out of all "
            "contacts booked in the period (whatever happened to them).",
            numerator=booked["dna"],
            denominator=booked["all"],
            unit="percent",
        ),
    ]


def triage(scope: Scope) -> list[Figure]:
    from onestory.support.models import SupportRequest, TriageDecision

    decisions = TriageDecision.objects.filter(
        family__local_authority=scope.local_authority_id,
        decided_at__gte=scope.start,
        decided_at__lt=scope.end,
    )
    if scope.narrowed:
        decisions = decisions.filter(family__in=scope.families())
    discussed = decisions.aggregate(n=Count("family", distinct=True))["n"]
    mix = decisions.values("outcome").annotate(n=Count("pk")).order_by("outcome")
    days = (
        SupportRequest.objects.filter(decision__in=decisions.values("pk"))
        .annotate(days=local_day("decision__decided_at") - Day("received_on"))
        .values_list("days")
    )
    count, (median,) = percentiles(days, points=(50,))
    return [
        Figure(
            "T1",
            "Families discussed at triage",
            discussed,
            "Different families with a triage decision in the period.",
            breakdown=tuple(
                (row["outcome"], Figure("T1", row["outcome"], row["n"], ""))
                for row in mix
            ),
        ),
        Figure(
            "T1 days",
            "Days from request to triage decision: median",
            median,
            "For requests decided at triage in the period: days from the request "
            "being received to the decision.",
            denominator=count,
            unit="days",
        ),
    ]


def _share_reached(scope: Scope, reached: int) -> Figure:
    from onestory.accounts.models import LocalAuthority

    eligible = (
        LocalAuthority.objects.filter(pk=scope.local_authority_id)
        .values_list("eligible_families", flat=True)
        .first()
    )
    definition = (
        "Families reached (R1) out of the area's Start for Life population: "
        "births in the last 24 months plus current pregnancies, as an "
        "administrator has entered it for the local authority."
    )
    if not eligible or scope.narrowed:
        why = (
            "The population is for the whole area, so no share is given for a "
            "part of the service."
            if eligible
            else "No Start for Life population has been entered for the area."
        )
        return Figure("R1 share", "Share of the area's families reached", None,
                      definition, note=why)  # fmt: skip
    return Figure(
        "R1 share",
        "Share of the area's families reached",
        percent(reached, eligible),
        definition,
        numerator=reached,
        denominator=eligible,
        unit="percent",
    )
