"""SDQ parent 2-4 and 4-17: keys, pro-rating (>= 3 of 5, half up), totals,
externalising/internalising, the impact supplement and 3-band cut-offs
(spec section 7)."""

from decimal import Decimal

import pytest

from onestory.measures import instruments

from .helpers import answers_from_values, spread

P2_4 = instruments.get("SDQ_P2_4")
P4_17 = instruments.get("SDQ_P4_17")
BOTH = pytest.mark.parametrize("sdq", [P2_4, P4_17], ids=["P2_4", "P4_17"])

SCALES = {
    "emotional": ("3", "8", "13", "16", "24"),
    "conduct": ("5", "7", "12", "18", "22"),
    "hyperactivity": ("2", "10", "15", "21", "25"),
    "peer": ("6", "11", "14", "19", "23"),
    "prosocial": ("1", "4", "9", "17", "20"),
}
REVERSED = {"7", "11", "14", "21", "25"}


def _scale_values(**scores: int) -> dict[str, int]:
    """Keyed values giving each named scale the score asked for (0 otherwise)."""
    values = {}
    for scale, keys in SCALES.items():
        values |= spread(scores.get(scale, 0), list(keys), 2)
    return values


def _answers(sdq, **scores: int) -> dict:
    return answers_from_values(sdq, _scale_values(**scores))


@BOTH
@pytest.mark.parametrize("key", [str(n) for n in range(1, 26)])
def test_item_keys_and_reversals(sdq, key):
    expected = [2, 1, 0] if key in REVERSED else [0, 1, 2]
    assert [o.value for o in sdq.item(key).options] == expected


@BOTH
def test_minimum_and_maximum(sdq):
    lowest = sdq.score(_answers(sdq))
    highest = sdq.score(
        _answers(sdq, emotional=10, conduct=10, hyperactivity=10, peer=10, prosocial=10)
    )
    assert lowest.total == 0
    assert highest.total == 40
    assert highest.scales["prosocial"].score == 10
    assert highest.scales["externalising"].score == 20
    assert highest.scales["internalising"].score == 20


@BOTH
def test_scales_externalising_and_internalising(sdq):
    score = sdq.score(
        _answers(sdq, emotional=3, conduct=4, hyperactivity=6, peer=1, prosocial=8)
    )
    scales = {k: s.score for k, s in score.scales.items()}
    assert scales["emotional"] == 3
    assert scales["conduct"] == 4
    assert scales["hyperactivity"] == 6
    assert scales["peer"] == 1
    assert scales["prosocial"] == 8
    assert scales["externalising"] == 10  # conduct + hyperactivity
    assert scales["internalising"] == 4  # emotional + peer
    assert score.total == 14  # prosocial is not part of the total
    assert score.status == "scored"


def _emotional_with(values: list[int | None]) -> dict:
    base = _answers(P4_17)
    for key, value in zip(SCALES["emotional"], values, strict=True):
        if value is None:
            del base[key]
        else:
            base[key] = value  # emotional items are not reversed: position = value
    return base


@pytest.mark.parametrize(
    ("values", "expected", "status"),
    [
        # SDQ-SCORE2014's published example: 4 over 3 items -> 6.67 -> 7.
        ([2, 1, 1, None, None], 7, "prorated"),
        # Half rounds up, never to even: 2 over 4 items -> 2.5 -> 3.
        ([1, 1, 0, 0, None], 3, "prorated"),
        ([2, 2, 1, 1, None], 8, "prorated"),  # 7.5 -> 8
        ([1, 0, 0, 0, None], 1, "prorated"),  # 1.25 -> 1
        ([1, 1, 1, 0, None], 4, "prorated"),  # 3.75 -> 4
        ([2, 2, 2, 1, None], 9, "prorated"),  # 8.75 -> 9
        ([2, 2, 2, 2, None], 10, "prorated"),
        ([1, 0, 0, None, None], 2, "prorated"),  # 1.67 -> 2
        ([1, 1, 0, None, None], 3, "prorated"),  # 3.33 -> 3
        ([0, 0, 0, None, None], 0, "prorated"),
        ([2, 2, 2, 2, 2], 10, "scored"),
        ([1, 1, 0, 0, 0], 2, "scored"),
    ],
)
def test_scale_pro_rating_from_three_or_four_items(values, expected, status):
    score = P4_17.score(_emotional_with(values))
    emotional = score.scales["emotional"]
    assert emotional.score == Decimal(expected)
    assert emotional.status == status
    assert score.total == Decimal(expected)
    assert score.status == status
    answered = sum(v is not None for v in values)
    if status == "prorated":
        assert f"Emotional symptoms pro-rated from {answered} of 5 items" in score.notes


@pytest.mark.parametrize("values", [[2, 2, None, None, None], [None] * 5])
def test_fewer_than_three_items_leaves_the_scale_and_total_missing(values):
    score = P4_17.score(_emotional_with(values))
    assert score.scales["emotional"].status == "incomplete"
    assert score.scales["emotional"].score is None
    assert score.scales["internalising"].score is None
    assert score.scales["externalising"].score == 0
    assert score.total is None
    assert score.band is None
    assert score.status == "incomplete"


def test_a_missing_prosocial_scale_does_not_stop_the_total():
    answers = _answers(P4_17, emotional=2)
    for key in SCALES["prosocial"][:3]:
        del answers[key]
    score = P4_17.score(answers)
    assert score.scales["prosocial"].score is None
    assert score.total == 2
    assert score.status == "scored"


# --- impact supplement -----------------------------------------------------

IMPACT_KEYS = (
    "impact_distress",
    "impact_home",
    "impact_friendships",
    "impact_learning",
    "impact_leisure",
)


@BOTH
@pytest.mark.parametrize(("position", "value"), [(0, 0), (1, 0), (2, 1), (3, 2)])
def test_impact_item_codes(sdq, position, value):
    for key in IMPACT_KEYS:
        assert sdq.item(key).options[position].value == value


@BOTH
@pytest.mark.parametrize(
    ("supplement", "impact"),
    [
        ({"overall": 0}, 0),
        # "No" gives 0 whatever else was ticked (SDQ-STATA order of steps).
        ({"overall": 0, "impact_distress": 3, "impact_home": 3}, 0),
        ({"overall": 1}, None),
        ({}, None),
        ({"overall": 2, "impact_distress": 2, "impact_home": 3}, 3),
        ({"overall": 3} | dict.fromkeys(IMPACT_KEYS, 3), 10),
        ({"overall": 1} | dict.fromkeys(IMPACT_KEYS, 1), 0),
        # Overall unanswered but impact answered: computed (missing count 0).
        ({"impact_leisure": 3}, 2),
        # Chronicity and burden are not part of impact.
        ({"overall": 1, "chronicity": 3, "burden": 3, "impact_home": 2}, 1),
    ],
)
def test_impact_score(sdq, supplement, impact):
    score = sdq.score(_answers(sdq) | supplement)
    scale = score.scales["impact"]
    if impact is None:
        assert scale.status == "incomplete"
        assert scale.score is None
    else:
        assert scale.status == "scored"
        assert scale.score == Decimal(impact)
    assert score.total == 0  # impact never changes the total
    assert score.missing_items == ()


def test_partly_answered_impact_is_noted():
    score = P4_17.score(_answers(P4_17) | {"overall": 2, "impact_home": 2})
    assert (
        "Impact from 1 of 5 impact items; unanswered ones count as 0 (SDQ scoring rule)"
        in score.notes
    )


@pytest.mark.parametrize(
    ("impact", "band"),
    [(0, "normal"), (1, "borderline"), (2, "abnormal"), (10, "abnormal")],
)
def test_impact_bands_for_4_17_are_provisional(impact, band):
    supplement = {"overall": 1} | dict(
        zip(IMPACT_KEYS, _impact_positions(impact), strict=True)
    )
    scale = P4_17.score(_answers(P4_17) | supplement).scales["impact"]
    assert scale.score == impact
    assert scale.band.key == band
    assert scale.band.provisional is True


def _impact_positions(impact: int) -> list[int]:
    values = spread(impact, list(IMPACT_KEYS), 2)
    return [{0: 0, 1: 2, 2: 3}[values[key]] for key in IMPACT_KEYS]


def test_impact_has_no_band_for_2_4():
    supplement = {"overall": 1, "impact_distress": 3}
    assert P2_4.score(_answers(P2_4) | supplement).scales["impact"].band is None


# --- bands -------------------------------------------------------------------

BANDS_4_17 = [
    ("total", 13, "normal"), ("total", 14, "borderline"), ("total", 16, "borderline"),
    ("total", 17, "abnormal"), ("total", 40, "abnormal"), ("total", 0, "normal"),
    ("emotional", 3, "normal"), ("emotional", 4, "borderline"), ("emotional", 5, "abnormal"),
    ("conduct", 2, "normal"), ("conduct", 3, "borderline"), ("conduct", 4, "abnormal"),
    ("hyperactivity", 5, "normal"), ("hyperactivity", 6, "borderline"), ("hyperactivity", 7, "abnormal"),
    ("peer", 2, "normal"), ("peer", 3, "borderline"), ("peer", 4, "abnormal"),
    ("prosocial", 6, "normal"), ("prosocial", 5, "borderline"), ("prosocial", 4, "abnormal"),
    ("prosocial", 10, "normal"), ("prosocial", 0, "abnormal"),
]  # fmt: skip

BANDS_2_4 = [
    ("total", 12, "normal"), ("total", 13, "borderline"), ("total", 15, "borderline"),
    ("total", 16, "abnormal"), ("total", 40, "abnormal"), ("total", 0, "normal"),
    ("emotional", 2, "normal"), ("emotional", 3, "borderline"), ("emotional", 4, "abnormal"),
    ("conduct", 3, "normal"), ("conduct", 4, "borderline"), ("conduct", 5, "abnormal"),
    ("hyperactivity", 5, "normal"), ("hyperactivity", 6, "borderline"), ("hyperactivity", 7, "abnormal"),
    ("peer", 2, "normal"), ("peer", 3, "borderline"), ("peer", 4, "abnormal"),
    ("prosocial", 7, "normal"), ("prosocial", 6, "borderline"), ("prosocial", 5, "abnormal"),
    ("prosocial", 10, "normal"), ("prosocial", 0, "abnormal"),
]  # fmt: skip


def _score_with(sdq, scale: str, value: int):
    if scale == "total":
        parts = spread(value, ["emotional", "conduct", "hyperactivity", "peer"], 10)
        return sdq.score(_answers(sdq, **parts))
    return sdq.score(_answers(sdq, **{scale: value}))


@pytest.mark.parametrize(("scale", "value", "band"), BANDS_4_17)
def test_bands_4_17(scale, value, band):
    score = _score_with(P4_17, scale, value)
    found = score.band if scale == "total" else score.scales[scale].band
    assert found.key == band


@pytest.mark.parametrize(("scale", "value", "band"), BANDS_2_4)
def test_bands_2_4(scale, value, band):
    score = _score_with(P2_4, scale, value)
    found = score.band if scale == "total" else score.scales[scale].band
    assert found.key == band


@BOTH
def test_externalising_and_internalising_have_no_bands(sdq):
    score = sdq.score(_answers(sdq, conduct=10, emotional=10))
    assert score.scales["externalising"].band is None
    assert score.scales["internalising"].band is None


@BOTH
def test_sdq_has_no_caseness_risk_or_reliable_change(sdq):
    score = sdq.score(_answers(sdq, conduct=10))
    assert score.caseness is None
    assert score.risk == {}
    assert sdq.thresholds == {}
