"""MORS-SF: a provisional local rule. Warmth and Invasion are sums of their
six items (assumed positions 0-5); items 13 and 14 are recorded, not scored
(spec section 6)."""

from decimal import Decimal

import pytest

from onestory.measures import instruments

MORS = instruments.get("MORS_SF")
WARMTH = ("1", "3", "4", "6", "8", "11")
INVASION = ("2", "5", "7", "9", "10", "12")


def _all(position: int) -> dict:
    return {str(n): position for n in range(1, 15)}


def test_fourteen_items_with_six_assumed_positions_and_no_labels():
    assert len(MORS.items) == 14
    for item in MORS.items:
        assert [o.value for o in item.options] == [0, 1, 2, 3, 4, 5]
        assert {o.label for o in item.options} == {None}
        assert item.text is None


def test_subscale_membership_of_items_1_to_12():
    scales = {scale.key: scale for scale in MORS.scales}
    assert scales["warmth"].items == WARMTH
    assert scales["invasion"].items == INVASION
    assert scales["warmth"].higher_is_better is True
    assert scales["invasion"].higher_is_better is False


@pytest.mark.parametrize(("position", "expected"), [(0, 0), (1, 6), (5, 30)])
def test_each_subscale_is_the_sum_of_its_items(position, expected):
    score = MORS.score(_all(position))
    assert score.status == "scored"
    assert score.scales["warmth"].score == Decimal(expected)
    assert score.scales["invasion"].score == Decimal(expected)


@pytest.mark.parametrize("key", WARMTH + INVASION)
def test_raising_one_item_raises_only_its_own_subscale(key):
    score = MORS.score(_all(1) | {key: 4})
    own, other = ("warmth", "invasion") if key in WARMTH else ("invasion", "warmth")
    assert score.scales[own].score == 9
    assert score.scales[other].score == 6


@pytest.mark.parametrize("key", ["13", "14"])
def test_items_13_and_14_are_recorded_but_not_scored(key):
    base = MORS.score(_all(2))
    changed = MORS.score(_all(2) | {key: 5})
    unanswered = MORS.score({k: v for k, v in _all(2).items() if k != key})
    assert changed.scales == base.scales
    assert unanswered.status == "scored"
    assert unanswered.missing_items == ()
    assert MORS.item(key).scored is False


@pytest.mark.parametrize("missing", ["1", "2"])
def test_a_missing_subscale_item_leaves_that_subscale_unscored(missing):
    answers = _all(3)
    del answers[missing]
    score = MORS.score(answers)
    own, other = ("warmth", "invasion") if missing == "1" else ("invasion", "warmth")
    assert score.status == "incomplete"
    assert score.scales[own].status == "incomplete"
    assert score.scales[own].score is None
    assert score.scales[other].score == Decimal(18)
    assert score.missing_items == (missing,)


def test_every_mors_score_is_provisional_with_no_total_band_or_threshold():
    score = MORS.score(_all(2))
    assert score.provisional is True
    assert score.total is None
    assert score.band is None
    assert score.notes[0].startswith("Provisional local scoring rule")
    assert MORS.thresholds == {}
    assert MORS.has_total is False
    assert all(scale.bands == () for scale in MORS.scales)
