"""Outcomes Star readings (spec section 8) and Goal-Based Outcomes."""

from decimal import Decimal

import pytest

from onestory.measures import instruments
from onestory.measures.instruments import change

STAR = instruments.get("STAR")
GBO = instruments.get("GBO")


def _readings(*values) -> dict:
    return {str(n): value for n, value in enumerate(values, start=1)}


@pytest.mark.parametrize(
    ("reading", "stage"),
    [(1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (6, 3), (7, 4), (8, 4), (9, 5), (10, 5)],
)
def test_star_stage_is_ceiling_of_half_the_reading(reading, stage):
    score = STAR.score(dict.fromkeys((str(n) for n in range(1, 11)), reading))
    area = score.scales["area_1"]
    assert area.score == reading
    assert area.band.key == f"stage_{stage}"
    assert area.band.label == f"Stage {stage} of 5"
    assert area.band.provisional is True


def test_star_reading_has_one_value_per_area_and_no_total():
    score = STAR.score(_readings(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
    assert score.status == "scored"
    assert score.total is None
    assert [s.score for s in score.scales.values()] == list(range(1, 11))
    assert STAR.has_total is False
    assert [item.display_name for item in STAR.items][:2] == ["Area 1", "Area 2"]


def test_star_with_an_unanswered_area_is_incomplete_but_keeps_the_others():
    answers = _readings(*[5] * 10)
    del answers["4"]
    score = STAR.score(answers)
    assert score.status == "incomplete"
    assert score.missing_items == ("4",)
    assert score.scales["area_4"].score is None
    assert score.scales["area_5"].score == 5


@pytest.mark.parametrize("areas", [1, 6, 8, 10, 12])
def test_star_area_count_is_configurable(areas):
    star = instruments.make_star(areas, code="MY_STAR")
    assert [item.key for item in star.items] == [str(n) for n in range(1, areas + 1)]
    assert (
        len(star.score(dict.fromkeys((str(n) for n in range(1, areas + 1)), 7)).scales)
        == areas
    )


def test_star_needs_at_least_one_area():
    with pytest.raises(ValueError, match="at least one area"):
        instruments.make_star(0)


def test_star_change_per_area_is_latest_minus_first():
    first = STAR.score(_readings(2, 5, 9, 4, 4, 4, 4, 4, 4, 4))
    latest = STAR.score(_readings(6, 5, 7, 4, 4, 4, 4, 4, 4, 10))
    result = change.classify(STAR, first, latest)
    assert result.direction == "no_threshold"
    assert result.difference is None
    assert result.scales["area_1"].difference == 4
    assert result.scales["area_2"].difference == 0
    assert result.scales["area_3"].difference == -2
    assert result.scales["area_10"].difference == 6
    assert result.scales["area_1"].direction == "no_threshold"


# --- Goal-Based Outcomes -----------------------------------------------------


@pytest.mark.parametrize(
    ("goals", "mean", "note"),
    [
        ({"1": 0}, "0", "Mean of 1 goal"),
        ({"1": 10}, "10", "Mean of 1 goal"),
        ({"1": 3, "2": 4}, "3.5", "Mean of 2 goals"),
        ({"1": 1, "2": 2, "3": 2}, "1.67", "Mean of 3 goals"),  # 1.666... half up
        ({"1": 1, "2": 1, "3": 2}, "1.33", "Mean of 3 goals"),
        ({"1": 10, "2": 10, "3": 10}, "10", "Mean of 3 goals"),
        ({"1": 4, "3": 7}, "5.5", "Mean of 2 goals"),
    ],
)
def test_gbo_reports_each_goal_and_their_mean(goals, mean, note):
    score = GBO.score(goals)
    assert score.status == "scored"
    assert score.total == Decimal(mean)
    assert score.notes == (note,)
    assert {k: s.score for k, s in score.scales.items()} == {
        f"goal_{k}": Decimal(v) for k, v in goals.items()
    }


def test_gbo_without_goal_one_is_not_scored():
    score = GBO.score({"2": 5})
    assert score.status == "incomplete"
    assert score.total is None
    assert score.missing_items == ("1",)
    assert score.scales["goal_2"].score == 5


def test_gbo_goals_two_and_three_are_optional():
    assert [item.required for item in GBO.items] == [True, False, False]
    assert GBO.accepts_licensed_text is False
    assert GBO.self_completion is True


@pytest.mark.parametrize(
    ("before", "after", "direction"),
    [
        (2, 5, "improved"),
        (2, 4, "no_reliable_change"),
        (5, 2, "deteriorated"),
        (5, 3, "no_reliable_change"),
    ],
)
def test_gbo_reliable_change_of_three_is_provisional(before, after, direction):
    first, last = GBO.score({"1": before}), GBO.score({"1": after})
    result = change.classify(GBO, first, last)
    assert result.scales["goal_1"].direction == direction
    threshold = result.scales["goal_1"].reliable_change_threshold
    assert threshold.value == 3
    assert threshold.provisional is True
    # The mean is never compared: change is per goal.
    assert result.difference is None
    assert result.direction == "no_threshold"


def test_gbo_change_is_each_goals_first_rating_against_its_own_last():
    # Goal 1 rated 2, 3, 8; goal 2 added later, 6 then 2; goal 3 rated once.
    # The mean went from 2 to 4.67, which would read as a reliable gain of
    # 2.67 over different goals; per goal, one went up by 3 or more and one
    # down by 3 or more.
    series = [
        GBO.score({"1": 2}),
        GBO.score({"1": 3, "2": 6}),
        GBO.score({"1": 8, "2": 2, "3": 4}),
    ]
    result = change.scale_changes_over(GBO, series)
    goal_1, goal_2 = result.scales["goal_1"], result.scales["goal_2"]
    assert (goal_1.before, goal_1.after, goal_1.direction) == (2, 8, "improved")
    assert (goal_2.before, goal_2.after, goal_2.direction) == (6, 2, "deteriorated")
    assert "goal_3" not in result.scales
    assert result.rated_once == ("goal_3",)
    assert (result.improved, result.deteriorated, result.no_reliable_change) == (
        1,
        1,
        0,
    )
    assert result.compared == 2


@pytest.mark.parametrize(
    ("first", "last", "improved", "unchanged"),
    [(5, 8, 1, 0), (5, 7, 0, 1), (8, 5, 0, 0)],
)
def test_gbo_counts_goals_that_moved_by_exactly_the_reliable_amount(
    first, last, improved, unchanged
):
    series = [GBO.score({"1": first}), GBO.score({"1": last})]
    result = change.scale_changes_over(GBO, series)
    assert (result.improved, result.no_reliable_change) == (improved, unchanged)
    assert result.deteriorated == 1 - improved - unchanged
