"""PHQ-9: Patient Health Questionnaire, 9-item depression scale (spec section 1).

The PHQ screeners are public domain (CAMCOPS-PHQ9-DOC quoting phqscreeners.com),
so the standard item wording and option labels ship. The unscored 10th
"how difficult" question is not part of the total (KROENKE2001) and is left out.
"""

from decimal import Decimal

from .base import Instrument, Threshold
from .engine import choice_items, make_bands, score_complete_sum

OPTION_LABELS = (
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
)

ITEM_TEXT = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself \u2014 or that you are a failure or have let "
    "yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or "
    "watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the "
    "opposite \u2014 being so fidgety or restless that you have been moving "
    "around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
)

# KROENKE2001: "scores of 5, 10, 15, and 20 represented mild, moderate,
# moderately severe, and severe"; same inclusive ranges in NHSE-SQL-IET.
BANDS = make_bands(
    ("minimal", "Minimal", 0, 4),
    ("mild", "Mild", 5, 9),
    ("moderate", "Moderate", 10, 14),
    ("moderately_severe", "Moderately severe", 15, 19),
    ("severe", "Severe", 20, 27),
)

# Spec section 4.6 / 15.4: NHS metadata writes "> threshold" while the
# published wording is "6 or more"; implemented as >= until the NHS Talking
# Therapies technical output specification is checked.


def ge_not_confirmed(points: int) -> str:
    return (
        f"Value published as '{points} or more' (PMC8411661-T1); NHS metadata "
        "writes '>' (spec section 15.4), so '>=' is provisional until confirmed."
    )


PHQ9 = Instrument(
    code="PHQ9",
    version=1,
    name="Patient Health Questionnaire (PHQ-9)",
    short_name="PHQ-9",
    timeframe="Over the last 2 weeks",
    stem=(
        "Over the last 2 weeks, how often have you been bothered by any of the "
        "following problems?"
    ),
    items=choice_items(
        [(0, 1, 2, 3)] * 9,
        labels=OPTION_LABELS,
        texts=ITEM_TEXT,
        risk_items=frozenset({9}),
    ),
    higher_is_better=False,
    ships_item_text=True,
    licence="Public domain: no permission needed to reproduce, translate, display "
    "or distribute (phqscreeners.com).",
    self_completion=True,
    minimum=Decimal(0),
    maximum=Decimal(27),
    bands=BANDS,
    thresholds={
        "caseness": Threshold(Decimal(10), "PMC8411661-T1; KROENKE2001"),
        "reliable_change": Threshold(
            Decimal(6), "PMC8411661-T1", provisional=True, reason=ge_not_confirmed(6)
        ),
    },
    scorer=score_complete_sum,
    provisional_rules=(
        "No pro-rating: the PHQ sources publish no missing-item rule, so any "
        "missing item means 'not scored' (spec section 1, [U]/[D]).",
        "Reliable change of 6 applied as 'at least 6': " + ge_not_confirmed(6),
    ),
    sources=("KROENKE2001", "CAMCOPS-PHQ9", "NHSE-SQL-IET", "PMC8411661-T1"),
)

INSTRUMENTS = (PHQ9,)
