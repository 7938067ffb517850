"""SWEMWBS: 7 items scored 1-5, raw 7-35 converted with the full Rasch
table (spec section 10); any missing item means not scored."""

from decimal import Decimal

import pytest

from onestory.measures import instruments
from onestory.measures.instruments.swemwbs import metric_score

SWEMWBS = instruments.get("SWEMWBS")

# The whole table from spec section 10, typed in again here on purpose.
CONVERSION = {
    7: "7.00", 8: "9.51", 9: "11.25", 10: "12.40", 11: "13.33", 12: "14.08",
    13: "14.75", 14: "15.32", 15: "15.84", 16: "16.36", 17: "16.88", 18: "17.43",
    19: "17.98", 20: "18.59", 21: "19.25", 22: "19.98", 23: "20.73", 24: "21.54",
    25: "22.35", 26: "23.21", 27: "24.11", 28: "25.03", 29: "26.02", 30: "27.03",
    31: "28.13", 32: "29.31", 33: "30.70", 34: "32.55", 35: "35.00",
}  # fmt: skip


def _positions_for_raw(raw: int) -> dict:
    """Positions (0-4, scoring 1-5) for the seven items adding up to `raw`."""
    extra = raw - 7
    answers = {}
    for n in range(1, 8):
        answers[str(n)] = min(4, extra)
        extra -= answers[str(n)]
    return answers


def test_the_table_has_all_29_raw_scores():
    assert sorted(CONVERSION) == list(range(7, 36))


@pytest.mark.parametrize(("raw", "metric"), sorted(CONVERSION.items()))
def test_raw_to_metric_conversion(raw, metric):
    score = SWEMWBS.score(_positions_for_raw(raw))
    assert score.status == "scored"
    assert score.scales["raw"].score == raw
    assert score.total == Decimal(metric)
    assert str(score.total) == metric  # two decimal places kept
    assert metric_score(raw) == Decimal(metric)


@pytest.mark.parametrize("raw", [6, 36])
def test_the_table_stops_at_7_and_35(raw):
    with pytest.raises(KeyError):
        metric_score(raw)


@pytest.mark.parametrize("position", [0, 1, 2, 3, 4])
def test_items_score_1_to_5_with_no_reversals(position):
    for item in SWEMWBS.items:
        assert item.options[position].value == position + 1


@pytest.mark.parametrize("missing", ["1", "7"])
def test_any_missing_item_means_not_scored(missing):
    answers = _positions_for_raw(21)
    del answers[missing]
    score = SWEMWBS.score(answers)
    assert score.status == "incomplete"
    assert score.total is None
    assert score.scales["raw"].score is None
    assert score.missing_items == (missing,)


def test_no_invented_bands_or_thresholds():
    assert SWEMWBS.bands == ()
    assert set(SWEMWBS.thresholds) == {"reliable_change"}  # no caseness
    assert SWEMWBS.higher_is_better is True
