"""O4 to O6: mean change with its 95% interval where no reliable-change
threshold is agreed (MORS-SF), SDQ with the impact threshold, and Outcomes Star
stages; expected values worked out here."""

from datetime import date
from decimal import Decimal

import pytest

from onestory.insights import domain
from onestory.insights.queries import change
from onestory.measures.models import QuestionnaireResponse
from tests.insights.builders import figure, parts, ratio, scope
from tests.insights.test_outcomes import new_family, parent

FIRST, LAST = date(2026, 2, 1), date(2026, 5, 1)


def scales(person, code, on, total=None, **values):
    return QuestionnaireResponse.objects.create(
        person=person,
        instrument_code=code,
        instrument_version=1,
        answers={},
        score={"scales": {k: {"score": str(v)} for k, v in values.items()}},
        total=None if total is None else Decimal(total),
        status="scored",
        completed_on=on,
        mode="practitioner",
    )


def test_mean_change_and_its_interval():
    # Changes 1, 2, 3: mean 2; variance ((1-2)^2 + 0 + (3-2)^2) / 2 = 1;
    # t(0.975, 2 df) = 4.303, so the margin is 4.303 x 1 / sqrt(3) = 2.484.
    found = domain.mean_change(3, total=6, squares=14)
    assert found.mean == 2
    assert found.low == pytest.approx(2 - 2.4843, abs=1e-3)
    assert found.high == pytest.approx(2 + 2.4843, abs=1e-3)
    assert domain.mean_change(1, 5, 25).low is None
    assert domain.mean_change(0, 0, 0) is None
    assert domain.t_975(35) == domain.T_975[30]  # the next smaller: wider
    assert domain.t_975(500) == domain.Z_975


def test_o4_mors_sf_mean_change_without_labelling_anyone_reliable(city):
    # Warmth first -> last: 10 -> 14 (+4), 12 -> 12 (0), 9 -> 13 (+4): mean 8/3.
    # Invasion: 8 -> 5 (-3), 6 -> 6 (0), 7 -> 4 (-3): mean -2.
    for warmth, invasion in (((10, 14), (8, 5)), ((12, 12), (6, 6)), ((9, 13), (7, 4))):
        person = parent(new_family(city))
        scales(person, "MORS_SF", FIRST, warmth=warmth[0], invasion=invasion[0])
        scales(person, "MORS_SF", LAST, warmth=warmth[1], invasion=invasion[1])
    # Only one score: not paired.
    scales(parent(new_family(city)), "MORS_SF", FIRST, warmth=5, invasion=20)
    figures = change.mors(scope(city))
    warmth = figure(figures, "O4 warmth")
    assert warmth.value == pytest.approx(8 / 3)
    assert warmth.denominator == 3
    assert parts(warmth) == {"Went up": 2, "No change": 1, "Went down": 0}
    invasion = figure(figures, "O4 invasion")
    assert invasion.value == pytest.approx(-2)
    assert parts(invasion) == {"Went up": 0, "No change": 1, "Went down": 2}
    # Changes -3, 0, -3: variance (1 + 4 + 1) / 2 = 3; margin 4.303 x sqrt(3/3).
    assert "-6.30 to 2.30" in invasion.note
    assert "reliable" not in warmth.title.lower()


def test_o5_sdq_total_and_impact_with_the_impact_threshold(city):
    # Impact 5 -> 2 (down 3: reliable), 4 -> 2 (down 2: not), 3 -> 4 (up).
    # Impact changes -3, -2, +1: mean -4/3.
    # Totals 20 -> 14, 18 -> 16, 12 -> 13: mean (-6 - 2 + 1) / 3 = -7/3.
    for totals, impacts in (((20, 14), (5, 2)), ((18, 16), (4, 2)), ((12, 13), (3, 4))):
        person = parent(new_family(city))
        scales(person, "SDQ_P2_4", FIRST, total=totals[0], impact=impacts[0])
        scales(person, "SDQ_P2_4", LAST, total=totals[1], impact=impacts[1])
    figures = change.sdq(scope(city))
    assert figure(figures, "O5 total").value == pytest.approx(-7 / 3)
    assert figure(figures, "O5 impact").value == pytest.approx(-4 / 3)
    assert ratio(figure(figures, "O5 reliable"))[:2] == (1, 3)


def test_o6_star_a_stage_higher_per_area(city):
    # Area 1: 3 -> 5 (stage 2 -> 3: up), 4 -> 4 (2 -> 2), 5 -> 6 (3 -> 3: a
    # reading higher, the same stage). Area 2: 1 -> 10 (1 -> 5: up) for one.
    readings = [
        {"area_1": (3, 5), "area_2": (1, 10)},
        {"area_1": (4, 4)},
        {"area_1": (5, 6)},
    ]
    for areas in readings:
        person = parent(new_family(city))
        scales(person, "STAR", FIRST, **{a: r[0] for a, r in areas.items()})
        scales(person, "STAR", LAST, **{a: r[1] for a, r in areas.items()})
    [star] = change.star(scope(city))
    by_area = dict(star.breakdown)
    assert ratio(by_area["Area 1"])[:2] == (1, 3)
    assert ratio(by_area["Area 2"])[:2] == (1, 1)
    assert ratio(by_area["Area 3"])[:2] == (0, 0)


def test_open_episodes_do_not_count(city):
    person = parent(new_family(city, closed=None))
    scales(person, "MORS_SF", FIRST, warmth=10, invasion=8)
    scales(person, "MORS_SF", LAST, warmth=14, invasion=5)
    assert figure(change.mors(scope(city)), "O4 warmth").value is None
