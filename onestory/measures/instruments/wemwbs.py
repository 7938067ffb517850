"""WEMWBS: Warwick-Edinburgh Mental Wellbeing Scale (spec section 10).

14 positively worded items, each scored 1 to 5 (None of the time ... All of
the time), no reverse items; total = sum, 14 to 70 (WARWICK-HOWTO;
CAMCOPS-WEMWBS). Warwick's meaningful change: "a change of about 3 or more
points can be considered significant" (WARWICK-FAQ; SEM 2.4 to 3.1,
MAHESWARAN2012), applied as a change of 3 or more either way. Licensed per
organisation like SWEMWBS: no wording ships; a licensed service loads it.
"""

from decimal import Decimal

from .base import Instrument, Threshold
from .engine import choice_items, score_complete_sum
from .swemwbs import LICENCE

ITEM_COUNT = 14

MEANINGFUL_CHANGE = Threshold(
    Decimal(3),
    "WARWICK-FAQ; MAHESWARAN2012",
    provisional=True,
    reason="Warwick's 'about 3 or more points can be considered significant' "
    "(WARWICK-FAQ), a meaningful change rather than a computed reliable-change "
    "index; read as 3 or more.",
)

WEMWBS = Instrument(
    code="WEMWBS",
    version=1,
    name="Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)",
    short_name="WEMWBS",
    timeframe="Last 2 weeks",
    items=choice_items([(1, 2, 3, 4, 5)] * ITEM_COUNT),
    higher_is_better=True,
    ships_item_text=False,
    licence=LICENCE,
    self_completion=True,
    minimum=Decimal(14),
    maximum=Decimal(70),
    thresholds={"reliable_change": MEANINGFUL_CHANGE},
    scorer=score_complete_sum,
    total_label="Wellbeing score",
    provisional_rules=(
        "Any missing item means 'not scored': the official missing-item rule "
        "was not retrieved (spec sections 10 and 15.9).",
        "Meaningful change of 3 points or more (Warwick's 'about 3'), used as "
        "the reliable-change threshold: " + MEANINGFUL_CHANGE.reason,
        "No bands or cut-off: none are official (spec section 10).",
    ),
    sources=(
        "WARWICK-HOWTO",
        "CAMCOPS-WEMWBS",
        "WARWICK-FAQ",
        "MAHESWARAN2012",
        "WARWICK-USING",
    ),
)

INSTRUMENTS = (WEMWBS,)
