"""Properties over generated answers: totals stay in range, scores are
monotone in each item's keyed value, scores survive to_dict/from_dict, and
change classification is consistent."""

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from onestory.measures import instruments
from onestory.measures.instruments import Score, change, talking_therapies

PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=150)
ALL = instruments.all_instruments()
SUMMED = [i for i in ALL if i.code not in {"MORS_SF", "STAR", "GBO"}]


def _reading(item) -> st.SearchStrategy:
    if item.kind == "choice":
        return st.integers(0, len(item.options) - 1)
    step = Decimal(1).scaleb(-item.decimal_places)
    low, high = int(item.minimum / step), int(item.maximum / step)
    return st.integers(low, high).map(lambda n: Decimal(n) * step)


def complete(instrument) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {item.key: _reading(item) for item in instrument.items}
    )


def partial(instrument) -> st.SearchStrategy:
    optional = {item.key: st.none() | _reading(item) for item in instrument.items}
    return st.fixed_dictionaries({}, optional=optional)


@st.composite
def scored(draw, strategy=partial):
    instrument = draw(st.sampled_from(ALL))
    return instrument, draw(strategy(instrument))


def _in_range(value, low, high) -> bool:
    return value is None or low <= value <= high


@PROPERTY
@given(scored())
def test_totals_and_scales_stay_in_range(case):
    instrument, answers = case
    score = instrument.score(answers)
    if instrument.has_total:
        assert _in_range(score.total, instrument.minimum, instrument.maximum)
        assert (score.total is None) is (score.status == "incomplete")
    else:
        assert score.total is None
    for scale in instrument.scales:
        if scale.key in score.scales:
            assert _in_range(
                score.scales[scale.key].score, scale.minimum, scale.maximum
            )
    assert all(isinstance(s.score, Decimal | None) for s in score.scales.values())
    assert isinstance(score.total, Decimal | None)


@PROPERTY
@given(scored())
def test_risk_is_reported_for_every_risk_item_and_never_guessed(case):
    instrument, answers = case
    score = instrument.score(answers)
    risk_keys = {item.key for item in instrument.items if item.is_risk_item}
    assert set(score.risk) == risk_keys
    for key in risk_keys:
        assert (score.risk[key] == "not_answered") is (answers.get(key) is None)


@PROPERTY
@given(scored())
def test_missing_items_are_exactly_the_unanswered_required_items(case):
    instrument, answers = case
    score = instrument.score(answers)
    expected = tuple(
        item.key
        for item in instrument.items
        if item.required and answers.get(item.key) is None
    )
    assert score.missing_items == expected


@PROPERTY
@given(scored())
def test_scores_round_trip_through_json(case):
    instrument, answers = case
    score = instrument.score(answers)
    stored = json.loads(json.dumps(score.to_dict()))
    again = Score.from_dict(stored)
    assert again == score
    assert again.to_dict() == score.to_dict()
    assert str(again.total) == str(score.total)


def _with(answers: dict, key: str, value) -> dict:
    return answers | {key: value}


@st.composite
def one_item_raised(draw):
    """A response and one item given two different answers."""
    instrument = draw(st.sampled_from(ALL))
    answers = draw(partial(instrument))
    item = draw(st.sampled_from(instrument.items))
    low, high = draw(_reading(item)), draw(_reading(item))
    return instrument, answers, item, low, high


def _keyed(item, answer) -> Decimal:
    return Decimal(item.options[answer].value) if item.kind == "choice" else answer


@PROPERTY
@given(one_item_raised())
def test_raising_one_keyed_value_never_lowers_a_total_or_scale(case):
    instrument, answers, item, first, second = case
    if _keyed(item, first) > _keyed(item, second):
        first, second = second, first
    lower = instrument.score(_with(answers, item.key, first))
    higher = instrument.score(_with(answers, item.key, second))
    if lower.total is not None and higher.total is not None:
        assert higher.total >= lower.total
    for key, scale in lower.scales.items():
        other = higher.scales.get(key)
        if scale.score is not None and other is not None and other.score is not None:
            assert other.score >= scale.score


@PROPERTY
@given(one_item_raised())
def test_reversed_items_are_anti_monotone_in_position(case):
    instrument, answers, item, first, second = case
    if item.kind != "choice" or not instrument.has_total:
        return
    earlier, later = sorted((first, second))
    at_earlier = instrument.score(_with(answers, item.key, earlier)).total
    at_later = instrument.score(_with(answers, item.key, later)).total
    if at_earlier is None or at_later is None:
        return
    if item.is_reversed:
        assert at_later <= at_earlier
    else:
        assert at_later >= at_earlier


@PROPERTY
@given(st.sampled_from(SUMMED).flatmap(lambda i: st.tuples(st.just(i), complete(i))))
def test_complete_sum_scores_equal_the_sum_of_keyed_items(case):
    instrument, answers = case
    score = instrument.score(answers)
    keyed = {
        item.key: _keyed(item, answers[item.key])
        for item in instrument.items
        if item.required
    }
    if instrument.code == "SWEMWBS":
        assert score.scales["raw"].score == sum(keyed.values())
    elif instrument.code.startswith("SDQ"):
        prosocial = {"1", "4", "9", "17", "20"}
        assert score.total == sum(v for k, v in keyed.items() if k not in prosocial)
    else:
        assert score.total == sum(keyed.values())
        assert score.status == "scored"


@st.composite
def two_scores(draw):
    instrument = draw(st.sampled_from(ALL))
    before = instrument.score(draw(partial(instrument)))
    after = instrument.score(draw(partial(instrument)))
    return instrument, before, after


_OPPOSITE = {
    "improved": "deteriorated",
    "deteriorated": "improved",
    "no_reliable_change": "no_reliable_change",
    "unknown": "unknown",
    "no_threshold": "no_threshold",
}


@PROPERTY
@given(two_scores())
def test_swapping_before_and_after_swaps_the_direction(case):
    instrument, before, after = case
    forward = change.classify(instrument, before, after)
    backward = change.classify(instrument, after, before)
    assert backward.direction == _OPPOSITE[forward.direction]
    if forward.difference is not None:
        assert backward.difference == -forward.difference
    if forward.reliably_recovered:
        assert forward.recovered
        assert forward.direction == "improved"
    assert isinstance(instruments.describe_change(instrument, before, after), str)


PHQ9, GAD7 = instruments.get("PHQ9"), instruments.get("GAD7")


@PROPERTY
@given(
    complete(PHQ9),
    complete(PHQ9),
    complete(GAD7),
    complete(GAD7),
    st.integers(min_value=2, max_value=40),
)
def test_talking_therapies_flags_are_consistent(
    phq_first, phq_last, gad_first, gad_last, appointments
):
    outcome = talking_therapies.talking_therapies(
        PHQ9.score(phq_first),
        PHQ9.score(phq_last),
        GAD7.score(gad_first),
        GAD7.score(gad_last),
        treatment_appointments=appointments,
    )
    assert outcome.finished_course is True
    # Recovery applies exactly to those at caseness at the start.
    assert (outcome.recovered is None) is (not outcome.at_caseness_at_start)
    assert (outcome.reliable_recovery is None) is (not outcome.at_caseness_at_start)
    if outcome.at_caseness_at_start:
        assert outcome.recovered is (not outcome.at_caseness_at_end)
    flags = (
        outcome.reliable_improvement,
        outcome.reliable_deterioration,
        outcome.no_reliable_change,
    )
    assert sum(flags) == 1
    if outcome.reliable_recovery:
        assert outcome.recovered
        assert outcome.reliable_improvement
    if outcome.recovered:
        assert outcome.at_caseness_at_start
    if outcome.mixed:
        assert outcome.reliable_deterioration
        assert not outcome.reliable_improvement
    assert outcome.provisional_reading is outcome.mixed
