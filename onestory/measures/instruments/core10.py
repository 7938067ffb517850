"""CORE-10 (CORE System Trust), spec section 9.

Licensed CC BY-ND 4.0, so the wording ships verbatim, unmodified, with
attribution (CAMCOPS-CORE10-DOC quoting coreims).
"""

from collections.abc import Mapping
from decimal import Decimal

from .base import Instrument, Threshold, round_half_up
from .engine import (
    choice_items,
    make_bands,
    make_score,
    missing_required,
    not_scored_note,
    sum_values,
)
from .scores import INCOMPLETE, PRORATED, SCORED, Score

OPTION_LABELS = (
    "Not at all",
    "Only occasionally",
    "Sometimes",
    "Often",
    "Most or all of the time",
)

ITEM_TEXT = (
    "I have felt tense, anxious or nervous",
    "I have felt I have someone to turn to for support when needed",
    "I have felt able to cope when things go wrong",
    "Talking to people has felt too much for me",
    "I have felt panic or terror",
    "I made plans to end my life",
    "I have had difficulty getting to sleep or staying asleep",
    "I have felt despairing or hopeless",
    "I have felt unhappy",
    "Unwanted images or memories have been distressing me",
)

# Items 2 (support) and 3 (coping) score 4 for "Not at all" down to 0
# (CAMCOPS-CORE10 COMMENT_REVERSED); "items 3 and 4" on SOCAS contradicts the
# item content.
REVERSED_ITEMS = frozenset({2, 3})
FORWARD = (0, 1, 2, 3, 4)
REVERSED = (4, 3, 2, 1, 0)
RISK_ITEM = 6

CONTESTED_BANDS = (
    "Bands from SOCAS and CLIENTFORMS [S]; HELPINEED gives 11-15/16-20/21-25/"
    "26-40 and the manual's figure was not retrieved (spec section 15.3)."
)

BANDS = make_bands(
    ("healthy", "Healthy", 0, 5),
    ("low", "Low level", 6, 10),
    ("mild", "Mild", 11, 14),
    ("moderate", "Moderate", 15, 19),
    ("moderate_to_severe", "Moderate to severe", 20, 24),
    ("severe", "Severe", 25, 40),
    provisional=True,
)

ITEM_COUNT = 10
# CST-BLOG: a pro-rated score "if one item was missing"; never with more.
MOST_MISSING_FOR_PRORATING = 1
# Local rule: pro-rated scores are kept to 1 decimal place. A pro-rated score
# is 10k/9 for whole k, which is never within 0.05 of a whole number unless it
# is one, so this rounding cannot move a score across a band, the cut-off or
# the 6-point reliable-change line.
PRORATED_PLACES = 1


def score_core10(instrument: Instrument, keyed: Mapping[str, Decimal]) -> Score:
    missing = missing_required(instrument, keyed)
    if len(missing) > MOST_MISSING_FOR_PRORATING:
        return make_score(
            instrument,
            keyed,
            status=INCOMPLETE,
            total=None,
            notes=(not_scored_note(missing),),
        )
    total = sum_values(keyed, keyed)
    if not missing:
        return make_score(instrument, keyed, status=SCORED, total=total)
    return _prorated(instrument, keyed, total)


def _prorated(
    instrument: Instrument, keyed: Mapping[str, Decimal], answered_sum: Decimal
) -> Score:
    # Clinical score = mean item score x 10 (CST-BLOG).
    total = round_half_up(answered_sum * 10 / len(keyed), PRORATED_PLACES)
    note = (
        f"Pro-rated from {len(keyed)} of {ITEM_COUNT} items "
        "(mean of the answered items x 10)"
    )
    return make_score(instrument, keyed, status=PRORATED, total=total, notes=(note,))


CORE10 = Instrument(
    code="CORE10",
    version=1,
    name="Clinical Outcomes in Routine Evaluation (CORE-10)",
    short_name="CORE-10",
    timeframe="Over the last week",
    items=choice_items(
        (REVERSED if n in REVERSED_ITEMS else FORWARD for n in range(1, 11)),
        labels=OPTION_LABELS,
        texts=ITEM_TEXT,
        risk_items=frozenset({RISK_ITEM}),
    ),
    higher_is_better=False,
    ships_item_text=True,
    licence="CC BY-ND 4.0, CORE System Trust: may be reproduced in software "
    "without fee; wording must not be modified.",
    attribution="CORE-10 \u00a9 CORE System Trust (www.coresystemtrust.org.uk), "
    "licensed under CC BY-ND 4.0.",
    self_completion=True,
    minimum=Decimal(0),
    maximum=Decimal(40),
    bands=BANDS,
    thresholds={
        "caseness": Threshold(
            Decimal(11),
            "SOCAS; NOVOPSYCH",
            provisional=True,
            reason="Secondary sources only [S]; the derived Jacobson-Truax "
            "criterion is 10.46 (spec section 9, [D]).",
        ),
        "reliable_change": Threshold(
            Decimal(6),
            "CLIENTFORMS",
            provisional=True,
            reason="About 6 points, Barkham 2013 via a secondary source [S]; the "
            "derived Jacobson-Truax value is 6.75 (spec sections 9 and 15.3).",
        ),
    },
    scorer=score_core10,
    unanswered_rule=(
        "A score cannot be given with fewer than "
        f"{ITEM_COUNT - MOST_MISSING_FOR_PRORATING} answers."
    ),
    provisional_rules=(
        "Severity bands are contested: " + CONTESTED_BANDS,
        "Clinical cut-off of 11 and reliable change of 6 come from secondary "
        "sources (spec section 9, [S]).",
        "Pro-rated scores are rounded half up to 1 decimal place (local rule; "
        "cannot change a band, caseness or reliable change).",
    ),
    sources=(
        "CAMCOPS-CORE10-XML",
        "CAMCOPS-CORE10",
        "CST-BLOG",
        "SOCAS",
        "CLIENTFORMS",
    ),
)

INSTRUMENTS = (CORE10,)
