"""The lead practitioner through an episode, C5 to C8 of continuity and
pass-around (domain.md §3.1 and §8.5; docs/continuity.md): the lead kept at a
change of level, consultation rather than transfer, days without a lead, and
families lost at a handoff.
"""

from datetime import timedelta

from django.db.models import Case, Count, DateField, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from onestory.insights.domain import Figure, percent
from onestory.insights.queries import ATTENDED, Day, Scope, local_day, run


def leads(scope: Scope) -> list[Figure]:
    from onestory.support.models import Consultation, Involvement, LevelChange

    episodes = scope.episodes().values("pk")
    changes = LevelChange.objects.filter(
        episode__in=episodes,
        changed_at__gte=scope.start,
        changed_at__lt=scope.end,
    ).exclude(from_level="")
    kept = changes.aggregate(
        all=Count("pk"), kept=Count("pk", filter=Q(lead_kept=True))
    )
    consultations = Consultation.objects.filter(
        episode__in=episodes, asked_at__gte=scope.start, asked_at__lt=scope.end
    ).count()
    earlier_lead = Involvement.objects.filter(
        episode=OuterRef("episode"), role="lead", started_at__lt=OuterRef("started_at")
    )
    transfers = (
        Involvement.objects.filter(
            episode__in=episodes,
            role="lead",
            started_at__gte=scope.start,
            started_at__lt=scope.end,
            practitioner__role_grants__role="specialist",
        )
        .filter(Exists(earlier_lead))
        .count()
    )
    return [
        Figure(
            "C5",
            "Lead kept at a change of level",
            percent(kept["kept"], kept["all"]),
            "Changes of level (universal, targeted, specialist) in the period "
            "where the family kept its lead practitioner, out of all changes of "
            "level in the period.",
            numerator=kept["kept"],
            denominator=kept["all"],
            unit="percent",
        ),
        Figure(
            "C6",
            "Consultation, not transfer",
            percent(consultations, consultations + transfers),
            "Specialist consultations asked for in the period, out of those plus "
            "transfers of the lead to a specialist in the period.",
            numerator=consultations,
            denominator=consultations + transfers,
            unit="percent",
        ),
    ]


# C7: days in each episode's part of the period covered by no lead span. Spans
# are clipped to the window and taken in order; a day counts as without a lead
# when it lies before the first span, between spans (after the furthest day
# covered so far) or after the last, or in a window with no span at all.
WITHOUT_A_LEAD = """
clipped AS (
  SELECT win.episode_id, win.ws, win.we,
    CASE WHEN sp.s > win.ws THEN sp.s ELSE win.ws END AS cs,
    CASE WHEN sp.e < win.we THEN sp.e ELSE win.we END AS ce
  FROM win JOIN sp ON sp.episode_id = win.episode_id
  WHERE sp.s <= win.we AND sp.e >= win.ws
),
ordered AS (
  SELECT episode_id, ws, cs,
    MAX(ce) OVER (PARTITION BY episode_id ORDER BY cs, ce
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS covered_to
  FROM clipped
),
gaps AS (
  SELECT episode_id,
    CASE WHEN covered_to IS NULL THEN cs - ws
         WHEN cs - covered_to - 1 > 0 THEN cs - covered_to - 1 ELSE 0 END AS days
  FROM ordered
  UNION ALL
  SELECT episode_id, CASE WHEN we - MAX(ce) > 0 THEN we - MAX(ce) ELSE 0 END
  FROM clipped GROUP BY episode_id, we
  UNION ALL
  SELECT episode_id, we - ws + 1 FROM win
  WHERE NOT EXISTS (SELECT 1 FROM clipped WHERE clipped.episode_id = win.episode_id)
),
per AS (SELECT episode_id, SUM(days) AS days FROM gaps GROUP BY episode_id)"""
FOREVER = 99_999_999  # a day number after any real one: a lead still in place


def without_a_lead(scope: Scope) -> list[Figure]:
    from onestory.support.models import Involvement

    last = Day(Value(scope.last_day, output_field=DateField()))
    first = Day(Value(scope.period.start, output_field=DateField()))
    opened, closed = local_day("opened_at"), local_day("closed_at")
    windows = (
        scope.episodes()
        .filter(opened_at__lt=scope.end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=scope.start))
        .annotate(
            ws=Case(When(GreaterThan(opened, first), then=opened), default=first),
            we=Case(When(closed_at__lt=scope.end, then=closed), default=last),
        )
    )
    # The lead spans are joined to the windows by episode in the SQL below, so
    # only the scope's episodes count; filtering them by the windows here too
    # read every window's episode and family again for each span.
    spans = Involvement.objects.filter(role="lead").annotate(
        s=local_day("started_at"),
        e=Coalesce(local_day("ended_at"), Value(FOREVER)),
    )
    [(episodes, days, with_gaps)] = run(
        [
            ("win(episode_id, ws, we)", windows.values_list("pk", "ws", "we")),
            ("sp(episode_id, s, e)", spans.values_list("episode_id", "s", "e")),
        ],
        "SELECT (SELECT COUNT(*) FROM win), COALESCE(SUM(days), 0), "
        "COALESCE(SUM(CASE WHEN days > 0 THEN 1 ELSE 0 END), 0) FROM per",
        then=WITHOUT_A_LEAD,
    )
    return [
        Figure(
            "C7 days",
            "Days without a lead practitioner",
            int(days),
            "Days in the period, within open episodes, when the family had no lead "
            "practitioner at all (a lead for part of a day covers the day). The "
            "aim is 0.",
        ),
        Figure(
            "C7 episodes",
            "Episodes with a day without a lead",
            percent(int(with_gaps), episodes),
            "Episodes open at some time in the period with at least one day "
            "without a lead in it, out of all episodes open in the period.",
            numerator=int(with_gaps),
            denominator=episodes,
            unit="percent",
        ),
    ]


LOST_AFTER_DAYS = 42


def lost_at_handoff(scope: Scope) -> list[Figure]:
    """C8: after a change of lead, did the family see the new lead within 42
    days? Changes less than 42 days ago are still being followed."""
    from django.utils import timezone

    from onestory.support.models import Contact, Involvement

    earlier_lead = Involvement.objects.filter(
        episode=OuterRef("episode"), role="lead", started_at__lt=OuterRef("started_at")
    )
    seen = Contact.objects.filter(
        episode=OuterRef("episode"),
        practitioner=OuterRef("practitioner"),
        attendance__in=ATTENDED,
        occurred_at__gte=OuterRef("started_at"),
        occurred_at__lt=OuterRef("started_at") + timedelta(days=LOST_AFTER_DAYS),
    )
    followed_until = timezone.now() - timedelta(days=LOST_AFTER_DAYS)
    counts = (
        Involvement.objects.filter(
            episode__in=scope.episodes().values("pk"),
            role="lead",
            started_at__gte=scope.start,
            started_at__lt=min(scope.end, followed_until),
        )
        .filter(Exists(earlier_lead))
        .annotate(seen=Exists(seen))
        .aggregate(all=Count("pk"), lost=Count("pk", filter=Q(seen=False)))
    )
    return [
        Figure(
            "C8",
            "Lost at handoff",
            percent(counts["lost"], counts["all"]),
            "Changes of lead practitioner in the period after which the family had "
            f"no attended contact with the new lead within {LOST_AFTER_DAYS} days, "
            f"out of all changes of lead in the period at least {LOST_AFTER_DAYS} "
            "days ago. (Community Mental Health Framework: over 20% lost.)",
            numerator=counts["lost"],
            denominator=counts["all"],
            unit="percent",
        )
    ]
