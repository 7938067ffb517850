"""MORS-SF: Mothers' Object Relations Scales, Short Form (spec section 6).

PROVISIONAL LOCAL RULE. Only the subscale membership of items 1 to 12 is
verified (BHOPAL2022): Warmth 1, 3, 4, 6, 8, 11; Invasion 2, 5, 7, 9, 10, 12.
The response scale, the numeric values, sum versus mean, the missing-item rule,
cut-offs and reliable change were not retrieved [U], so until the owner's
scoring guidance is obtained this module:

* records 14 items as option positions, assuming 6 positions scored 0 to 5;
* scores Warmth and Invasion as the sum of their six items (0 to 30 each),
  only when all six are answered;
* records items 13 and 14 without scoring them;
* has no total, no bands, no cut-off and no reliable change.

Every score it returns is marked provisional. Licence: registration-gated at
morscales.org, copyright John Oates: no wording ships.
"""

from collections.abc import Mapping
from decimal import Decimal

from .base import Instrument, Item, Scale
from .engine import choice_item, make_score, sum_values
from .scores import INCOMPLETE, SCORED, ScaleScore, Score

ASSUMED_VALUES = (0, 1, 2, 3, 4, 5)
WARMTH_ITEMS = ("1", "3", "4", "6", "8", "11")
INVASION_ITEMS = ("2", "5", "7", "9", "10", "12")
UNSCORED_ITEMS = frozenset({13, 14})

SCALES = (
    Scale("warmth", "Warmth", WARMTH_ITEMS, Decimal(0), Decimal(30), (), True),
    Scale("invasion", "Invasion", INVASION_ITEMS, Decimal(0), Decimal(30), (), False),
)

PROVISIONAL_NOTE = (
    "Provisional local scoring rule: MORS-SF response values and scoring were "
    "not retrieved (spec section 6)"
)


def _items() -> tuple[Item, ...]:
    return tuple(
        choice_item(
            str(n),
            n,
            ASSUMED_VALUES,
            required=n not in UNSCORED_ITEMS,
            scored=n not in UNSCORED_ITEMS,
        )
        for n in range(1, 15)
    )


def _scale_score(scale: Scale, keyed: Mapping[str, Decimal]) -> ScaleScore:
    if all(key in keyed for key in scale.items):
        total = sum_values(keyed, scale.items)
        return ScaleScore(scale.key, scale.label, SCORED, total)
    return ScaleScore(scale.key, scale.label, INCOMPLETE, None)


def score_mors_sf(instrument: Instrument, keyed: Mapping[str, Decimal]) -> Score:
    scales = {scale.key: _scale_score(scale, keyed) for scale in instrument.scales}
    complete = all(scale.status == SCORED for scale in scales.values())
    notes = [PROVISIONAL_NOTE]
    notes += [
        f"{scale.label} not scored: not all of its 6 items answered"
        for scale in scales.values()
        if scale.status == INCOMPLETE
    ]
    return make_score(
        instrument,
        keyed,
        status=SCORED if complete else INCOMPLETE,
        total=None,
        scales=scales,
        notes=tuple(notes),
        provisional=True,
    )


MORS_SF = Instrument(
    code="MORS_SF",
    version=1,
    name="Mothers' Object Relations Scales, Short Form (MORS-SF)",
    short_name="MORS-SF",
    timeframe="",
    items=_items(),
    # No total: Warmth is higher-is-better, Invasion lower-is-better (see scales).
    higher_is_better=True,
    ships_item_text=False,
    licence="\u00a9 John Oates; available after registration at morscales.org: "
    "no wording shipped.",
    self_completion=True,
    minimum=None,
    maximum=None,
    thresholds={},
    scorer=score_mors_sf,
    unanswered_rule=(
        f"A subscale cannot be scored unless all {len(WARMTH_ITEMS)} of its "
        "questions are answered."
    ),
    scales=SCALES,
    provisional_rules=(
        "The whole MORS-SF scoring is a provisional local rule (spec sections 6 "
        "and 15.7).",
        "6 response positions scored 0 to 5 are assumed [U].",
        "Subscales are sums of their six items, scored only when all six are "
        "answered [U].",
        "Items 13 and 14 are recorded but not scored: their subscale is unknown [U].",
        "No bands, cut-offs or reliable change [U].",
    ),
    sources=("BHOPAL2022", "MORS-DEV", "MORS-TOOLS"),
)

INSTRUMENTS = (MORS_SF,)
