"""Plain-language summaries for parents: exact wording."""

from decimal import Decimal

import pytest

from onestory.measures import instruments
from onestory.measures.instruments import describe_change, describe_score

from .helpers import answers_with_total

PHQ9 = instruments.get("PHQ9")
GAD7 = instruments.get("GAD7")
CORE10 = instruments.get("CORE10")
EPDS = instruments.get("EPDS")
ORS = instruments.get("ORS")
SWEMWBS = instruments.get("SWEMWBS")
SDQ = instruments.get("SDQ_P4_17")
GBO = instruments.get("GBO")
STAR = instruments.get("STAR")
MORS = instruments.get("MORS_SF")


def _score(instrument, total):
    return instrument.score(answers_with_total(instrument, total))


def _ors(*lines):
    return ORS.score({str(n): Decimal(v) for n, v in enumerate(lines, start=1)})


@pytest.mark.parametrize(
    ("instrument", "before", "after", "text"),
    [
        (
            PHQ9,
            15,
            8,
            "Your score went from 15 to 8: a reliable improvement. "
            "It is now below the clinical range.",
        ),
        (
            PHQ9,
            8,
            15,
            "Your score went from 8 to 15: a reliable change for the worse. "
            "It is now in the clinical range.",
        ),
        (
            PHQ9,
            15,
            12,
            "Your score went from 15 to 12: not a reliable change. "
            "It is still in the clinical range.",
        ),
        (PHQ9, 4, 4, "Your score stayed at 4. It is still below the clinical range."),
        (
            GAD7,
            12,
            6,
            "Your score went from 12 to 6: a reliable improvement. "
            "It is now below the clinical range.",
        ),
        (
            CORE10,
            20,
            12,
            "Your score went from 20 to 12: a reliable improvement. "
            "It is still in the clinical range.",
        ),
        (
            EPDS,
            14,
            6,
            "Your score went from 14 to 6 (this questionnaire has no agreed measure "
            "of reliable change). Lower scores are better. "
            "It is now below the clinical range.",
        ),
    ],
)
def test_describe_change(instrument, before, after, text):
    assert (
        describe_change(
            instrument, _score(instrument, before), _score(instrument, after)
        )
        == text
    )


def test_describe_change_for_sdq_names_the_total():
    before = SDQ.score({str(n): 1 for n in range(1, 26)})  # every item keyed 1: 20
    after = SDQ.score({str(n): 0 for n in range(1, 26)})  # reversed items keyed 2: 10
    assert describe_change(SDQ, before, after) == (
        "Your total difficulties score went from 20 to 10 (this questionnaire "
        "has no agreed measure of reliable change). Lower scores are better."
    )


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        (
            (5, 5, 5, 5),
            (8, 8, 8, "6.5"),
            "Your score went from 20 to 30.5: a reliable improvement. "
            "It is now above the clinical range.",
        ),
        (
            (8, 8, 8, "6.5"),
            (5, 5, 5, 5),
            "Your score went from 30.5 to 20: a reliable change for the worse. "
            "It is now in the clinical range.",
        ),
        (
            (8, 8, 8, 6),
            (8, 8, 8, 8),
            "Your score went from 30 to 32: not a reliable change. "
            "It is still above the clinical range.",
        ),
    ],
)
def test_describe_change_higher_is_better(before, after, text):
    assert describe_change(ORS, _ors(*before), _ors(*after)) == text


def test_describe_swemwbs_change_against_its_meaningful_change():
    before = SWEMWBS.score(dict.fromkeys("1234567", 2))  # raw 21
    after = SWEMWBS.score(dict.fromkeys("1234567", 3))  # raw 28
    # 5.78 metric points, past Shah et al.'s 2.87.
    assert describe_change(SWEMWBS, before, after) == (
        "Your wellbeing score went from 19.25 to 25.03: a reliable improvement."
    )


def test_describe_change_for_goals():
    before, after = GBO.score({"1": 2, "2": 4}), GBO.score({"1": 7, "2": 6})
    # Per goal, never the mean (which went from 3 to 6.5).
    assert describe_change(GBO, before, after) == (
        "Goal 1 went from 2 to 7: a reliable improvement; goal 2 went from 4 to 6: "
        "not a reliable change. 1 of 2 goals went up by 3 points or more."
    )


def test_describe_goals_over_a_series_with_goals_added_and_dropped():
    series = [
        GBO.score({"1": 2}),
        GBO.score({"1": 3, "2": 6}),
        GBO.score({"1": 8, "2": 2, "3": 4}),
    ]
    assert instruments.describe_changes_over(GBO, series) == (
        "Goal 1 went from 2 to 8: a reliable improvement; goal 2 went from 6 to 2: "
        "a reliable change for the worse; goal 3 has been rated once: nothing to "
        "compare yet. 1 of 2 goals went up by 3 points or more, and 1 went down by "
        "3 or more."
    )
    assert instruments.describe_changes_over(GBO, series[:1]) == (
        "Goal 1 has been rated once: nothing to compare yet."
    )


def test_describe_change_when_a_questionnaire_was_not_finished():
    text = describe_change(PHQ9, PHQ9.score({"1": 1}), _score(PHQ9, 5))
    assert (
        text
        == "These scores cannot be compared because a questionnaire was not finished."
    )


def test_describe_change_for_star_areas():
    before = STAR.score(
        {str(n): 3 for n in range(1, 4)} | {str(n): 5 for n in range(4, 11)}
    )
    after = STAR.score(
        {str(n): 6 for n in range(1, 4)} | {str(n): 5 for n in range(4, 11)}
    )
    text = describe_change(STAR, before, after)
    assert text.startswith("Area 1 went from 3 to 6; Area 2 went from 3 to 6; ")
    assert "Area 4 stayed at 5" in text
    assert text.endswith(
        "This questionnaire has no agreed measure of reliable change. "
        "Higher scores are better."
    )


def test_describe_change_for_mors_names_each_direction():
    before = MORS.score({str(n): 2 for n in range(1, 15)})
    after = MORS.score({str(n): 3 for n in range(1, 15)})
    assert describe_change(MORS, before, after) == (
        "Warmth went from 12 to 18 (higher is better); Invasion went from 12 to 18 "
        "(lower is better). This questionnaire has no agreed measure of reliable change."
    )


@pytest.mark.parametrize(
    ("instrument", "answers", "text"),
    [
        (PHQ9, answers_with_total(PHQ9, 15), "15 out of 27: moderately severe"),
        (PHQ9, answers_with_total(PHQ9, 0), "0 out of 27: minimal"),
        (GAD7, answers_with_total(GAD7, 21), "21 out of 21: severe"),
        (EPDS, answers_with_total(EPDS, 11), "11 out of 30: possible depression"),
        (CORE10, answers_with_total(CORE10, 22), "22 out of 40: moderate to severe"),
        (
            CORE10,
            {str(n): 1 for n in range(1, 10)} | {"2": 3, "3": 3},
            "10 out of 40: low level (estimated, because not every question was answered)",
        ),
        (
            PHQ9,
            {str(n): 1 for n in range(1, 8)},
            "Not scored: 2 questions not answered",
        ),
        (
            EPDS,
            {str(n): 1 for n in range(2, 11)},
            "Not scored: 1 question not answered",
        ),
        (SWEMWBS, dict.fromkeys("1234567", 2), "Wellbeing score 19.25 out of 35"),
        (
            SDQ,
            {str(n): 0 for n in range(1, 26)},
            "Total difficulties score 10 out of 40: normal",
        ),
        (
            GBO,
            {"1": 4, "2": 7},
            "Average goal score 5.5 out of 10 (goal 1: 4, goal 2: 7)",
        ),
        (
            MORS,
            {str(n): 1 for n in range(1, 15)},
            "Warmth: 6 out of 30; Invasion: 6 out of 30",
        ),
    ],
)
def test_describe_score(instrument, answers, text):
    assert describe_score(instrument, instrument.score(answers)) == text


def test_describe_score_for_an_ors_reading():
    assert describe_score(ORS, _ors("5.5", 6, 7, 4)) == "22.5 out of 40"


def test_describe_score_for_a_star_reading():
    score = STAR.score({"1": 3, "2": 10} | {str(n): 5 for n in range(3, 11)})
    text = describe_score(STAR, score)
    assert text.startswith(
        "Area 1: 3 out of 10 (stage 2 of 5); Area 2: 10 out of 10 (stage 5 of 5);"
    )


@pytest.mark.parametrize(
    ("instrument", "before", "after", "text"),
    [
        (
            PHQ9,
            17,
            8,
            "Amelia's PHQ-9 score went from 17 to 8: a reliable improvement. "
            "It is now below the clinical range.",
        ),
        (
            GAD7,
            6,
            12,
            "Amelia's GAD-7 score went from 6 to 12: a reliable change for the "
            "worse. It is now in the clinical range.",
        ),
        (
            PHQ9,
            4,
            4,
            "Amelia's PHQ-9 score stayed at 4. It is still below the clinical range.",
        ),
        (
            EPDS,
            14,
            6,
            "Amelia's EPDS score went from 14 to 6 (this questionnaire has no agreed "
            "measure of reliable change). Lower scores are better. "
            "It is now below the clinical range.",
        ),
    ],
)
def test_the_practitioner_reads_the_same_change_about_the_person(
    instrument, before, after, text
):
    first, last = _score(instrument, before), _score(instrument, after)
    assert (
        instruments.describe_change_to_practitioner(
            instrument, first, last, name="Amelia"
        )
        == text
    )
    # The family reads the same verdict, addressed to them.
    family = describe_change(instrument, first, last)
    assert family.startswith("Your score ")
    assert text.removeprefix(f"Amelia's {instrument.short_name} score ") == (
        family.removeprefix("Your score ")
    )


def test_the_practitioner_reads_each_measure_by_its_name():
    swemwbs = instruments.describe_change_to_practitioner(
        SWEMWBS,
        SWEMWBS.score(dict.fromkeys("1234567", 2)),
        SWEMWBS.score(dict.fromkeys("1234567", 3)),
        name="Amelia",
    )
    assert swemwbs == (
        "Amelia's SWEMWBS wellbeing score went from 19.25 to 25.03: "
        "a reliable improvement."
    )
    goals = instruments.describe_change_to_practitioner(
        GBO, GBO.score({"1": 2}), GBO.score({"1": 7}), name="Amelia"
    )
    assert goals == (
        "Amelia's GBO: goal 1 went from 2 to 7: a reliable improvement. "
        "1 of 1 goal went up by 3 points or more."
    )
    unscored = instruments.describe_change_to_practitioner(
        PHQ9, PHQ9.score({"1": 1}), _score(PHQ9, 5), name="Amelia"
    )
    assert unscored == (
        "Amelia's first and latest PHQ-9 scores cannot be compared because one "
        "of them could not be scored."
    )


def test_the_practitioner_reads_a_first_score_about_the_person():
    assert instruments.describe_score_to_practitioner(
        PHQ9, _score(PHQ9, 15), name="Amelia"
    ) == ("Amelia's first PHQ-9 score is 15 out of 27: moderately severe.")
    prorated = CORE10.score({str(n): 1 for n in range(1, 10)} | {"2": 3, "3": 3})
    assert instruments.describe_score_to_practitioner(
        CORE10, prorated, name="Amelia"
    ) == (
        "Amelia's first CORE-10 score is 10 out of 40: low level "
        "(pro-rated: not every question was answered)."
    )
