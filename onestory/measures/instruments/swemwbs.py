"""SWEMWBS: Short Warwick-Edinburgh Mental Wellbeing Scale (spec section 10).

7 items (WEMWBS items 1, 2, 3, 6, 7, 9 and 11, numbered 1 to 7 here), each
scored 1 to 5, no reverse items. The raw sum (7 to 35) must be converted to
the metric score (WARWICK-HOWTO) with the Rasch table of Stewart-Brown et al.
2009 (values cross-checked in SWEMWBS-CODE). Warwick licenses the scale per
organisation: no wording ships.
"""

from collections.abc import Mapping
from decimal import Decimal

from .base import Instrument, Scale, Threshold
from .engine import (
    choice_items,
    make_score,
    missing_required,
    not_scored_note,
    sum_values,
)
from .scores import INCOMPLETE, SCORED, ScaleScore, Score

# raw score -> metric score, 2 decimal places (spec section 10).
METRIC_BY_RAW = {
    raw: Decimal(metric)
    for raw, metric in zip(
        range(7, 36),
        (
            "7.00", "9.51", "11.25", "12.40", "13.33", "14.08", "14.75", "15.32",
            "15.84", "16.36", "16.88", "17.43", "17.98", "18.59", "19.25", "19.98",
            "20.73", "21.54", "22.35", "23.21", "24.11", "25.03", "26.02", "27.03",
            "28.13", "29.31", "30.70", "32.55", "35.00",
        ),
        strict=True,
    )
}  # fmt: skip

WEMWBS_ITEM_NUMBERS = (1, 2, 3, 6, 7, 9, 11)
# Shared with WEMWBS (wemwbs.py): one licence, one wording rule.
LICENCE = (
    "\u00a9 University of Warwick: each organisation needs its own licence; "
    "no wording shipped."
)
RAW_SCALE = Scale(
    "raw",
    "Raw score",
    tuple(str(n) for n in range(1, 8)),
    Decimal(7),
    Decimal(35),
    (),
    True,
)


def metric_score(raw: int) -> Decimal:
    """The metric score for a raw total of 7 to 35 (KeyError otherwise)."""
    return METRIC_BY_RAW[raw]


def score_swemwbs(instrument: Instrument, keyed: Mapping[str, Decimal]) -> Score:
    # The missing-item rule is in the registered-user guides, not retrieved
    # (spec section 10, [U]): any missing item means "not scored".
    missing = missing_required(instrument, keyed)
    if missing:
        raw = ScaleScore("raw", "Raw score", INCOMPLETE, None)
        return make_score(
            instrument,
            keyed,
            status=INCOMPLETE,
            total=None,
            scales={"raw": raw},
            notes=(not_scored_note(missing),),
        )
    raw_total = sum_values(keyed, keyed)
    metric = metric_score(int(raw_total))
    return make_score(
        instrument,
        keyed,
        status=SCORED,
        total=metric,
        scales={"raw": ScaleScore("raw", "Raw score", SCORED, raw_total)},
        notes=(f"Raw score {raw_total} converted to metric score {metric}",),
    )


# Shah et al. 2018 (Health Qual Life Outcomes 16:239), individual level: 2.77
# standard errors of measurement, 2.87 metric points, or 1 SEM (1.03 points);
# "between 1 and 3 points ... depending on standard used". 2.77 SEM is the
# standard behind WEMWBS's 3 points (Maheswaran 2012), so it is taken here.
MEANINGFUL_CHANGE = Threshold(
    Decimal("2.87"),
    "SHAH2018",
    provisional=True,
    reason="Shah et al. 2018: 2.77 standard errors of measurement (2.87 "
    "metric points) at the individual level, the standard behind WEMWBS's 3 "
    "points; the paper gives 1 to 3 points by the standard used and asks for "
    "anchor-based studies to confirm it.",
)

SWEMWBS = Instrument(
    code="SWEMWBS",
    version=1,
    name="Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)",
    short_name="SWEMWBS",
    timeframe="Last 2 weeks",
    items=choice_items([(1, 2, 3, 4, 5)] * 7),
    higher_is_better=True,
    ships_item_text=False,
    licence=LICENCE,
    self_completion=True,
    minimum=Decimal("7.00"),
    maximum=Decimal("35.00"),
    thresholds={"reliable_change": MEANINGFUL_CHANGE},
    scorer=score_swemwbs,
    scales=(RAW_SCALE,),
    total_label="Wellbeing score",
    provisional_rules=(
        "Any missing item means 'not scored': the official missing-item rule "
        "was not retrieved (spec sections 10 and 15.9).",
        "No bands or cut-off: none are official (spec section 10).",
        "Meaningful change of 2.87 metric points or more, used as the "
        "reliable-change threshold: " + MEANINGFUL_CHANGE.reason,
    ),
    sources=(
        "WARWICK-HOWTO",
        "CAMCOPS-WEMWBS-XML",
        "SWEMWBS-CODE",
        "WARWICK-USING",
        "SHAH2018",
    ),
)

INSTRUMENTS = (SWEMWBS,)
