"""Outcomes Star readings (Triangle Consulting Social Enterprise), spec section 8.

A reading is a number from 1 to 10 for each numbered outcome area; nothing
else ships (the licence forbids derivative works, STAR-FSP-GUIDE). The area
count is configurable; the registered "STAR" is Family Star Plus with 10
areas. There is no total.

Local definitions, both provisional (spec sections 8 and 15.8, [D]):
* stage = ceil(reading / 2), 1 to 5 (the Journey of Change has 2 points per
  stage, but the Family Star Plus stage names were not retrieved);
* per-area change = latest reading minus first reading.
"""

from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal

from .base import Band, Instrument, Scale
from .engine import make_score, missing_required, not_scored_note, number_item
from .scores import INCOMPLETE, SCORED, ScaleScore, Score

STAGES = 5
READING_MIN, READING_MAX = 1, 10
FAMILY_STAR_PLUS_AREAS = 10


def _stage_bands() -> tuple[Band, ...]:
    # Severity 0 is best, so stage 5 (readings 9-10) has severity 0.
    return tuple(
        Band(
            f"stage_{stage}",
            f"Stage {stage} of {STAGES}",
            Decimal(2 * stage - 1),
            Decimal(2 * stage),
            STAGES - stage,
            provisional=True,
        )
        for stage in range(1, STAGES + 1)
    )


STAGE_BANDS = _stage_bands()


def stage(reading: Decimal) -> int:
    """ceil(reading / 2): readings 1-2 are stage 1 ... 9-10 stage 5 (local rule)."""
    return int((reading / 2).to_integral_value(rounding=ROUND_CEILING))


def _area_scale(n: int) -> Scale:
    return Scale(
        f"area_{n}",
        f"Area {n}",
        (str(n),),
        Decimal(READING_MIN),
        Decimal(READING_MAX),
        STAGE_BANDS,
        higher_is_better=True,
    )


def _area_score(scale: Scale, keyed: Mapping[str, Decimal]) -> ScaleScore:
    reading = keyed.get(scale.items[0])
    if reading is None:
        return ScaleScore(scale.key, scale.label, INCOMPLETE, None)
    band = STAGE_BANDS[stage(reading) - 1]
    return ScaleScore(scale.key, scale.label, SCORED, reading, band)


def score_star(instrument: Instrument, keyed: Mapping[str, Decimal]) -> Score:
    scales = {scale.key: _area_score(scale, keyed) for scale in instrument.scales}
    missing = missing_required(instrument, keyed)
    return make_score(
        instrument,
        keyed,
        status=INCOMPLETE if missing else SCORED,
        total=None,
        scales=scales,
        notes=(not_scored_note(missing),) if missing else (),
    )


def make_star(
    areas: int = FAMILY_STAR_PLUS_AREAS,
    *,
    code: str = "STAR",
    version: int = 1,
    name: str = "Outcomes Star readings (Family Star Plus)",
) -> Instrument:
    """An Outcomes Star definition with `areas` numbered areas (1 to 10 each)."""
    if areas < 1:
        raise ValueError("An Outcomes Star needs at least one area")
    numbers = range(1, areas + 1)
    return Instrument(
        code=code,
        version=version,
        name=name,
        short_name="Outcomes Star",
        timeframe="",
        items=tuple(
            number_item(str(n), READING_MIN, READING_MAX, neutral_name=f"Area {n}")
            for n in numbers
        ),
        higher_is_better=True,
        ships_item_text=False,
        licence="\u00a9 Triangle Consulting Social Enterprise: licence and "
        "training required; only area numbers and readings are stored.",
        self_completion=False,
        minimum=None,
        maximum=None,
        thresholds={},
        scorer=score_star,
        unanswered_rule="An area not rated has no reading; the areas rated are "
        "still shown.",
        scales=tuple(_area_scale(n) for n in numbers),
        provisional_rules=(
            "Stage = ceil(reading / 2), 1 to 5: local definition; stage names "
            "not retrieved (spec section 15.8).",
            "Change per area = latest minus first reading: local definition; "
            "Triangle's definition of change not retrieved (spec section 15.8).",
            "No total and no reliable-change threshold.",
        ),
        sources=("STAR-FSP-GUIDE", "UUSIA"),
    )


STAR = make_star()

INSTRUMENTS = (STAR,)
