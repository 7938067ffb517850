"""ORS and SRS (Miller & Duncan; PCOMS), spec section 5.

Four visual-analogue lines each, read as centimetres from the left end:
0 to 10 with millimetre (0.1) precision [S], total 0 to 40, higher is better.
All four lines are needed (CAMCOPS-ORS is_complete): no pro-rating rule
exists [U]. Developer licence: no line wording ships.
"""

from decimal import Decimal

from .base import Instrument, Item, Threshold
from .engine import make_bands, number_item, score_complete_sum

LINE_COUNT = 4
LINE_MAX = 10
LINE_PLACES = 1


def _lines() -> tuple[Item, ...]:
    return tuple(
        number_item(
            str(n), 0, LINE_MAX, decimal_places=LINE_PLACES, neutral_name=f"Line {n}"
        )
        for n in range(1, LINE_COUNT + 1)
    )


ORS = Instrument(
    code="ORS",
    version=1,
    name="Outcome Rating Scale (ORS)",
    short_name="ORS",
    timeframe="Last week",
    items=_lines(),
    higher_is_better=True,
    ships_item_text=False,
    licence="\u00a9 2000 Miller & Duncan / ICCE: practitioner or agency licence "
    "from the developers; no wording shipped.",
    self_completion=True,
    minimum=Decimal(0),
    maximum=Decimal(40),
    thresholds={
        # "A score at or below 25 places the client within the clinical range".
        "caseness": Threshold(
            Decimal(25),
            "HIBOOP-ORS; OPENFIT-KA01031",
            provisional=True,
            clinical_when="at_or_below",
            reason="Adult cut-off from secondary sources [S]; the boundary "
            "(at or below 25) and the adolescent cut-off are open (spec "
            "section 15.6).",
        ),
        "reliable_change": Threshold(
            Decimal(5),
            "HIBOOP-ORS",
            provisional=True,
            reason="Secondary source [S]; the Jacobson-Truax inputs were not "
            "retrieved (spec section 15.6).",
        ),
        # Added key: the reliable change the Mental Health Services Data Set
        # uses for children and young people; the service report shows it as a
        # check on how much the threshold matters (domain.md 2.6, 8.4 O3).
        "reliable_change_children": Threshold(
            Decimal("6.6"),
            "MHSDS CYP reference table (domain.md section 2.6)",
            provisional=True,
            reason="Used by the Mental Health Services Data Set for children "
            "and young people; a sensitivity check here, not the adult rule.",
        ),
    },
    scorer=score_complete_sum,
    provisional_rules=(
        "0.1 precision per line is common practice [S].",
        "Clinical range at or below 25 (adults) [S]; no adolescent or child "
        "cut-off is applied (spec section 15.6).",
        "Reliable change of 5 points [S] (spec section 15.6).",
        "Reliable change of 6.6 for children and young people (MHSDS), kept "
        "as a sensitivity check.",
    ),
    sources=("CORC-ORS", "CAMCOPS-ORS", "HIBOOP-ORS", "OPENFIT-KA01031"),
)

SRS_CUT_OFF = Decimal(36)
SRS_REASON = "OpenFIT guidance only [S]: 'below 36 ... dissatisfaction'."

# Two bands from the one cut-off: under 36 the parent may be unhappy with the
# session (OPENFIT-KA01028).
SRS_BANDS = make_bands(
    ("at_or_above_cut_off", "36 or more", SRS_CUT_OFF, 40),
    ("below_cut_off", "Below 36 (may be unhappy with the session)", 0, "35.9"),
    provisional=True,
)

SRS = Instrument(
    code="SRS",
    version=1,
    name="Session Rating Scale (SRS)",
    short_name="SRS",
    timeframe="Today's session",
    items=_lines(),
    higher_is_better=True,
    ships_item_text=False,
    licence="\u00a9 2002 Miller, Duncan & Johnson: practitioner or agency licence "
    "from the developers; no wording shipped.",
    self_completion=True,
    minimum=Decimal(0),
    maximum=Decimal(40),
    bands=SRS_BANDS,
    thresholds={
        # Added key: SRS rates the session, not the parent, so this is not
        # "caseness".
        "concern": Threshold(
            SRS_CUT_OFF,
            "OPENFIT-KA01028",
            provisional=True,
            clinical_when="below",
            reason=SRS_REASON,
        ),
    },
    scorer=score_complete_sum,
    provisional_rules=(
        "0.1 precision per line is common practice [S].",
        "Cut-off 36 (below it: possible dissatisfaction) " + SRS_REASON,
    ),
    sources=("CAMCOPS-SRS-DOC", "OPENFIT-KA01028"),
)

INSTRUMENTS = (ORS, SRS)
