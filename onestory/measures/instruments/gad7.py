"""GAD-7: Generalized Anxiety Disorder 7-item scale (spec section 2).

Public domain like the PHQ-9 (CAMCOPS-GAD7-DOC), so the standard wording ships.
The lowest option is "Not at all" (not the mis-reproduced "Not at all sure").
"""

from decimal import Decimal

from .base import Instrument, Threshold
from .engine import choice_items, make_bands, score_complete_sum
from .phq9 import OPTION_LABELS, ge_not_confirmed

ITEM_TEXT = (
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
)

# Boundaries 5, 10, 15 (Spitzer 2006 via secondary sources [S]); the same
# inclusive ranges are used in NHSE-SQL-IET and CAMCOPS-GAD7 [V].
BANDS = make_bands(
    ("minimal", "Minimal", 0, 4),
    ("mild", "Mild", 5, 9),
    ("moderate", "Moderate", 10, 14),
    ("severe", "Severe", 15, 21),
)

GAD7 = Instrument(
    code="GAD7",
    version=1,
    name="Generalized Anxiety Disorder scale (GAD-7)",
    short_name="GAD-7",
    timeframe="Over the last 2 weeks",
    stem=(
        "Over the last 2 weeks, how often have you been bothered by the "
        "following problems?"
    ),
    items=choice_items([(0, 1, 2, 3)] * 7, labels=OPTION_LABELS, texts=ITEM_TEXT),
    higher_is_better=False,
    ships_item_text=True,
    licence="Public domain: no permission needed to reproduce, translate, display "
    "or distribute (phqscreeners.com).",
    self_completion=True,
    minimum=Decimal(0),
    maximum=Decimal(21),
    bands=BANDS,
    thresholds={
        # NHS Talking Therapies caseness, not the 10-point screening cut-off.
        "caseness": Threshold(Decimal(8), "PMC8411661-T1; MINDSTEP-T1"),
        "reliable_change": Threshold(
            Decimal(4),
            "PMC8411661-T1",
            provisional=True,
            reason=ge_not_confirmed(4),
        ),
    },
    scorer=score_complete_sum,
    provisional_rules=(
        "No pro-rating: no official missing-item rule was found, so any missing "
        "item means 'not scored' (spec section 2, [U]/[D]).",
        "Reliable change of 4 applied as 'at least 4': " + ge_not_confirmed(4),
    ),
    sources=("CAMCOPS-GAD7", "NHSE-SQL-IET", "PMC8411661-T1", "MINDSTEP-T1"),
)

INSTRUMENTS = (GAD7,)
