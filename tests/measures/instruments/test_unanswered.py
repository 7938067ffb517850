"""What unanswered questions do to a score, for the practitioner: exact
wording, read from the score each instrument's own rule gave."""

import pytest

from onestory.measures import instruments
from onestory.measures.instruments import describe_unanswered

from .helpers import answers_with_total


def _all_but(instrument, *keys):
    """Every required question answered (first option, or the least reading)
    but `keys`."""
    return {
        item.key: 0 if item.kind == "choice" else item.minimum
        for item in instrument.items
        if item.required and item.key not in keys
    }


@pytest.mark.parametrize(
    ("code", "unanswered", "text"),
    [
        (
            "PHQ9",
            ("3", "7"),
            "A score cannot be given unless every question is answered.",
        ),
        ("GAD7", ("1",), "A score cannot be given unless every question is answered."),
        ("EPDS", ("10",), "A score cannot be given unless every question is answered."),
        ("CORE10", ("4",), "The score is pro-rated from 9 of 10 answers."),
        ("CORE10", ("4", "5"), "A score cannot be given with fewer than 9 answers."),
        (
            "SDQ_P4_17",
            ("3",),
            "The emotional symptoms score is pro-rated from 4 of 5 answers. "
            "So the total difficulties score is pro-rated too.",
        ),
        (
            "SDQ_P4_17",
            ("3", "8", "13"),
            "The emotional symptoms score cannot be given from 2 of 5 answers. "
            "A scale cannot be scored with fewer than 3 of its 5 answers, and the "
            "total difficulties score needs all 4 difficulty scales.",
        ),
        ("SDQ_P2_4", ("1",), "The prosocial score is pro-rated from 4 of 5 answers."),
        (
            "MORS_SF",
            ("1",),
            "The warmth score cannot be given from 5 of 6 answers. "
            "A subscale cannot be scored unless all 6 of its questions are answered.",
        ),
        (
            "SWEMWBS",
            ("2",),
            "A score cannot be given unless every question is answered.",
        ),
    ],
)
def test_the_consequence_of_unanswered_questions(code, unanswered, text):
    instrument = instruments.get(code)
    score = instrument.score(_all_but(instrument, *unanswered))
    assert score.missing_items == unanswered
    assert describe_unanswered(instrument, score) == text


def test_goals_and_star_areas():
    gbo, star = instruments.get("GBO"), instruments.get("STAR")
    assert describe_unanswered(gbo, gbo.score({"2": 5})) == (
        "A score cannot be given unless goal 1 is rated."
    )
    assert describe_unanswered(gbo, gbo.score({"1": 5})) == ""  # goals 2, 3 optional
    readings = {str(n): 5 for n in range(1, 10)}
    assert describe_unanswered(star, star.score(readings)) == (
        "An area not rated has no reading; the areas rated are still shown."
    )


def test_nothing_is_said_when_every_required_question_is_answered():
    sdq = instruments.get("SDQ_P4_17")
    # The impact supplement is optional: leaving it out changes nothing.
    assert describe_unanswered(sdq, sdq.score(answers_with_total(sdq, 12))) == ""
    phq9 = instruments.get("PHQ9")
    assert describe_unanswered(phq9, phq9.score(answers_with_total(phq9, 12))) == ""


@pytest.mark.parametrize("code", instruments.CODES)
def test_the_words_follow_the_score_the_rules_gave(code):
    """Pro-rated is said only of a pro-rated score; 'cannot be given' only when
    the rules gave no score (or no score to a part)."""
    instrument = instruments.get(code)
    required = [item.key for item in instrument.items if item.required]
    score = instrument.score(_all_but(instrument, required[0]))
    text = describe_unanswered(instrument, score)
    assert text
    if score.status == "prorated":
        assert "pro-rated" in text
        assert "cannot" not in text
    if instrument.has_total and score.total is None:
        assert text.endswith(instrument.unanswered_rule)
