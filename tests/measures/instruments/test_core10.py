"""CORE-10: items 2 and 3 reversed, pro-rating with exactly one missing item,
`<` band boundaries for pro-rated scores, item 6 risk (spec section 9)."""

from decimal import Decimal

import pytest

from onestory.measures import instruments

from .helpers import answers_from_values, answers_with_total, spread

CORE10 = instruments.get("CORE10")


@pytest.mark.parametrize("key", [str(n) for n in range(1, 11)])
@pytest.mark.parametrize("position", [0, 1, 2, 3, 4])
def test_items_2_and_3_are_reverse_scored(key, position):
    expected = 4 - position if key in {"2", "3"} else position
    assert CORE10.item(key).options[position].value == expected
    assert CORE10.item(key).is_reversed is (key in {"2", "3"})


@pytest.mark.parametrize(
    ("total", "band", "caseness"),
    [
        (0, "healthy", False),
        (5, "healthy", False),
        (6, "low", False),
        (10, "low", False),
        (11, "mild", True),
        (14, "mild", True),
        (15, "moderate", True),
        (19, "moderate", True),
        (20, "moderate_to_severe", True),
        (24, "moderate_to_severe", True),
        (25, "severe", True),
        (40, "severe", True),
    ],
)
def test_complete_scores_bands_and_cut_off(total, band, caseness):
    score = CORE10.score(answers_with_total(CORE10, total))
    assert score.status == "scored"
    assert score.total == Decimal(total)
    assert score.band.key == band
    assert score.band.provisional is True
    assert score.caseness is caseness


def _nine_answered(answered_sum: int, missing: str = "10") -> dict:
    keys = [str(n) for n in range(1, 11) if str(n) != missing]
    return answers_from_values(CORE10, spread(answered_sum, keys, 4))


@pytest.mark.parametrize(
    ("answered_sum", "total", "band", "caseness"),
    [
        (0, "0.0", "healthy", False),
        (5, "5.6", "healthy", False),  # 5.56 < 6
        (6, "6.7", "low", False),
        (9, "10.0", "low", False),
        (10, "11.1", "mild", True),
        (13, "14.4", "mild", True),  # 14.4 < 15
        (14, "15.6", "moderate", True),
        (17, "18.9", "moderate", True),  # 18.9 < 20
        (18, "20.0", "moderate_to_severe", True),
        (22, "24.4", "moderate_to_severe", True),  # 24.4 < 25
        (23, "25.6", "severe", True),
        (36, "40.0", "severe", True),
    ],
)
def test_one_missing_item_is_prorated_as_mean_times_ten(
    answered_sum, total, band, caseness
):
    score = CORE10.score(_nine_answered(answered_sum))
    assert score.status == "prorated"
    assert score.total == Decimal(total)
    assert str(score.total) == total
    assert score.band.key == band
    assert score.caseness is caseness
    assert score.missing_items == ("10",)
    assert score.notes == (
        "Pro-rated from 9 of 10 items (mean of the answered items x 10)",
    )


def test_pro_rating_uses_keyed_values_of_reversed_items():
    # Item 2 at position 0 ("Not at all") scores 4.
    answers = {str(n): 0 for n in range(1, 10)}
    score = CORE10.score(answers)
    assert score.total == Decimal("8.9")  # (4 + 4) x 10 / 9


@pytest.mark.parametrize(
    "missing", [("1", "2"), ("5", "6", "7"), tuple(str(n) for n in range(1, 11))]
)
def test_more_than_one_missing_item_is_not_scored(missing):
    answers = {str(n): 1 for n in range(1, 11) if str(n) not in missing}
    score = CORE10.score(answers)
    assert score.status == "incomplete"
    assert score.total is None
    assert score.band is None
    assert score.caseness is None
    assert score.missing_items == missing


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (0, "negative"),
        (1, "positive"),
        (2, "positive"),
        (3, "positive"),
        (4, "positive"),
    ],
)
def test_item6_risk_flag(position, expected):
    answers = answers_with_total(CORE10, 0) | {"6": position}
    score = CORE10.score(answers)
    assert score.risk == {"6": expected}


def test_missing_item6_is_prorated_but_the_risk_is_not_answered():
    score = CORE10.score(_nine_answered(9, missing="6"))
    assert score.status == "prorated"
    assert score.risk == {"6": "not_answered"}
    assert score.has_risk is False


def test_verbatim_wording_and_attribution_ship():
    assert CORE10.item("6").text == "I made plans to end my life"
    assert CORE10.item("2").text == (
        "I have felt I have someone to turn to for support when needed"
    )
    assert [o.label for o in CORE10.item("1").options] == [
        "Not at all",
        "Only occasionally",
        "Sometimes",
        "Often",
        "Most or all of the time",
    ]
    assert "CC BY-ND 4.0" in CORE10.attribution
    assert "CORE System Trust" in CORE10.attribution
