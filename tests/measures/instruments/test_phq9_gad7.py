"""PHQ-9 and GAD-7: totals, every band boundary on both sides, caseness,
incomplete responses and the PHQ-9 item 9 risk flag (spec sections 1-2)."""

from decimal import Decimal

import pytest

from onestory.measures import instruments

from .helpers import answers_with_total

PHQ9 = instruments.get("PHQ9")
GAD7 = instruments.get("GAD7")


@pytest.mark.parametrize(
    ("total", "band", "caseness"),
    [
        (0, "minimal", False),
        (4, "minimal", False),
        (5, "mild", False),
        (9, "mild", False),
        (10, "moderate", True),
        (14, "moderate", True),
        (15, "moderately_severe", True),
        (19, "moderately_severe", True),
        (20, "severe", True),
        (27, "severe", True),
    ],
)
def test_phq9_bands_and_caseness(total, band, caseness):
    score = PHQ9.score(answers_with_total(PHQ9, total))
    assert score.status == "scored"
    assert score.total == Decimal(total)
    assert score.band.key == band
    assert score.caseness is caseness
    assert score.missing_items == ()


@pytest.mark.parametrize(
    ("total", "band", "caseness"),
    [
        (0, "minimal", False),
        (4, "minimal", False),
        (5, "mild", False),
        (7, "mild", False),
        (8, "mild", True),
        (9, "mild", True),
        (10, "moderate", True),
        (14, "moderate", True),
        (15, "severe", True),
        (21, "severe", True),
    ],
)
def test_gad7_bands_and_nhs_caseness(total, band, caseness):
    score = GAD7.score(answers_with_total(GAD7, total))
    assert score.total == Decimal(total)
    assert score.band.key == band
    assert score.caseness is caseness


@pytest.mark.parametrize("instrument", [PHQ9, GAD7], ids=["PHQ9", "GAD7"])
@pytest.mark.parametrize("position", [0, 1, 2, 3])
def test_option_position_is_the_score_for_every_item(instrument, position):
    for item in instrument.items:
        assert item.options[position].value == position
        answers = {i.key: 0 for i in instrument.items} | {item.key: position}
        assert instrument.score(answers).total == position


@pytest.mark.parametrize("instrument", [PHQ9, GAD7], ids=["PHQ9", "GAD7"])
@pytest.mark.parametrize("missing", ["1", "5"])
@pytest.mark.parametrize("how", ["absent", "none"])
def test_a_missing_item_means_not_scored(instrument, missing, how):
    answers = {item.key: 3 for item in instrument.items}
    if how == "absent":
        del answers[missing]
    else:
        answers[missing] = None
    score = instrument.score(answers)
    assert score.status == "incomplete"
    assert score.total is None
    assert score.band is None
    assert score.caseness is None
    assert score.missing_items == (missing,)
    assert score.notes == ("Not scored: 1 item not answered",)


def test_an_empty_response_lists_every_item_as_missing():
    score = PHQ9.score({})
    assert score.missing_items == tuple(str(n) for n in range(1, 10))
    assert score.risk == {"9": "not_answered"}


@pytest.mark.parametrize(
    ("item9", "expected"),
    [(0, "negative"), (1, "positive"), (2, "positive"), (3, "positive")],
)
def test_phq9_item9_flag_is_independent_of_the_total(item9, expected):
    answers = {str(n): 0 for n in range(1, 9)} | {"9": item9}
    score = PHQ9.score(answers)
    assert score.risk == {"9": expected}
    assert score.has_risk is (expected == "positive")
    assert score.band.key == "minimal"


def test_unanswered_item9_is_not_answered_never_no_risk():
    score = PHQ9.score({str(n): 3 for n in range(1, 9)})
    assert score.risk == {"9": "not_answered"}
    assert score.has_risk is False
    assert score.status == "incomplete"


def test_gad7_has_no_risk_item():
    assert GAD7.score(answers_with_total(GAD7, 21)).risk == {}


@pytest.mark.parametrize(
    ("instrument", "key", "text"),
    [
        (PHQ9, "1", "Little interest or pleasure in doing things"),
        (PHQ9, "2", "Feeling down, depressed, or hopeless"),
        (
            PHQ9,
            "9",
            "Thoughts that you would be better off dead or of hurting yourself in some way",
        ),
        (GAD7, "1", "Feeling nervous, anxious or on edge"),
        (GAD7, "7", "Feeling afraid as if something awful might happen"),
    ],
)
def test_public_domain_wording_ships(instrument, key, text):
    assert instrument.item(key).text == text


@pytest.mark.parametrize("instrument", [PHQ9, GAD7], ids=["PHQ9", "GAD7"])
def test_option_labels_are_the_published_ones(instrument):
    labels = [o.label for o in instrument.items[0].options]
    assert labels == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
