"""EPDS: Edinburgh Postnatal Depression Scale (spec section 3).

Copyright the Royal College of Psychiatrists: no item text or option labels
ship. Answers are option positions in printed order (0 = top option) and the
key is applied here, never in the browser (spec section 3, [D]).
"""

from decimal import Decimal

from .base import Instrument, Threshold
from .engine import choice_items, make_bands, score_complete_sum

# EPDS-INSTR: "Questions 1, 2, and 4 are scored 0, 1, 2, and 3 ... Items marked
# with an asterisk * (questions 3, 5-10) are reverse scored" (top to bottom).
REVERSED_ITEMS = frozenset({3, 5, 6, 7, 8, 9, 10})
FORWARD = (0, 1, 2, 3)
REVERSED = (3, 2, 1, 0)

# Cut-offs 10 ("possible") and 13 ("likely"), both inclusive
# (EPDS-INSTR; CAMCOPS-EPDS).
BANDS = make_bands(
    ("below_cut_off", "Below the screening cut-off", 0, 9),
    ("possible_depression", "Possible depression", 10, 12),
    ("likely_depression", "Likely depression", 13, 30),
)

CASENESS_REASON = (
    "Local choice between the two published cut-offs (EPDS-INSTR: 13 or more "
    "should be assessed; 10 or more where greater sensitivity is needed). The "
    "clinical range starts at 10 so that nobody in the 'possible depression' "
    "band is told they are below it."
)

EPDS = Instrument(
    code="EPDS",
    version=1,
    name="Edinburgh Postnatal Depression Scale (EPDS)",
    short_name="EPDS",
    timeframe="Past 7 days",
    items=choice_items(
        (REVERSED if number in REVERSED_ITEMS else FORWARD for number in range(1, 11)),
        risk_items=frozenset({10}),
    ),
    higher_is_better=False,
    ships_item_text=False,
    licence="\u00a9 1987 Royal College of Psychiatrists: written permission needed "
    "for electronic use; no item text shipped.",
    self_completion=True,
    minimum=Decimal(0),
    maximum=Decimal(30),
    bands=BANDS,
    thresholds={
        "caseness": Threshold(
            Decimal(10), "EPDS-INSTR", provisional=True, reason=CASENESS_REASON
        ),
        # Added key: the cut-off the EPDS instructions name for assessment.
        "assessment": Threshold(Decimal(13), "EPDS-INSTR"),
    },
    scorer=score_complete_sum,
    provisional_rules=(
        "No pro-rating: no official missing-item rule was found (spec section 3, "
        "[U]/[D]); a missing item 10 shows as 'not answered'.",
        "Clinical range (caseness) starts at 10: " + CASENESS_REASON,
        "No reliable-change threshold: none was found (spec section 3, [U]).",
    ),
    sources=("EPDS-INSTR", "EPDS-FORM", "CAMCOPS-EPDS"),
)

INSTRUMENTS = (EPDS,)
