"""Periods, suppression and how figures are shown: pure rules, no database."""

from datetime import date
from fractions import Fraction

import pytest

from onestory.insights import disclosure, domain
from onestory.insights.domain import Figure


def test_a_quarter_runs_from_its_first_day_to_the_day_after_its_last():
    q = domain.quarter(2026, 3)
    assert (q.start, q.end, q.key) == (date(2026, 7, 1), date(2026, 10, 1), "2026-Q3")
    assert q.label == "July to September 2026"
    assert [m.key for m in q.months()] == ["2026-07", "2026-08", "2026-09"]
    assert domain.quarter(2026, 4).end == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 11, 26), "2026-Q3"), (date(2026, 2, 1), "2025-Q4")],
)
def test_the_last_full_quarter(today, expected):
    assert domain.last_full_quarter(today).key == expected


@pytest.mark.parametrize(
    ("key", "start"),
    [("2026-Q1", date(2026, 1, 1)), ("2026-08", date(2026, 8, 1))],
)
def test_periods_are_read_from_their_keys(key, start):
    assert domain.parse_period(key).start == start


@pytest.mark.parametrize(
    "key", ["", "2026-Q5", "2026-13", "2026-00", "1850-Q1", "2026-Q1;drop", "26-Q1"]
)
def test_anything_else_is_not_a_period(key):
    assert domain.parse_period(key) is None


def test_quarters_before_cross_the_year():
    keys = [p.key for p in domain.quarters_before(domain.quarter(2026, 2), 4)]
    assert keys == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]


@pytest.mark.parametrize(
    ("value", "numerator", "denominator", "suppressed"),
    [
        (0, None, None, False),  # nothing to recognise
        (4, None, None, True),
        (5, None, None, False),
        (Fraction(3, 20), 3, 20, True),  # the numerator is small
        (Fraction(18, 20), 18, 20, True),  # 20 - 18 = 2 would be revealed
        (Fraction(10, 20), 10, 20, False),
        (Fraction(4, 4), 4, 4, True),  # the denominator is small
    ],
)
def test_small_numbers_are_suppressed_with_what_would_reveal_them(
    value, numerator, denominator, suppressed
):
    unit = "count" if numerator is None else "percent"
    figure = Figure("X", "x", value, "", numerator, denominator, unit=unit)
    shown = disclosure.suppressed([figure])
    hidden = shown.value("X", figure)
    assert hidden is suppressed
    text = disclosure.shown(figure, hidden=hidden)
    assert (text in {disclosure.SUPPRESSED, disclosure.SUPPRESSED_RATE}) is suppressed
    assert (
        disclosure.cell(figure, hidden=hidden) == disclosure.SUPPRESSED_CELL
    ) is suppressed
    # A hidden rate hides its numerator: 18 and 20 would give away the 2.
    cells = disclosure.parts_cells(figure, shown.parts("X"))
    if suppressed and numerator is not None:
        assert cells[0] == disclosure.SUPPRESSED_CELL
        assert (cells[1] == disclosure.SUPPRESSED_CELL) is disclosure.is_small(
            denominator
        )
    elif numerator is not None:
        assert cells == (numerator, denominator)


def test_how_figures_are_shown():
    assert disclosure.shown(Figure("R1", "", 1234, "")) == "1,234"
    rate = Figure("E1", "", Fraction(1, 3), "", 10, 30, unit="percent")
    assert disclosure.shown(rate) == "33.3%"
    assert disclosure.cell(rate) == 33.3
    assert disclosure.shown(Figure("W1", "", 12, "", unit="days")) == ("12 days")
    assert disclosure.shown(Figure("C1", "", 0.8333, "", unit="index")) == ("0.83")
    assert disclosure.shown(Figure("O2", "", None, "", 0, 0)) == "No data"


def test_age_bands_turn_on_the_birthday():
    on = date(2026, 9, 30)
    assert domain.born_after(on, 20) == date(2006, 9, 30)
    assert domain.born_after(date(2028, 2, 29), 21) == date(2007, 2, 28)


def test_one_small_line_in_a_breakdown_hides_the_next_smallest_too():
    def hidden_lines(*counts):
        parts = tuple(
            (str(i), Figure("X", str(i), n, "")) for i, n in enumerate(counts)
        )
        figure = Figure("X", "x", sum(counts), "", breakdown=parts)
        shown = disclosure.suppressed([figure])
        return {i for i, (_, part) in enumerate(parts) if shown.value("X", part, i)}

    # 60 = 40 + 17 + 3: with the 3 hidden alone it would be 60 - 40 - 17.
    assert hidden_lines(40, 17, 3) == {1, 2}
    # 43 = 40 + 0 + 3: the 40 must go too (a 0 gives nothing away).
    assert hidden_lines(40, 0, 3) == {0, 2}
    assert hidden_lines(40, 2, 3) == {1, 2}
    assert hidden_lines(40, 17, 9) == set()


def test_a_hidden_figure_shows_no_interval_and_rates_in_a_breakdown_stand_alone():
    from onestory.insights.presenters import page_sections
    from onestory.insights.queries.report import Section

    mean = Figure("O4 warmth", "Warmth", 2.5, "", denominator=2, unit="mean",
                  note="95% confidence interval 1.00 to 4.00.")  # fmt: skip
    areas = Figure(
        "O6",
        "Star",
        None,
        "",
        unit="percent",
        breakdown=(
            ("Area 1", Figure("O6", "Area 1", Fraction(30, 60), "", 30, 60, unit="percent")),
            ("Area 2", Figure("O6", "Area 2", Fraction(1, 3), "", 1, 3, unit="percent")),
        ),
    )  # fmt: skip
    sections = [Section("o", "O", [mean, areas])]
    [(_, shown)] = page_sections(sections, {}, disclosure.suppressed([mean, areas]))
    assert shown[0].value == disclosure.SUPPRESSED_RATE
    assert shown[0].note == ""
    assert shown[1].breakdown == [
        ("Area 1", "50.0%"),
        ("Area 2", disclosure.SUPPRESSED_RATE),
    ]
    [(_, exact)] = page_sections(sections, {}, disclosure.Shown())
    assert exact[0].note.startswith("95% confidence interval")
