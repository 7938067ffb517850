"""WEMWBS: 14 items scored 1-5, total 14-70, Warwick's meaningful change of 3
points; licensed like SWEMWBS (spec section 10)."""

from decimal import Decimal

import pytest

from onestory.measures import instruments
from onestory.measures.instruments import change

from .helpers import answers_from_values

WEMWBS = instruments.get("WEMWBS")
SWEMWBS = instruments.get("SWEMWBS")


def _total(total: int):
    """Item values 1-5 over the 14 items adding up to `total`."""
    extra, values = total - 14, {}
    for n in range(1, 15):
        values[str(n)] = 1 + min(4, extra)
        extra -= values[str(n)] - 1
    return WEMWBS.score(answers_from_values(WEMWBS, values))


@pytest.mark.parametrize("total", [14, 15, 42, 69, 70])
def test_the_total_is_the_sum_of_14_items_from_14_to_70(total):
    score = _total(total)
    assert score.status == "scored"
    assert score.total == total


def test_every_item_scores_1_to_5_with_no_reverse_items():
    assert len(WEMWBS.items) == 14
    for item in WEMWBS.items:
        assert [option.value for option in item.options] == [1, 2, 3, 4, 5]


def test_a_missing_item_means_not_scored():
    answers = {str(n): 2 for n in range(1, 14)}  # item 14 missing
    score = WEMWBS.score(answers)
    assert score.status == "incomplete"
    assert score.total is None
    assert score.missing_items == ("14",)


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        (40, 43, "improved"),  # 3 points: meaningful (">=")
        (40, 42, "no_reliable_change"),
        (43, 40, "deteriorated"),
        (43, 41, "no_reliable_change"),
    ],
)
def test_warwicks_meaningful_change_is_3_points(before, after, direction):
    result = change.classify(WEMWBS, _total(before), _total(after))
    assert result.direction == direction
    assert result.reliable_change_threshold.value == 3
    assert "WARWICK-FAQ" in result.reliable_change_threshold.source
    assert result.provisional is True


def test_licensed_like_swemwbs_no_wording_shipped():
    assert WEMWBS.ships_item_text is False
    assert WEMWBS.licence == SWEMWBS.licence
    assert all(item.text is None for item in WEMWBS.items)
    assert WEMWBS.accepts_licensed_text is True
    assert "has not been loaded" in WEMWBS.self_completion_refusal()


def test_swemwbs_meaningful_change_is_shahs_2_87_metric_points():
    # Shah et al. 2018: 2.77 SEM = 2.87 metric points, counted as ">=".
    # Raw 22 -> 19.98, raw 25 -> 22.35 (2.37: not meaningful), raw 26 -> 23.21
    # (3.23: meaningful); and back down again.
    def answers(*items):  # item scores 1 to 5, answered by positions 0 to 4
        return {str(n): value - 1 for n, value in enumerate(items, start=1)}

    raw_22 = SWEMWBS.score(answers(4, 4, 3, 3, 3, 3, 2))
    raw_25 = SWEMWBS.score(answers(4, 4, 4, 4, 3, 3, 3))
    raw_26 = SWEMWBS.score(answers(4, 4, 4, 4, 4, 3, 3))
    assert (raw_22.total, raw_25.total, raw_26.total) == (
        Decimal("19.98"),
        Decimal("22.35"),
        Decimal("23.21"),
    )
    assert SWEMWBS.thresholds["reliable_change"].value == Decimal("2.87")
    assert change.classify(SWEMWBS, raw_22, raw_25).direction == "no_reliable_change"
    assert change.classify(SWEMWBS, raw_22, raw_26).direction == "improved"
    assert change.classify(SWEMWBS, raw_26, raw_22).direction == "deteriorated"
    assert any("Shah" in rule for rule in SWEMWBS.provisional_rules)
