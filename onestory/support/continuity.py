"""Continuity of care and "pass-around" figures: pure rules, no Django, no database.

The definitions are those of the domain reference (``reference/domain.md``), section
3.1 (formulas) and section 8.5 (metrics C1 to C7). Every index is an exact
``fractions.Fraction``; presenters decide how to round and display them.

These figures are for learning and inquiry, not individual performance targets
(domain reference, section 3.3). See ``docs/continuity.md``.

This module imports only the standard library.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from fractions import Fraction
from itertools import pairwise
from zoneinfo import ZoneInfo

__all__ = [
    "LONDON",
    "MIN_CONTACTS",
    "Indices",
    "LevelChange",
    "Ratio",
    "consultation_not_transfer",
    "days_without_lead",
    "describe",
    "lead_retention",
    "sequence_indices",
]

#: Every continuity index needs at least this many attended contacts (section 3.1).
MIN_CONTACTS = 2

#: onestory's local time zone: calendar days are counted in English local time.
LONDON = ZoneInfo("Europe/London")


# --- C1 to C4: indices over a sequence of attended contacts ----------------------


@dataclass(frozen=True)
class Indices:
    """Continuity indices for one episode's attended contacts, in date order.

    ``contacts`` is N and ``distinct`` is M (C4). ``upc`` (C1), ``coci`` (C2),
    ``secon`` (C3) and ``hhi`` are exact fractions between 0 and 1. ``handoffs`` is
    the number of consecutive contact pairs with different practitioners.
    ``most_seen`` is the practitioner with the most contacts (on a tie, whoever of
    them was seen first) and ``most_seen_count`` is their number of contacts.
    """

    contacts: int
    distinct: int
    upc: Fraction
    coci: Fraction
    secon: Fraction
    handoffs: int
    hhi: Fraction
    most_seen: Hashable
    most_seen_count: int


def sequence_indices(practitioners: Iterable[Hashable]) -> Indices | None:
    """Return the continuity indices for a sequence of attended contacts.

    ``practitioners`` holds the practitioner (any hashable id) of each attended
    contact, in date order. Returns ``None`` when there are fewer than two contacts,
    because no index is defined then. Raises ``ValueError`` if an entry is ``None``:
    a contact without a practitioner must be left out, not counted as one.

    With n_i the contacts with practitioner i (section 3.1 and 8.5):

    - UPC = max_i n_i / N
    - COCI = (sum n_i^2 - N) / (N (N - 1))
    - HHI = sum (n_i / N)^2, so COCI = (N HHI - 1) / (N - 1)
    - SECON = (consecutive pairs with the same practitioner) / (N - 1)
    - handoffs = (N - 1) - (consecutive pairs with the same practitioner)
    """
    sequence = list(practitioners)
    if any(practitioner is None for practitioner in sequence):
        raise ValueError("every attended contact needs a practitioner, not None")
    n = len(sequence)
    if n < MIN_CONTACTS:
        return None

    # Counter keeps first-seen order, so max() breaks ties by who was seen first.
    counts = Counter(sequence)
    most_seen, most_seen_count = max(counts.items(), key=lambda item: item[1])
    sum_of_squares = sum(count * count for count in counts.values())
    same_pairs = sum(1 for before, after in pairwise(sequence) if before == after)
    return Indices(
        contacts=n,
        distinct=len(counts),
        upc=Fraction(most_seen_count, n),
        coci=Fraction(sum_of_squares - n, n * (n - 1)),
        secon=Fraction(same_pairs, n - 1),
        handoffs=(n - 1) - same_pairs,
        hhi=Fraction(sum_of_squares, n * n),
        most_seen=most_seen,
        most_seen_count=most_seen_count,
    )


# --- C5 and C6: ratios -----------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """``numerator`` out of ``denominator``; ``value`` is ``None`` when it is 0/0."""

    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        if not 0 <= self.numerator <= self.denominator:
            raise ValueError(
                f"a ratio needs 0 <= numerator <= denominator, "
                f"not {self.numerator}/{self.denominator}"
            )

    @property
    def value(self) -> Fraction | None:
        if self.denominator == 0:
            return None
        return Fraction(self.numerator, self.denominator)


@dataclass(frozen=True)
class LevelChange:
    """One change of tier (universal, targeted, specialist) in an episode.

    ``lead_before`` and ``lead_after`` are the lead practitioner just before and
    just after the change, or ``None`` when there was no lead.
    """

    changed_at: datetime
    lead_before: Hashable | None
    lead_after: Hashable | None


def lead_retention(level_changes: Iterable[LevelChange]) -> Ratio:
    """C5: tier changes where the lead stayed the same, out of all tier changes.

    A change counts as retained only when there was a lead both before and after
    and it is the same practitioner; no lead on either side is not retention.
    """
    changes = list(level_changes)
    retained = sum(
        1
        for change in changes
        if change.lead_before is not None and change.lead_before == change.lead_after
    )
    return Ratio(numerator=retained, denominator=len(changes))


def consultation_not_transfer(
    consultations: int, transfers_to_specialist: int
) -> Ratio:
    """C6: specialist consultations / (consultations + transfers of lead to one)."""
    if consultations < 0 or transfers_to_specialist < 0:
        raise ValueError("consultations and transfers cannot be negative")
    return Ratio(
        numerator=consultations,
        denominator=consultations + transfers_to_specialist,
    )


# --- C7: days without a lead -----------------------------------------------------

Moment = date | datetime


def _local_naive(moment: datetime, tz: tzinfo) -> datetime:
    """Wall-clock time in ``tz``; a naive datetime is taken as already local."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(tz).replace(tzinfo=None)


def _first_day(start: Moment, tz: tzinfo) -> date:
    if isinstance(start, datetime):
        return _local_naive(start, tz).date()
    return start


def _last_day(end: Moment, tz: tzinfo) -> date:
    """The last calendar date a span ending at ``end`` touches.

    A ``date`` end is the whole of that day. A ``datetime`` end is an instant: a
    span ending exactly at midnight does not touch the day that starts then.
    """
    if isinstance(end, datetime):
        local = _local_naive(end, tz)
        if local.time() == time(0):
            return local.date() - timedelta(days=1)
        return local.date()
    return end


def _is_empty(start: Moment, end: Moment | None, tz: tzinfo) -> bool:
    """True for a span of no length (an instant), or one that ends before it starts."""
    if end is None:
        return False
    if isinstance(start, datetime) and isinstance(end, datetime):
        return _local_naive(end, tz) <= _local_naive(start, tz)
    return _last_day(end, tz) < _first_day(start, tz)


def days_without_lead(
    episode_start: date,
    episode_end: date | None,
    lead_spans: Iterable[tuple[Moment, Moment | None]],
    today: date,
    *,
    tz: tzinfo = LONDON,
) -> int:
    """C7: calendar dates in the episode on which no lead span is active at all.

    The window is ``episode_start`` to ``episode_end`` inclusive; for an open
    episode (``episode_end`` is ``None``) it runs to ``today``, and it never runs
    past ``today``. A date counts as "without a lead" only if no lead span covers
    any part of it: a lead for part of a day covers that day.

    Each span is ``(start, end)``, with ``end`` ``None`` while the lead is current.
    A ``datetime`` is an instant, turned into a local date in ``tz`` (naive ones are
    taken as local already); a span ending exactly at midnight does not cover the
    day that begins then, and a span of no length covers nothing. A ``date`` stands
    for the whole day, so a ``(date, date)`` span covers both dates.
    """
    last = today if episode_end is None else min(episode_end, today)
    if last < episode_start:
        return 0
    window = (last - episode_start).days + 1

    covered: list[tuple[date, date]] = []
    for start, end in lead_spans:
        if _is_empty(start, end, tz):
            continue
        first_day = max(_first_day(start, tz), episode_start)
        last_day = last if end is None else min(_last_day(end, tz), last)
        if first_day <= last_day:
            covered.append((first_day, last_day))

    covered_days = 0
    reached: date | None = None  # the last date already counted
    for first_day, last_day in sorted(covered):
        if reached is not None:
            first_day = max(first_day, reached + timedelta(days=1))
        if first_day <= last_day:
            covered_days += (last_day - first_day).days + 1
            reached = last_day
    return window - covered_days


# --- Plain words for the family record -------------------------------------------


def describe(
    indices: Indices | None,
    *,
    name_of: Callable[[Hashable], str] | None = None,
) -> str:
    """Plain words for the family record.

    ``name_of`` turns a practitioner id into a name; without it, or if it gives an
    empty name, no name is shown (ids are not for families to read).
    """
    if indices is None:
        return f"Continuity is shown after {MIN_CONTACTS} attended contacts."

    if indices.most_seen_count == 1:
        seen = (
            f"Seen by a different practitioner at each of the "
            f"{indices.contacts} contacts."
        )
    else:
        name = name_of(indices.most_seen) if name_of is not None else ""
        named = f" ({name})" if name else ""
        seen = (
            f"Seen by the same practitioner in {indices.most_seen_count} of "
            f"{indices.contacts} contacts{named}."
        )

    if indices.handoffs == 0:
        changes = "No changes of practitioner between contacts."
    elif indices.handoffs == 1:
        changes = "1 change of practitioner between contacts."
    else:
        changes = f"{indices.handoffs} changes of practitioner between contacts."
    return f"{seen} {changes}"
