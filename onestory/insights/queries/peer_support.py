"""Peer support: courses and groups run, who came, and who had peer support
beside their other work (domain.md §8.6)."""

from django.db.models import Count, Max, Sum
from django.db.models.functions import Coalesce

from onestory.insights.domain import Figure, percent
from onestory.insights.queries import ATTENDED, Scope, run


def peer_support(scope: Scope) -> list[Figure]:
    from onestory.programmes.models import Attendance, CourseSession

    sessions = CourseSession.objects.filter(
        course__hub__organisation__local_authority=scope.local_authority_id,
        course__programme__delivery="drop_in",
        cancelled=False,
        starts_at__gte=scope.start,
        starts_at__lt=scope.end,
    )
    if scope.hub_id:
        sessions = sessions.filter(course__hub=scope.hub_id)
    if scope.programme_id:
        sessions = sessions.filter(course__programme=scope.programme_id)
    marks = Attendance.objects.filter(session__in=sessions, mark__in=ATTENDED)
    held = sessions.aggregate(n=Count("pk"), heads=Coalesce(Sum("head_count"), 0))
    families = marks.aggregate(
        n=Count("pk"), families=Count("place__person__family", distinct=True)
    )
    return [
        *_with_peer_support(scope),
        Figure(
            "P1 sessions",
            "Peer support sessions held",
            held["n"],
            "Sessions of drop-in peer support groups in the period, not cancelled.",
        ),
        Figure(
            "P1 attendances",
            "Attendances at peer support",
            families["n"] + held["heads"],
            "Named attendances (attended or late) plus anonymous head counts.",
        ),
        Figure(
            "P1 families",
            "Families at peer support",
            families["families"],
            "Different families with a named attendance at a peer support session "
            "in the period (anonymous head counts cannot be counted here).",
        ),
    ]


def _with_peer_support(scope: Scope) -> list[Figure]:
    from onestory.programmes.models import Attendance
    from onestory.support.models import Episode

    episodes = Episode.objects.filter(
        pk__in=scope.attended_contacts().values("episode")
    ).values_list("family_id", "opened_at")
    # Each family's latest attended drop-in session before the end of the
    # period, grouped once: the episode includes peer support when that came on
    # or after it opened. (An EXISTS per episode walked every family member's
    # places for each of them.)
    latest = (
        Attendance.objects.filter(
            place__person__family__local_authority=scope.local_authority_id,
            mark__in=ATTENDED,
            session__course__programme__delivery="drop_in",
            session__starts_at__lt=scope.end,
        )
        .values("place__person__family")
        .annotate(last=Max("session__starts_at"))
        .values_list("place__person__family", "last")
    )
    [(all_, with_peer)] = run(
        [("ep(family_id, opened)", episodes), ("peer(family_id, last)", latest)],
        "SELECT COUNT(*), "
        "COALESCE(SUM(CASE WHEN peer.last >= ep.opened THEN 1 ELSE 0 END), 0) "
        "FROM ep LEFT JOIN peer ON peer.family_id = ep.family_id",
    )
    counts = {"all": all_, "with_peer": int(with_peer)}
    return [
        Figure(
            "P1 share",
            "Episodes that include peer support",
            percent(counts["with_peer"], counts["all"]),
            "Episodes with an attended contact in the period in which someone in "
            "the family attended a peer support session (from the episode's "
            "opening to the end of the period), out of all of them.",
            numerator=counts["with_peer"],
            denominator=counts["all"],
            unit="percent",
        )
    ]
