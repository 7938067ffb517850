"""The one chart geometry (core/charts.py): nice ticks, a zero baseline for
counts, a measure's whole range, labels across that fit on a phone."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onestory.core import charts


@pytest.mark.parametrize(
    ("span", "step"),
    [(27, 5), (30, 5), (21, 5), (40, 10), (47, 10), (7, 2), (6, 1), (1200, 200)],
)
def test_steps_are_one_two_or_five_times_a_power_of_ten(span, step):
    assert charts.nice_step(span) == step


def test_a_count_scale_starts_at_zero_and_ends_on_a_tick_above_the_largest():
    scale = charts.count_scale(47)
    assert (scale.low, scale.high) == (0, 50)
    assert [t.label for t in scale.ticks] == ["0", "10", "20", "30", "40", "50"]
    assert scale.ticks[0].y == charts.PLOT_BOTTOM  # zero on the baseline
    assert scale.ticks[-1].y == charts.PLOT_TOP


def test_small_counts_step_by_whole_numbers_and_nothing_still_has_a_scale():
    assert [t.label for t in charts.count_scale(3).ticks] == ["0", "1", "2", "3"]
    assert [t.label for t in charts.count_scale(0).ticks] == ["0", "1"]
    assert charts.count_scale(1200).ticks[-1].label == "1,200"


def test_a_measure_scale_is_its_whole_range_with_ticks_inside_it():
    phq9 = charts.fixed_scale(0, 27)
    assert (phq9.low, phq9.high) == (0, 27)
    assert [t.value for t in phq9.ticks] == [0, 5, 10, 15, 20, 25]
    swemwbs = charts.fixed_scale(7, 35)  # no zero baseline: the scale starts at 7
    assert swemwbs.y(7) == charts.PLOT_BOTTOM
    assert [t.value for t in swemwbs.ticks] == [10, 15, 20, 25, 30, 35]


@given(st.integers(min_value=0, max_value=10**6))
def test_every_count_fits_under_at_most_seven_ticks(largest):
    scale = charts.count_scale(largest)
    assert scale.low == 0 <= largest <= scale.high
    assert 2 <= len(scale.ticks) <= charts.INTERVALS + 1
    assert charts.PLOT_TOP <= scale.y(largest) <= charts.PLOT_BOTTOM


def test_months_across_label_the_ends_and_the_middle_inside_the_chart():
    starts = [date(2025, m, 1) for m in range(10, 13)] + [
        date(2026, m, 1) for m in range(1, 10)
    ]
    labels = charts.month_labels(starts)
    assert [(lab.x, lab.lines, lab.anchor) for lab in labels] == [
        (0.0, ("Oct", "2025"), "start"),
        (45.45, ("Mar", "2026"), "middle"),
        (100.0, ("Sep", "2026"), "end"),
    ]
    assert [lab.x for lab in charts.month_labels(starts[:2])] == [0.0, 100.0]
    assert [(lab.x, lab.anchor) for lab in charts.month_labels(starts[:1])] == [
        (50.0, "middle")
    ]


def test_dates_across_are_placed_by_the_days_between_them():
    first, last = date(2026, 9, 4), date(2026, 11, 30)
    assert charts.between(date(2026, 10, 24), first, last) == 57.47
    labels = charts.date_labels(first, last)
    assert [lab.lines for lab in labels] == [
        ("4 Sep", "2026"),
        ("17 Oct", "2026"),
        ("30 Nov", "2026"),
    ]
    assert charts.date_labels(first, first)[0].x == 50.0
    assert charts.date_labels(None, None) == []
