"""ORS and SRS: four 0-10 lines read to 0.1, total 0-40, all four needed;
ORS clinical range at or below 25, SRS concern below 36 (spec section 5)."""

from decimal import Decimal

import pytest

from onestory.measures import instruments

ORS = instruments.get("ORS")
SRS = instruments.get("SRS")
D = Decimal


def _lines(*values) -> dict:
    return {str(n): value for n, value in enumerate(values, start=1)}


@pytest.mark.parametrize("instrument", [ORS, SRS], ids=["ORS", "SRS"])
@pytest.mark.parametrize(
    ("lines", "total"),
    [
        ((0, 0, 0, 0), "0"),
        ((10, 10, 10, 10), "40"),
        ((D("2.5"), D("3.1"), 4, D("0.4")), "10.0"),
        ((D("9.9"), D("9.9"), D("9.9"), D("9.9")), "39.6"),
        ((D("5.50"), D("5.0"), 5, 5), "20.5"),
    ],
)
def test_total_is_the_exact_decimal_sum(instrument, lines, total):
    score = instrument.score(_lines(*lines))
    assert score.status == "scored"
    assert score.total == D(total)
    assert isinstance(score.total, Decimal)


@pytest.mark.parametrize("instrument", [ORS, SRS], ids=["ORS", "SRS"])
@pytest.mark.parametrize("missing", ["1", "2", "3", "4"])
def test_all_four_lines_are_needed(instrument, missing):
    answers = _lines(5, 5, 5, 5)
    del answers[missing]
    score = instrument.score(answers)
    assert score.status == "incomplete"
    assert score.total is None
    assert score.missing_items == (missing,)


@pytest.mark.parametrize(
    ("total_lines", "caseness"),
    [
        ((0, 0, 0, 0), True),
        ((10, 10, 5, 0), True),  # 25: at or below 25 is the clinical range
        ((10, 10, 5, D("0.1")), False),  # 25.1
        ((10, 10, 10, 10), False),
    ],
)
def test_ors_clinical_range_is_at_or_below_25(total_lines, caseness):
    score = ORS.score(_lines(*total_lines))
    assert score.caseness is caseness
    assert score.band is None


@pytest.mark.parametrize(
    ("total_lines", "band"),
    [
        ((0, 0, 0, 0), "below_cut_off"),
        ((10, 10, 10, D("5.9")), "below_cut_off"),  # 35.9
        ((10, 10, 10, 6), "at_or_above_cut_off"),  # 36
        ((10, 10, 10, 10), "at_or_above_cut_off"),
    ],
)
def test_srs_concern_below_36(total_lines, band):
    score = SRS.score(_lines(*total_lines))
    assert score.band.key == band
    assert score.band.provisional is True
    assert SRS.thresholds["concern"].is_met(score.total) is (band == "below_cut_off")
    assert score.caseness is None  # SRS rates the session, not the parent


@pytest.mark.parametrize("instrument", [ORS, SRS], ids=["ORS", "SRS"])
def test_no_item_text_and_neutral_line_names(instrument):
    assert [item.display_name for item in instrument.items] == [
        "Line 1",
        "Line 2",
        "Line 3",
        "Line 4",
    ]
    assert all(item.decimal_places == 1 for item in instrument.items)
