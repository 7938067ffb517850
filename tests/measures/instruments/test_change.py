"""Change between two administrations: reliable change boundaries, the
direction for higher-is-better measures, caseness, recovery."""

from decimal import Decimal

import pytest

from onestory.measures import instruments
from onestory.measures.instruments import change

from .helpers import answers_with_total

PHQ9 = instruments.get("PHQ9")
GAD7 = instruments.get("GAD7")
CORE10 = instruments.get("CORE10")
EPDS = instruments.get("EPDS")
ORS = instruments.get("ORS")
SDQ = instruments.get("SDQ_P4_17")


def _score(instrument, total):
    return instrument.score(answers_with_total(instrument, total))


def _ors(total: str):
    """Four lines adding up to `total`, filled 10 at a time."""
    remaining, lines = Decimal(total), {}
    for key in "1234":
        lines[key] = min(Decimal(10), remaining)
        remaining -= lines[key]
    return ORS.score(lines)


@pytest.mark.parametrize(
    ("instrument", "before", "after", "direction"),
    [
        (PHQ9, 15, 10, "no_reliable_change"),  # -5
        (PHQ9, 15, 9, "improved"),  # -6
        (PHQ9, 15, 20, "no_reliable_change"),  # +5
        (PHQ9, 15, 21, "deteriorated"),  # +6
        (PHQ9, 12, 12, "no_reliable_change"),
        (GAD7, 12, 9, "no_reliable_change"),  # -3
        (GAD7, 12, 8, "improved"),  # -4
        (GAD7, 9, 12, "no_reliable_change"),  # +3
        (GAD7, 8, 12, "deteriorated"),  # +4
        (CORE10, 20, 15, "no_reliable_change"),
        (CORE10, 20, 14, "improved"),
        (CORE10, 14, 20, "deteriorated"),
    ],
)
def test_reliable_change_boundaries_are_at_or_above(
    instrument, before, after, direction
):
    result = change.classify(
        instrument, _score(instrument, before), _score(instrument, after)
    )
    assert result.direction == direction
    assert result.difference == Decimal(after - before)
    assert result.reliable_change_threshold is instrument.thresholds["reliable_change"]


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        ("20", "25", "improved"),  # higher is better on the ORS
        ("20", "24.9", "no_reliable_change"),
        ("25", "20", "deteriorated"),
        ("24.9", "20", "no_reliable_change"),
    ],
)
def test_ors_direction_respects_higher_is_better(before, after, direction):
    result = change.classify(ORS, _ors(before), _ors(after))
    assert result.direction == direction
    assert result.provisional is True


def test_core10_change_with_a_prorated_score():
    before = CORE10.score({str(n): 2 for n in range(1, 10)})  # 9 items: 20.0
    after = _score(CORE10, 14)
    result = change.classify(CORE10, before, after)
    assert before.total == Decimal("20.0")
    assert result.difference == Decimal("-6.0")
    assert result.direction == "improved"


@pytest.mark.parametrize(
    ("before", "after", "case_before", "case_after", "recovered", "reliably"),
    [
        (15, 8, True, False, True, True),  # recovered with reliable improvement
        (12, 9, True, False, True, False),  # below caseness but only 3 points
        (15, 10, True, True, False, False),  # improved 5, still at caseness
        (20, 10, True, True, False, False),  # reliable improvement, still at caseness
        # Not at caseness at the start: recovery does not apply (None).
        (8, 2, False, False, None, None),
        (8, 14, False, True, None, None),
    ],
)
def test_phq9_caseness_and_recovery(
    before, after, case_before, case_after, recovered, reliably
):
    result = change.classify(PHQ9, _score(PHQ9, before), _score(PHQ9, after))
    assert result.caseness_before is case_before
    assert result.caseness_after is case_after
    assert result.recovered is recovered
    assert result.reliably_recovered is reliably


def test_ors_recovery_crosses_the_cut_off_upwards():
    result = change.classify(ORS, _ors("20"), _ors("30"))
    assert result.caseness_before is True
    assert result.caseness_after is False
    assert result.recovered is True
    assert result.reliably_recovered is True


@pytest.mark.parametrize("incomplete", ["before", "after"])
def test_an_incomplete_score_gives_unknown(incomplete):
    scores = {"before": _score(PHQ9, 15), "after": _score(PHQ9, 5)}
    scores[incomplete] = PHQ9.score({"1": 3})
    result = change.classify(PHQ9, scores["before"], scores["after"])
    assert result.direction == "unknown"
    assert result.difference is None
    assert result.recovered is None
    assert result.reliably_recovered is None


def test_epds_has_no_threshold_but_still_reports_caseness():
    result = change.classify(EPDS, _score(EPDS, 14), _score(EPDS, 6))
    assert result.direction == "no_threshold"
    assert result.reliable_change_threshold is None
    assert result.difference == -8
    assert result.caseness_before is True
    assert result.caseness_after is False
    assert result.recovered is True
    assert result.reliably_recovered is None


def test_sdq_reports_change_per_scale_without_a_threshold():
    before = SDQ.score({str(n): 1 for n in range(1, 26)})
    after = SDQ.score({str(n): 0 for n in range(1, 26)})
    result = change.classify(SDQ, before, after)
    assert result.direction == "no_threshold"
    assert result.recovered is None
    assert result.scales["emotional"].difference == -5
    assert result.scales["emotional"].direction == "no_threshold"
    assert result.scales["hyperactivity"].difference == -1  # items 21, 25 reversed


def test_phq9_change_is_provisional_because_the_inequality_is_unconfirmed():
    result = change.classify(PHQ9, _score(PHQ9, 15), _score(PHQ9, 5))
    assert result.provisional is True


def test_scores_of_another_instrument_are_refused():
    with pytest.raises(ValueError, match="cannot be compared"):
        change.classify(PHQ9, _score(GAD7, 10), _score(PHQ9, 10))
