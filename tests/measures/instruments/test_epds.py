"""EPDS: keyed by option position (items 3 and 5-10 reversed), bands at 10
and 13, the item 10 self-harm flag, no text shipped (spec section 3)."""

from decimal import Decimal

import pytest

from onestory.measures import instruments

from .helpers import answers_with_total, position_for

EPDS = instruments.get("EPDS")
REVERSED = {"3", "5", "6", "7", "8", "9", "10"}


def _zero_except(key: str, position: int) -> dict:
    answers = {item.key: position_for(item, 0) for item in EPDS.items}
    return answers | {key: position}


@pytest.mark.parametrize("key", [str(n) for n in range(1, 11)])
@pytest.mark.parametrize("position", [0, 1, 2, 3])
def test_each_item_is_keyed_by_printed_position(key, position):
    expected = 3 - position if key in REVERSED else position
    assert EPDS.score(_zero_except(key, position)).total == expected


@pytest.mark.parametrize("key", [str(n) for n in range(1, 11)])
def test_reversed_flag_matches_the_published_asterisks(key):
    assert EPDS.item(key).is_reversed is (key in REVERSED)


@pytest.mark.parametrize(
    ("total", "band", "caseness"),
    [
        (0, "below_cut_off", False),
        (9, "below_cut_off", False),
        (10, "possible_depression", True),
        (12, "possible_depression", True),
        (13, "likely_depression", True),
        (30, "likely_depression", True),
    ],
)
def test_bands_and_cut_offs(total, band, caseness):
    score = EPDS.score(answers_with_total(EPDS, total))
    assert score.total == Decimal(total)
    assert score.band.key == band
    assert score.caseness is caseness
    assert EPDS.thresholds["assessment"].is_met(score.total) is (total >= 13)


@pytest.mark.parametrize(
    ("position", "expected"),
    [(0, "positive"), (1, "positive"), (2, "positive"), (3, "negative")],
)
def test_item10_flag_uses_the_keyed_score_not_the_position(position, expected):
    score = EPDS.score(_zero_except("10", position))
    assert score.risk == {"10": expected}


def test_unanswered_item10_is_not_answered_and_the_total_is_not_guessed():
    answers = _zero_except("10", 3)
    del answers["10"]
    score = EPDS.score(answers)
    assert score.risk == {"10": "not_answered"}
    assert score.status == "incomplete"
    assert score.total is None
    assert score.missing_items == ("10",)


def test_no_reliable_change_threshold_is_invented():
    assert "reliable_change" not in EPDS.thresholds
