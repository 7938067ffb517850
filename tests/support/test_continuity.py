"""Continuity of care and pass-around figures (domain.md 3.1, 8.5): pure rules."""

import ast
import dataclasses
import sys
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onestory.support import continuity
from onestory.support.continuity import LevelChange, Ratio

WORKED_EXAMPLE = list("AAABAACAAA")  # domain.md 3.1


# --- C1 to C4: sequence indices --------------------------------------------------


def test_worked_example_from_the_domain_reference():
    indices = continuity.sequence_indices(WORKED_EXAMPLE)

    assert indices is not None
    assert indices.contacts == 10
    assert indices.distinct == 3
    assert indices.upc == Fraction(4, 5)
    assert indices.hhi == Fraction(66, 100)
    assert indices.coci == Fraction(56, 90) == Fraction(28, 45)
    assert round(float(indices.coci), 3) == 0.622
    assert indices.secon == Fraction(5, 9)
    assert indices.handoffs == 4
    assert indices.most_seen == "A"
    assert indices.most_seen_count == 8


def test_worked_example_coci_is_the_same_either_way():
    indices = continuity.sequence_indices(WORKED_EXAMPLE)

    n = indices.contacts
    assert indices.coci == (n * indices.hhi - 1) / (n - 1)


@pytest.mark.parametrize("practitioners", [[], ["A"], iter(["A"])])
def test_fewer_than_two_contacts_have_no_indices(practitioners):
    assert continuity.sequence_indices(practitioners) is None


def test_any_iterable_of_contacts_is_accepted():
    assert continuity.sequence_indices(iter(WORKED_EXAMPLE)) == (
        continuity.sequence_indices(WORKED_EXAMPLE)
    )


def test_a_contact_without_a_practitioner_is_refused():
    with pytest.raises(ValueError, match="practitioner"):
        continuity.sequence_indices(["A", None, "A"])


@pytest.mark.parametrize("n", [2, 3, 7])
def test_one_practitioner_throughout_is_full_continuity(n):
    indices = continuity.sequence_indices(["A"] * n)

    assert indices.contacts == n
    assert indices.distinct == 1
    assert indices.upc == indices.coci == indices.secon == indices.hhi == 1
    assert indices.handoffs == 0
    assert (indices.most_seen, indices.most_seen_count) == ("A", n)


@pytest.mark.parametrize("n", [2, 3, 5, 10])
def test_a_different_practitioner_every_time(n):
    indices = continuity.sequence_indices(list(range(100, 100 + n)))

    assert indices.distinct == n
    assert indices.upc == Fraction(1, n)
    assert indices.hhi == Fraction(1, n)
    assert indices.coci == 0
    assert indices.secon == 0
    assert indices.handoffs == n - 1
    assert (indices.most_seen, indices.most_seen_count) == (100, 1)


def test_two_practitioners_alternating():
    indices = continuity.sequence_indices(list("ABABAB"))

    assert indices.contacts == 6
    assert indices.distinct == 2
    assert indices.upc == Fraction(1, 2)
    assert indices.hhi == Fraction(1, 2)
    assert indices.coci == Fraction(18 - 6, 6 * 5) == Fraction(2, 5)
    assert indices.secon == 0
    assert indices.handoffs == 5


def test_order_matters_to_secon_but_not_to_upc_or_coci():
    grouped = continuity.sequence_indices(list("AAABBB"))
    alternating = continuity.sequence_indices(list("ABABAB"))

    assert grouped.upc == alternating.upc
    assert grouped.coci == alternating.coci
    assert grouped.hhi == alternating.hhi
    assert grouped.secon == Fraction(4, 5)
    assert alternating.secon == 0
    assert (grouped.handoffs, alternating.handoffs) == (1, 5)


@pytest.mark.parametrize(
    ("practitioners", "most_seen", "count"),
    [
        (list("BAAB"), "B", 2),
        (list("ABBA"), "A", 2),
        (list("CABAB"), "A", 2),
        (list("CBABA"), "B", 2),
        (list("ABC"), "A", 1),
    ],
)
def test_a_tie_for_most_seen_goes_to_whoever_was_seen_first(
    practitioners, most_seen, count
):
    indices = continuity.sequence_indices(practitioners)

    assert (indices.most_seen, indices.most_seen_count) == (most_seen, count)
    assert indices.upc == Fraction(count, len(practitioners))


def test_indices_are_frozen():
    indices = continuity.sequence_indices(WORKED_EXAMPLE)

    with pytest.raises(dataclasses.FrozenInstanceError):
        indices.upc = Fraction(1)


contacts = st.lists(st.integers(min_value=1, max_value=6), min_size=2, max_size=40)


@settings(derandomize=True)
@given(contacts)
def test_every_index_is_between_0_and_1(practitioners):
    indices = continuity.sequence_indices(practitioners)

    for value in (indices.upc, indices.coci, indices.secon, indices.hhi):
        assert isinstance(value, Fraction)
        assert 0 <= value <= 1


@settings(derandomize=True)
@given(contacts)
def test_coci_identity_with_hhi(practitioners):
    indices = continuity.sequence_indices(practitioners)

    n = indices.contacts
    assert indices.coci == (n * indices.hhi - 1) / (n - 1)


@settings(derandomize=True)
@given(contacts)
def test_handoffs_are_the_adjacent_pairs_that_differ(practitioners):
    indices = continuity.sequence_indices(practitioners)

    differing = sum(
        1
        for j in range(len(practitioners) - 1)
        if practitioners[j] != practitioners[j + 1]
    )
    assert indices.handoffs == differing
    assert indices.handoffs == (indices.contacts - 1) * (1 - indices.secon)


@settings(derandomize=True)
@given(contacts)
def test_concentration_is_at_least_one_over_m(practitioners):
    indices = continuity.sequence_indices(practitioners)

    assert indices.distinct == len(set(practitioners))
    assert indices.upc >= Fraction(1, indices.distinct)
    assert indices.hhi >= Fraction(1, indices.distinct)
    assert indices.hhi <= indices.upc


@settings(derandomize=True)
@given(contacts)
def test_most_seen_is_the_first_seen_of_those_seen_most(practitioners):
    indices = continuity.sequence_indices(practitioners)

    most = max(practitioners.count(p) for p in practitioners)
    first = next(p for p in practitioners if practitioners.count(p) == most)
    assert (indices.most_seen, indices.most_seen_count) == (first, most)


@settings(derandomize=True)
@given(st.data())
def test_upc_and_coci_do_not_depend_on_order(data):
    practitioners = data.draw(contacts)
    shuffled = data.draw(st.permutations(practitioners))

    before = continuity.sequence_indices(practitioners)
    after = continuity.sequence_indices(shuffled)

    assert after.upc == before.upc
    assert after.coci == before.coci
    assert after.hhi == before.hhi
    assert after.distinct == before.distinct
    assert after.most_seen_count == before.most_seen_count


@settings(derandomize=True)
@given(st.lists(st.integers(), max_size=1))
def test_no_indices_under_two_contacts(practitioners):
    assert continuity.sequence_indices(practitioners) is None


# --- C5 and C6: ratios -----------------------------------------------------------

AT = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def test_lead_retention_counts_only_the_same_lead_either_side():
    changes = [
        LevelChange(AT, "amara", "amara"),  # retained
        LevelChange(AT, "amara", "ben"),
        LevelChange(AT, None, "amara"),
        LevelChange(AT, "amara", None),
        LevelChange(AT, None, None),  # no lead either side is not retention
    ]

    ratio = continuity.lead_retention(changes)

    assert ratio == Ratio(numerator=1, denominator=5)
    assert ratio.value == Fraction(1, 5)


def test_lead_retention_of_all_retained_is_one():
    ratio = continuity.lead_retention(
        LevelChange(AT + timedelta(days=i), 7, 7) for i in range(3)
    )

    assert (ratio.numerator, ratio.denominator, ratio.value) == (3, 3, 1)


def test_lead_retention_without_tier_changes_has_no_value():
    ratio = continuity.lead_retention([])

    assert (ratio.numerator, ratio.denominator) == (0, 0)
    assert ratio.value is None


@pytest.mark.parametrize(
    ("consultations", "transfers", "expected"),
    [
        (3, 1, Fraction(3, 4)),
        (0, 2, Fraction(0)),
        (5, 0, Fraction(1)),
        (0, 0, None),
    ],
)
def test_consultation_not_transfer(consultations, transfers, expected):
    ratio = continuity.consultation_not_transfer(consultations, transfers)

    assert ratio.numerator == consultations
    assert ratio.denominator == consultations + transfers
    assert ratio.value == expected


@pytest.mark.parametrize(("consultations", "transfers"), [(-1, 2), (2, -1)])
def test_consultation_not_transfer_refuses_negative_counts(consultations, transfers):
    with pytest.raises(ValueError, match="negative"):
        continuity.consultation_not_transfer(consultations, transfers)


@pytest.mark.parametrize(("numerator", "denominator"), [(-1, 2), (3, 2), (1, 0)])
def test_a_ratio_cannot_be_impossible(numerator, denominator):
    with pytest.raises(ValueError, match="ratio"):
        Ratio(numerator=numerator, denominator=denominator)


# --- C7: days without a lead -----------------------------------------------------

START = date(2025, 3, 1)
END = date(2025, 3, 10)  # a 10-day window in GMT, before the clocks change
TODAY = date(2025, 4, 1)


def at(day, hour=0, minute=0):
    return datetime(2025, 3, day, hour, minute, tzinfo=UTC)


def test_no_lead_at_all_is_every_day_of_the_episode():
    assert continuity.days_without_lead(START, END, [], TODAY) == 10


def test_a_lead_throughout_is_no_days_without_one():
    spans = [(datetime(2025, 2, 1, 9, tzinfo=UTC), None)]

    assert continuity.days_without_lead(START, END, spans, TODAY) == 0


def test_a_lead_from_midday_on_the_first_day_covers_that_day():
    assert continuity.days_without_lead(START, END, [(at(1, 12), None)], TODAY) == 0


def test_a_gap_of_three_days():
    spans = [(at(1, 9), at(4, 12)), (at(8, 9), None)]  # nobody on 5, 6 and 7 March

    assert continuity.days_without_lead(START, END, spans, TODAY) == 3


def test_a_span_ending_mid_day_covers_that_day():
    spans = [(at(1, 9), at(5, 0, 1))]  # 6 to 10 March without a lead

    assert continuity.days_without_lead(START, END, spans, TODAY) == 5


def test_a_span_ending_at_midnight_does_not_cover_the_day_that_starts_then():
    spans = [(at(1, 9), at(5))]  # ends as 5 March begins: 5 to 10 March without

    assert continuity.days_without_lead(START, END, spans, TODAY) == 6


def test_a_handover_at_midnight_leaves_no_day_without_a_lead():
    spans = [(at(1, 9), at(5)), (at(5), None)]

    assert continuity.days_without_lead(START, END, spans, TODAY) == 0


def test_an_open_episode_counts_up_to_today():
    spans = [(at(1, 9), at(5, 10))]  # 6 to 12 March without a lead

    assert continuity.days_without_lead(START, None, spans, date(2025, 3, 12)) == 7


def test_days_after_today_are_not_counted():
    assert continuity.days_without_lead(START, END, [], date(2025, 3, 4)) == 4


def test_an_episode_starting_after_today_has_no_days():
    assert continuity.days_without_lead(START, None, [], date(2025, 2, 27)) == 0


def test_overlapping_spans_are_not_counted_twice():
    spans = [
        (at(1, 9), at(6, 17)),
        (at(3, 9), at(4, 17)),
        (at(2, 9), at(7, 9)),
    ]  # 8, 9 and 10 March without a lead

    assert continuity.days_without_lead(START, END, spans, TODAY) == 3


def test_spans_outside_the_episode_do_not_count():
    spans = [
        (datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 28, 12, tzinfo=UTC)),
        (at(20, 9), None),
    ]

    assert continuity.days_without_lead(START, END, spans, TODAY) == 10


def test_a_span_of_no_length_covers_nothing():
    spans = [(at(4, 10), at(4, 10)), (at(6, 10), at(6, 9))]

    assert continuity.days_without_lead(START, END, spans, TODAY) == 10


def test_date_spans_cover_both_their_dates():
    spans = [(date(2025, 3, 1), date(2025, 3, 4)), (date(2025, 3, 8), None)]

    assert continuity.days_without_lead(START, END, spans, TODAY) == 3


def test_days_are_london_dates_by_default():
    # 23:30 UTC on 1 June is 00:30 on 2 June in London (BST).
    spans = [(datetime(2025, 6, 1, 23, 30, tzinfo=UTC), None)]
    start, today = date(2025, 6, 1), date(2025, 6, 3)

    assert continuity.days_without_lead(start, None, spans, today) == 1
    assert continuity.days_without_lead(start, None, spans, today, tz=UTC) == 0


def test_naive_datetimes_are_taken_as_local():
    spans = [(datetime(2025, 6, 1, 23, 30), None)]  # noqa: DTZ001

    assert continuity.days_without_lead(date(2025, 6, 1), None, spans, TODAY) == 0


def _covers(start, end, day):
    """The definition, day by day: any part of the day inside [start, end)."""
    day_start = datetime.combine(day, time(0))
    day_end = day_start + timedelta(days=1)
    if end is not None and end <= start:
        return False
    return start < day_end and (end is None or end > day_start)


moments = st.datetimes(
    min_value=datetime(2025, 2, 20),  # noqa: DTZ001
    max_value=datetime(2025, 3, 20),  # noqa: DTZ001
).map(lambda moment: moment.replace(second=0, microsecond=0))
midnights = st.dates(min_value=date(2025, 2, 20), max_value=date(2025, 3, 20)).map(
    lambda day: datetime.combine(day, time(0))
)
instants = st.one_of(moments, midnights)
spans = st.lists(st.tuples(instants, st.one_of(st.none(), instants)), max_size=6)


@settings(derandomize=True)
@given(
    spans,
    st.dates(min_value=date(2025, 2, 25), max_value=date(2025, 3, 5)),
    st.one_of(
        st.none(), st.dates(min_value=date(2025, 2, 25), max_value=date(2025, 3, 20))
    ),
    st.dates(min_value=date(2025, 2, 25), max_value=date(2025, 3, 20)),
)
def test_days_without_lead_matches_the_day_by_day_definition(
    lead_spans, start, end, today
):
    last = today if end is None else min(end, today)
    days = [start + timedelta(days=i) for i in range((last - start).days + 1)]
    expected = sum(
        1 for day in days if not any(_covers(s, e, day) for s, e in lead_spans)
    )

    assert continuity.days_without_lead(start, end, lead_spans, today) == expected


# --- Plain words -----------------------------------------------------------------


def test_describe_before_two_contacts():
    assert continuity.describe(None) == "Continuity is shown after 2 attended contacts."


def test_describe_names_the_most_seen_practitioner():
    names = {"A": "Amara Okafor", "B": "Ben Hale", "C": "Cara Lund"}
    indices = continuity.sequence_indices(WORKED_EXAMPLE)

    assert continuity.describe(indices, name_of=names.__getitem__) == (
        "Seen by the same practitioner in 8 of 10 contacts (Amara Okafor). "
        "4 changes of practitioner between contacts."
    )


def test_describe_without_names_shows_no_ids():
    indices = continuity.sequence_indices(["id-123", "id-123", "id-456"])

    text = continuity.describe(indices)

    assert text == (
        "Seen by the same practitioner in 2 of 3 contacts. "
        "1 change of practitioner between contacts."
    )
    assert "id-" not in text


def test_describe_an_empty_name_is_left_out():
    indices = continuity.sequence_indices(list("AAB"))

    assert "()" not in continuity.describe(indices, name_of=lambda _: "")


def test_describe_one_practitioner_throughout():
    indices = continuity.sequence_indices(list("AAA"))

    assert continuity.describe(indices, name_of=lambda _: "Amara Okafor") == (
        "Seen by the same practitioner in 3 of 3 contacts (Amara Okafor). "
        "No changes of practitioner between contacts."
    )


def test_describe_a_different_practitioner_every_time():
    indices = continuity.sequence_indices(list("ABC"))

    assert continuity.describe(indices, name_of=str.lower) == (
        "Seen by a different practitioner at each of the 3 contacts. "
        "2 changes of practitioner between contacts."
    )


# --- Standard library only ------------------------------------------------------


def test_the_module_imports_only_the_standard_library():
    tree = ast.parse(Path(continuity.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module.split(".")[0])

    assert imported
    assert imported <= set(sys.stdlib_module_names)
