"""Goal-Based Outcomes: the family's own goals, each scored 0 to 10.

Not in the specification; rules from the issue. Up to 3 goals (goal 1
required, goals 2 and 3 optional). There is no official total: the score
reports each goal and their mean, rounded half up to 2 decimal places (local
presentation rule). Change is per goal only (`change_per_scale`): each goal's
first rating against its own last (`change.scale_changes_over`), counting the
goals that moved by the reliable amount; the mean is never compared, as it can
cover different goals at different times. The goals' wording is the family's
own and is stored by the Django side, so there is no item text and no
licensed text to load.
"""

from collections.abc import Mapping
from decimal import Decimal

from .base import Instrument, Scale, Threshold, round_half_up
from .engine import make_score, missing_required, not_scored_note, number_item
from .scores import INCOMPLETE, SCORED, ScaleScore, Score

GOALS = 3
MEAN_PLACES = 2
RELIABLE_CHANGE = Threshold(
    Decimal(3),
    "CORC convention (issue brief; not in the specification)",
    provisional=True,
    reason="A common CORC convention, not a published value in the "
    "specification's sources.",
)


def _goal_scale(n: int) -> Scale:
    return Scale(
        f"goal_{n}",
        f"Goal {n}",
        (str(n),),
        Decimal(0),
        Decimal(10),
        higher_is_better=True,
        reliable_change=RELIABLE_CHANGE,
    )


def score_gbo(instrument: Instrument, keyed: Mapping[str, Decimal]) -> Score:
    missing = missing_required(instrument, keyed)
    # Only goals the family has set (answered) are reported.
    scales = {
        scale.key: ScaleScore(scale.key, scale.label, SCORED, keyed[scale.items[0]])
        for scale in instrument.scales
        if scale.items[0] in keyed
    }
    if missing:
        return make_score(
            instrument,
            keyed,
            status=INCOMPLETE,
            total=None,
            scales=scales,
            notes=(not_scored_note(missing),),
        )
    readings = [scale.score for scale in scales.values() if scale.score is not None]
    mean = round_half_up(sum(readings, Decimal(0)) / len(readings), MEAN_PLACES)
    note = f"Mean of {len(readings)} {'goal' if len(readings) == 1 else 'goals'}"
    return make_score(
        instrument, keyed, status=SCORED, total=mean, scales=scales, notes=(note,)
    )


GBO = Instrument(
    code="GBO",
    version=1,
    name="Goal-Based Outcomes (GBO)",
    short_name="GBO",
    timeframe="",
    items=tuple(
        number_item(str(n), 0, 10, neutral_name=f"Goal {n}", required=n == 1)
        for n in range(1, GOALS + 1)
    ),
    higher_is_better=True,
    ships_item_text=False,
    licence="The family's own goals: no instrument wording.",
    self_completion=True,
    minimum=Decimal(0),
    maximum=Decimal(10),
    # No threshold on the mean: reliable change is per goal (the scales).
    thresholds={},
    scorer=score_gbo,
    unanswered_rule="A score cannot be given unless goal 1 is rated.",
    scales=tuple(_goal_scale(n) for n in range(1, GOALS + 1)),
    total_label="Average goal score",
    accepts_licensed_text=False,
    change_per_scale=True,
    provisional_rules=(
        "Reliable change of 3 points per goal is a common CORC convention, not "
        "a verified value.",
        "The mean is rounded half up to 2 decimal places (local rule); it is "
        "shown for one rating, never compared over time: change is per goal.",
    ),
    sources=(),
)

INSTRUMENTS = (GBO,)
