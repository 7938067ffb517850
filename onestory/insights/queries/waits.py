"""Waiting times (domain.md §8.2), aligned with NHS Talking Therapies so they
can be compared: W1 request to first contact, W2 request to first intervention
session, W3 hidden waits between the first and second sessions, W4 the waiting
list, W5 open episodes with no recent contact."""

from datetime import timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)

from onestory.insights.domain import Figure, percent
from onestory.insights.queries import ATTENDED, Day, Scope, percentiles, run
from onestory.insights.queries.activity import (
    CLOSED_REQUEST,
    INTERVENTION,
    completed,
    open_at_end,
    requests,
)


def _first_contact_after(request_day_field: str, until):
    """The first attended contact with the family on or after the request."""
    from onestory.support.models import Contact

    return Subquery(
        Contact.objects.filter(
            episode__family=OuterRef("family"),
            attendance__in=ATTENDED,
            occurred_on__gte=OuterRef(request_day_field),
            occurred_at__lt=until,
        )
        .order_by("occurred_at")
        .values("occurred_on")[:1]
    )


def waits(scope: Scope) -> list[Figure]:
    firsts = (
        requests(scope)
        .annotate(first=_first_contact_after("received_on", scope.end))
        .filter(first__gte=scope.period.start)
        .annotate(days=Day("first") - Day("received_on"))
        .values_list("days")
    )
    count, (median, p90) = percentiles(firsts)
    figures = [
        Figure(
            "W1 median",
            "Days from request to first contact: median",
            median,
            "For requests whose first attended contact with the family (on or "
            "after the day the request was received) fell in the period: the days "
            "between them. Half waited this long or less.",
            denominator=count,
            unit="days",
        ),
        Figure(
            "W1 90th percentile",
            "Days from request to first contact: 90th percentile",
            p90,
            "As above: 9 in 10 waited this long or less (nearest rank).",
            denominator=count,
            unit="days",
        ),
    ]
    figures += _to_first_session(scope)
    figures += _hidden_waits(scope)
    figures += _waiting_list(scope)
    figures += _no_recent_contact(scope)
    return figures


WAITING_BANDS = (
    ("0 to 28 days", 0, 28),
    ("29 to 56 days", 29, 56),
    ("57 to 90 days", 57, 90),
    ("Over 90 days", 91, None),
)


def _waiting_list(scope: Scope) -> list[Figure]:
    from onestory.support.models import RequestStatusChange

    closed_by_end = RequestStatusChange.objects.filter(
        request=OuterRef("pk"), status__in=CLOSED_REQUEST, changed_at__lt=scope.end
    )
    waiting = (
        requests(scope)
        .filter(received_on__lt=scope.end_day)
        .exclude(Exists(closed_by_end))
        .annotate(first=_first_contact_after("received_on", scope.end))
        .filter(first__isnull=True)
    )
    end_day = scope.end_day
    bands = waiting.aggregate(
        **{
            f"band{i}": Count(
                "pk", filter=_days_between("received_on", end_day, low, high)
            )
            for i, (_, low, high) in enumerate(WAITING_BANDS)
        }
    )
    total = sum(bands.values())
    return [
        Figure(
            "W4",
            "Waiting for a first contact at the end of the period",
            total,
            "Requests received by the end of the period, not declined or "
            "withdrawn by then, with no attended contact with the family since "
            "they were received; by how long they had waited at the end.",
            breakdown=tuple(
                (label, Figure("W4", label, bands[f"band{i}"], ""))
                for i, (label, _, _) in enumerate(WAITING_BANDS)
            ),
        )
    ]


def _days_between(field: str, end_day, low: int, high: int | None) -> Q:
    """`field` (a date) was between `low` and `high` days before `end_day`."""
    last = end_day - timedelta(days=1)  # the period's last day
    q = Q(**{f"{field}__lte": last - timedelta(days=low)})
    if high is not None:
        q &= Q(**{f"{field}__gte": last - timedelta(days=high)})
    return q


NO_CONTACT_BANDS = (
    ("61 to 90 days", 61, 90),
    ("91 to 120 days", 91, 120),
    ("Over 120 days", 121, None),
)


def _no_recent_contact(scope: Scope) -> list[Figure]:
    from onestory.support.models import Contact

    last_seen = Subquery(
        Contact.objects.filter(
            episode=OuterRef("pk"), attendance__in=ATTENDED, occurred_at__lt=scope.end
        )
        .order_by("-occurred_at")
        .values("occurred_on")[:1]
    )
    # Counted by the day last seen, then banded: a filter per band over the
    # subquery would have PostgreSQL run it once per band for every episode.
    by_day = (
        open_at_end(scope)
        .annotate(last_seen=last_seen)
        .values("last_seen")
        .annotate(n=Count("pk"))
        .values_list("last_seen", "n")
    )
    last = scope.last_day
    sums, params = [], []
    for _, low, high in NO_CONTACT_BANDS:
        if high is None:
            sums.append("COALESCE(SUM(CASE WHEN day <= %s THEN n END), 0)")
            params += [last - timedelta(days=low)]
        else:
            sums.append("COALESCE(SUM(CASE WHEN day BETWEEN %s AND %s THEN n END), 0)")
            params += [last - timedelta(days=high), last - timedelta(days=low)]
    [row] = run([("w(day, n)", by_day)], f"SELECT {', '.join(sums)} FROM w", params)  # noqa: S608 (our own text)
    bands = {f"band{i}": int(count) for i, count in enumerate(row)}  # not numeric
    return [
        Figure(
            "W5",
            "Open episodes with no recent contact",
            sum(bands.values()),
            "Episodes open at the end of the period whose last attended contact "
            "was more than 60 days before the period's last day.",
            breakdown=tuple(
                (label, Figure("W5", label, bands[f"band{i}"], ""))
                for i, (label, _, _) in enumerate(NO_CONTACT_BANDS)
            ),
        )
    ]


SIX_WEEKS, EIGHTEEN_WEEKS = 42, 126  # NHS Talking Therapies waiting-time standards

# The wait from the family's latest request for support received on or before
# the first attended intervention session.
FIRST_SESSION_WAITS = """
SELECT COUNT(days),
  COALESCE(SUM(CASE WHEN days <= %s THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN days <= %s THEN 1 ELSE 0 END), 0)
FROM (
  SELECT ep.first_day - MAX(rq.day) AS days
  FROM ep JOIN rq ON rq.family_id = ep.family_id AND rq.day <= ep.first_day
  GROUP BY ep.episode_id, ep.first_day
) AS waits
"""


def _first_session(episodes):
    """Episodes with the local day of their first attended intervention session."""
    return episodes.annotate(
        first_session=Min(
            "contacts__occurred_on",
            filter=Q(contacts__attendance__in=ATTENDED, contacts__purpose=INTERVENTION),
        )
    ).filter(first_session__isnull=False)


def _waits_to_first_session(scope: Scope, episodes) -> tuple[int, int, int]:
    from onestory.support.models import SupportRequest

    days = episodes.annotate(first_day=Day("first_session")).values_list(
        "pk", "family_id", "first_day"
    )
    # The unit is the episode (already narrowed by the filters), so the wait
    # starts from the family's latest request whoever it was made to: not
    # `requests(scope)`, which with an organisation keeps only requests made to
    # it and would measure from an older one.
    received = SupportRequest.objects.filter(
        family__local_authority=scope.local_authority_id
    ).annotate(day=Day("received_on"))
    [row] = run(
        [
            ("ep(episode_id, family_id, first_day)", days),
            ("rq(family_id, day)", received.values_list("family_id", "day")),
        ],
        FIRST_SESSION_WAITS,
        (SIX_WEEKS, EIGHTEEN_WEEKS),
    )
    return row


def _to_first_session(scope: Scope) -> list[Figure]:
    done, done_6, done_18 = _waits_to_first_session(
        scope, _first_session(completed(scope))
    )
    # A first session in the period is a session in the period: only those
    # episodes are grouped (an indexed read of the period's contacts), not every
    # episode of the area with all its contacts.
    started = _first_session(
        scope.episodes().filter(pk__in=_with_a_session(scope))
    ).filter(first_session__gte=scope.period.start, first_session__lt=scope.end_day)
    all_, all_6, all_18 = _waits_to_first_session(scope, started)
    request = (
        "from the family's latest request for support received on or before "
        "the first attended intervention session"
    )
    return [
        Figure(
            "W2 6 weeks",
            "First intervention session within 6 weeks (completed episodes)",
            percent(done_6, done),
            f"Completed episodes (E1) whose wait {request} was 42 days or less, out "
            "of completed episodes with such a request (NHS Talking Therapies).",
            numerator=done_6,
            denominator=done,
            unit="percent",
        ),
        Figure(
            "W2 18 weeks",
            "First intervention session within 18 weeks (completed episodes)",
            percent(done_18, done),
            "As above, 126 days or less.",
            numerator=done_18,
            denominator=done,
            unit="percent",
        ),
        Figure(
            "W2 6 weeks all",
            "First intervention session within 6 weeks (all first sessions)",
            percent(all_6, all_),
            f"Episodes whose first attended intervention session was in the period, "
            f"with the wait {request} 42 days or less.",
            numerator=all_6,
            denominator=all_,
            unit="percent",
        ),
        Figure(
            "W2 18 weeks all",
            "First intervention session within 18 weeks (all first sessions)",
            percent(all_18, all_),
            "As above, 126 days or less.",
            numerator=all_18,
            denominator=all_,
            unit="percent",
        ),
    ]


SESSION = {"attendance__in": ATTENDED, "purpose": INTERVENTION}


def _with_a_session(scope: Scope):
    """The scope's episodes with an attended intervention session in the period."""
    from onestory.support.models import Contact

    return Contact.objects.filter(
        episode__in=scope.episodes().values("pk"),
        occurred_at__gte=scope.start,
        occurred_at__lt=scope.end,
        **SESSION,
    ).values("episode")


# Each episode's second attended intervention session, and the day of the first.
HIDDEN_WAITS = """
SELECT COUNT(*),
  COALESCE(SUM(CASE WHEN day - previous_day > 28 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN day - previous_day > 90 THEN 1 ELSE 0 END), 0)
FROM numbered
WHERE n = 2 AND in_period = 1
"""


def _hidden_waits(scope: Scope) -> list[Figure]:
    from onestory.support.models import Contact

    # Only episodes with a session in the period can have a second one in it.
    sessions = (
        Contact.objects.filter(
            episode__in=_with_a_session(scope), occurred_at__lt=scope.end, **SESSION
        )
        .annotate(
            day=Day("occurred_on"),
            in_period=Case(
                When(occurred_at__gte=scope.start, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .values_list("episode_id", "occurred_at", "pk", "day", "in_period")
    )
    [(seconds, over_28, over_90)] = run(
        [("s(episode_id, at, id, day, in_period)", sessions)],
        HIDDEN_WAITS,
        then="numbered AS (SELECT day, in_period, "
        "ROW_NUMBER() OVER (PARTITION BY episode_id ORDER BY at, id) AS n, "
        "LAG(day) OVER (PARTITION BY episode_id ORDER BY at, id) AS previous_day "
        "FROM s)",
    )
    return [
        Figure(
            "W3 28 days",
            "Hidden waits over 28 days",
            percent(over_28, seconds),
            "Second attended intervention sessions in the period that came more "
            "than 28 days after the first, out of all second sessions in the period.",
            numerator=over_28,
            denominator=seconds,
            unit="percent",
        ),
        Figure(
            "W3 90 days",
            "Hidden waits over 90 days",
            percent(over_90, seconds),
            "As above, more than 90 days after the first.",
            numerator=over_90,
            denominator=seconds,
            unit="percent",
        ),
    ]
