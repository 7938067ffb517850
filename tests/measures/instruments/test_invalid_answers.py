"""Invalid answers raise InvalidAnswer (a ValueError) naming the item; they
are never clamped, rounded or ignored."""

from decimal import Decimal

import pytest

from onestory.measures import instruments
from onestory.measures.instruments import InvalidAnswer

CHOICE_CASES = [
    ("PHQ9", "3", 4, "PHQ-9 item 3: option position 4 is not between 0 and 3"),
    ("PHQ9", "3", -1, "PHQ-9 item 3: option position -1"),
    ("GAD7", "7", 9, "GAD-7 item 7: option position 9"),
    ("EPDS", "10", 4, "EPDS item 10: option position 4"),
    ("CORE10", "6", 5, "CORE-10 item 6: option position 5 is not between 0 and 4"),
    ("MORS_SF", "14", 6, "MORS-SF item 14: option position 6"),
    ("SDQ_P4_17", "25", 3, "SDQ parent 4 to 17 item 25: option position 3"),
    ("SDQ_P2_4", "impact_home", 4, "impact: home life: option position 4"),
    ("SWEMWBS", "7", 5, "SWEMWBS item 7: option position 5"),
    ("PHQ9", "1", True, "must be an option position"),
    ("PHQ9", "1", "1", "must be an option position"),
    ("PHQ9", "1", 1.0, "must be an option position"),
    ("PHQ9", "1", Decimal(1), "must be an option position"),
]


@pytest.mark.parametrize(("code", "key", "value", "message"), CHOICE_CASES)
def test_choice_answers_must_be_a_valid_position(code, key, value, message):
    with pytest.raises(InvalidAnswer, match=message.replace("(", r"\(")):
        instruments.get(code).score({key: value})


NUMBER_CASES = [
    ("ORS", "1", Decimal("10.1"), "ORS line 1: 10.1 is outside 0 to 10"),
    ("ORS", "2", -1, "ORS line 2: -1 is outside 0 to 10"),
    ("SRS", "3", Decimal("5.25"), "SRS line 3: 5.25 has more than 1 decimal places"),
    ("ORS", "4", Decimal("NaN"), "ORS line 4: NaN is outside"),
    ("ORS", "4", Decimal("Infinity"), "ORS line 4: Infinity is outside"),
    ("ORS", "1", 5.5, "ORS line 1: the reading must be a whole number or a Decimal"),
    ("ORS", "1", "5.5", "ORS line 1: the reading must be"),
    ("ORS", "1", False, "ORS line 1: the reading must be"),
    ("STAR", "1", 0, "Outcomes Star area 1: 0 is outside 1 to 10"),
    ("STAR", "10", 11, "Outcomes Star area 10: 11 is outside 1 to 10"),
    (
        "STAR",
        "5",
        Decimal("5.5"),
        "Outcomes Star area 5: 5.5 has more than 0 decimal places",
    ),
    ("GBO", "1", 11, "GBO goal 1: 11 is outside 0 to 10"),
    ("GBO", "3", Decimal("-0.5"), "GBO goal 3: -0.5 is outside"),
    ("GBO", "2", Decimal("7.5"), "GBO goal 2: 7.5 has more than 0 decimal places"),
]


@pytest.mark.parametrize(("code", "key", "value", "message"), NUMBER_CASES)
def test_number_answers_must_be_in_range_and_precision(code, key, value, message):
    with pytest.raises(InvalidAnswer, match=message):
        instruments.get(code).score({key: value})


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("PHQ9", "10"),
        ("PHQ9", "0"),
        ("PHQ9", 1),
        ("GAD7", "q1"),
        ("SDQ_P4_17", "26"),
        ("ORS", "5"),
    ],
)
def test_unknown_item_keys_are_refused(code, key):
    with pytest.raises(InvalidAnswer, match="there is no item with key"):
        instruments.get(code).score({key: 0})


def test_answers_must_be_a_mapping():
    with pytest.raises(InvalidAnswer, match="answers must be a mapping"):
        instruments.get("PHQ9").score([0] * 9)


def test_invalid_answer_is_a_value_error():
    assert issubclass(InvalidAnswer, ValueError)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        (Decimal("5.50"), "5.5"),
        (Decimal("-0.0"), "0.0"),
        (7, "7.0"),
        (Decimal("1E+1"), "10.0"),
    ],
)
def test_valid_readings_are_stored_at_the_item_precision(raw, stored):
    score = instruments.get("ORS").score({"1": raw, "2": 0, "3": 0, "4": 0})
    assert str(score.total) == stored
