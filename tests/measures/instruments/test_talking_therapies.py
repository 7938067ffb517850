"""The NHS Talking Therapies paired PHQ-9 + GAD-7 rule (spec section 4)."""

import pytest

from onestory.measures import instruments
from onestory.measures.instruments.talking_therapies import (
    talking_therapies,
    talking_therapies_rules,
)

from .helpers import answers_with_total

PHQ9 = instruments.get("PHQ9")
GAD7 = instruments.get("GAD7")


def _outcome(phq_first, phq_last, gad_first, gad_last, appointments=2):
    return talking_therapies(
        PHQ9.score(answers_with_total(PHQ9, phq_first)),
        PHQ9.score(answers_with_total(PHQ9, phq_last)),
        GAD7.score(answers_with_total(GAD7, gad_first)),
        GAD7.score(answers_with_total(GAD7, gad_last)),
        treatment_appointments=appointments,
    )


FIELDS = (
    "at_caseness_at_start",
    "recovered",
    "reliable_improvement",
    "reliable_deterioration",
    "reliable_recovery",
    "no_reliable_change",
    "mixed",
)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # Recovered and reliably improved on PHQ-9: reliable recovery.
        ((15, 8, 10, 6), (True, True, True, False, True, False, False)),
        # PHQ-9 falls by 5: not reliable; GAD-7 by 3: not reliable.
        ((15, 10, 10, 7), (True, False, False, False, False, True, False)),
        # PHQ-9 falls by 6: reliable improvement, but still at caseness.
        ((20, 14, 10, 9), (True, False, True, False, False, False, False)),
        # GAD-7 falls by 4 (boundary): reliable improvement; PHQ-9 by 5 does not.
        ((14, 9, 11, 7), (True, True, True, False, True, False, False)),
        # GAD-7 falls by 3 only: recovered but not reliably.
        ((9, 9, 10, 7), (True, True, False, False, False, True, False)),
        # Below caseness on both at the start (PHQ-9 9, GAD-7 7): recovery
        # does not apply (None, not False), though reliable improvement still
        # counts (its rate is over all finished courses).
        ((9, 2, 7, 3), (False, None, True, False, None, False, False)),
        # Caseness through GAD-7 alone (8), PHQ-9 low.
        ((5, 4, 8, 3), (True, True, True, False, True, False, False)),
        # Last PHQ-9 at caseness (10): not recovered.
        ((16, 10, 9, 2), (True, False, True, False, False, False, False)),
        # Last GAD-7 at caseness (8): not recovered.
        ((16, 9, 12, 8), (True, False, True, False, False, False, False)),
        # Reliable deterioration on PHQ-9 (+6 boundary).
        ((10, 16, 9, 9), (True, False, False, True, False, False, False)),
        # PHQ-9 +5, GAD-7 +3: no reliable change.
        ((10, 15, 9, 12), (True, False, False, False, False, True, False)),
        # GAD-7 +4 boundary: reliable deterioration.
        ((4, 4, 3, 7), (False, None, False, True, None, False, False)),
    ],
)
def test_paired_outcome(scores, expected):
    outcome = _outcome(*scores)
    assert tuple(getattr(outcome, name) for name in FIELDS) == expected
    assert outcome.provisional_reading is False


@pytest.mark.parametrize(
    "scores",
    [
        (20, 12, 5, 10),  # PHQ-9 improves by 8, GAD-7 worsens by 5
        (8, 14, 15, 9),  # PHQ-9 worsens by 6, GAD-7 improves by 6
        (20, 14, 4, 8),  # both exactly at their boundaries
    ],
)
def test_mixed_case_is_deterioration_not_improvement_and_provisional(scores):
    outcome = _outcome(*scores)
    assert outcome.mixed is True
    assert outcome.reliable_improvement is False
    assert outcome.reliable_deterioration is True
    assert outcome.reliable_recovery is False
    assert outcome.no_reliable_change is False
    assert outcome.provisional_reading is True
    assert "provisional" in outcome.notes[0]


@pytest.mark.parametrize("missing", [0, 1, 2, 3])
def test_an_incomplete_score_gives_none(missing):
    scores = [
        PHQ9.score(answers_with_total(PHQ9, 15)),
        PHQ9.score(answers_with_total(PHQ9, 5)),
        GAD7.score(answers_with_total(GAD7, 12)),
        GAD7.score(answers_with_total(GAD7, 4)),
    ]
    instrument = PHQ9 if missing < 2 else GAD7
    scores[missing] = instrument.score({"1": 2})
    outcome = talking_therapies(*scores, treatment_appointments=3)
    for name in (*FIELDS[1:], "provisional_reading"):
        assert getattr(outcome, name) is None, name
    # Caseness at the start needs both first scores.
    assert outcome.at_caseness_at_start is (None if missing in (0, 2) else True)


def test_the_wrong_measure_is_refused():
    phq = PHQ9.score(answers_with_total(PHQ9, 10))
    gad = GAD7.score(answers_with_total(GAD7, 10))
    with pytest.raises(ValueError, match="needs GAD7 scores"):
        talking_therapies(phq, phq, phq, gad, treatment_appointments=2)
    with pytest.raises(ValueError, match="needs PHQ9 scores"):
        talking_therapies(gad, phq, gad, gad, treatment_appointments=2)
    with pytest.raises(ValueError, match="0 or more"):
        talking_therapies(phq, phq, gad, gad, treatment_appointments=-1)


@pytest.mark.parametrize(
    ("appointments", "finished"), [(0, False), (1, False), (2, True), (5, True)]
)
def test_a_finished_course_needs_two_attended_treatment_appointments(
    appointments, finished
):
    outcome = _outcome(15, 6, 12, 5, appointments)
    assert outcome.finished_course is finished
    # Caseness at the start and at the last score is known either way.
    assert outcome.at_caseness_at_start is True
    assert outcome.at_caseness_at_end is False
    # An unfinished course has no outcome: it is in no national rate.
    expected = True if finished else None
    for name in ("recovered", "reliable_improvement", "reliable_recovery"):
        assert getattr(outcome, name) is expected, name
    assert outcome.reliable_deterioration is (False if finished else None)


@pytest.mark.parametrize(
    ("scores", "at_end"),
    [((15, 10, 12, 5), True), ((15, 9, 12, 8), True), ((15, 9, 12, 7), False)],
)
def test_caseness_at_the_last_score_is_either_measure_at_its_cut_off(scores, at_end):
    assert _outcome(*scores).at_caseness_at_end is at_end


def test_the_rules_the_report_reads_are_the_libraries_thresholds():
    rules = talking_therapies_rules()
    assert rules.phq9_caseness == PHQ9.thresholds["caseness"]
    assert rules.gad7_caseness == GAD7.thresholds["caseness"]
    assert rules.phq9_reliable_change.value == 6
    assert rules.gad7_reliable_change.value == 4
    assert rules.finished_course_appointments == 2
