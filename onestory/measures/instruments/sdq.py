"""SDQ: Strengths and Difficulties Questionnaire, parent report, ages 2 to 4
and 4 to 17, with the impact supplement (spec section 7).

Copyright youthinmind: no item text, option labels or electronic form ship;
only item numbers, option positions and the scoring. Items are numbered in
printed order (not by scale, a common pitfall).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .base import Band, Instrument, Item, Scale, band_for, round_half_up
from .engine import choice_item, make_bands, make_score
from .scores import INCOMPLETE, PRORATED, SCORED, ScaleScore, Score, Status

# Scale membership by printed item number (SDQ-STATA; SDQ-SCORE2014).
EMOTIONAL = ("3", "8", "13", "16", "24")
CONDUCT = ("5", "7", "12", "18", "22")
HYPERACTIVITY = ("2", "10", "15", "21", "25")
PEER = ("6", "11", "14", "19", "23")
PROSOCIAL = ("1", "4", "9", "17", "20")
DIFFICULTY_SCALES = ("emotional", "conduct", "hyperactivity", "peer")

# Not True = 0, Somewhat True = 1, Certainly True = 2; these five run 2, 1, 0
# (SDQ-STATA `recode pobeys (0=2)(1=1)(2=0)`).
REVERSED_ITEMS = frozenset({7, 11, 14, 21, 25})

# SDQ-SCORE2014: a scale may be "scaled up pro-rata if at least 3 items were
# completed"; rounding half away from zero (Stata round, R floor(0.5 + x)).
ITEMS_PER_SCALE = 5
LEAST_ANSWERED_FOR_PRORATING = 3

# Impact items: Not at all / Only a little = 0, Quite a lot = 1, A great deal
# = 2 (SDQ-STATA `recode pdistres (0=0)(1=0)(2=1)(3=2)`).
IMPACT_VALUES = (0, 0, 1, 2)
IMPACT_ITEMS = (
    ("impact_distress", "Impact: distress"),
    ("impact_home", "Impact: home life"),
    ("impact_friendships", "Impact: friendships"),
    ("impact_learning", "Impact: learning"),
    ("impact_leisure", "Impact: leisure"),
)
OVERALL = "overall"
OVERALL_NO = 0  # position 0 = "No" (SDQ-STATA `replace pimpact=0 if pebddiff==0`)

PROSOCIAL_CONTESTED = (
    "Prosocial 6-10/5/0-4 (SDQ-UK-CUTOFFS) is contested by 8-10/7/0-6 "
    "(SDQ-MONGOLIA-T2), spec section 15.2."
)
IMPACT_BANDS_UNVERIFIED = (
    "Impact bands 0/1/2-10 were not in the retrieved cut-off table (spec "
    "section 7, [U])."
)


@dataclass(frozen=True)
class _Version:
    """What differs between the two parent versions: bands only."""

    code: str
    ages: str
    bands: dict[str, tuple[Band, ...]]
    provisional_rules: tuple[str, ...]


def _three_bands(
    normal: tuple, borderline: tuple, abnormal: tuple, provisional: bool = False
) -> tuple[Band, ...]:
    return make_bands(
        ("normal", "Normal", *normal),
        ("borderline", "Borderline", *borderline),
        ("abnormal", "Abnormal", *abnormal),
        provisional=provisional,
    )


# Original 3-band cut-offs, parent 4-17 (SDQ-UK-CUTOFFS). The newer parent
# 4-band table is unverified (spec section 15.1) and deliberately absent.
BANDS_4_17 = {
    "total": _three_bands((0, 13), (14, 16), (17, 40)),
    "emotional": _three_bands((0, 3), (4, 4), (5, 10)),
    "conduct": _three_bands((0, 2), (3, 3), (4, 10)),
    "hyperactivity": _three_bands((0, 5), (6, 6), (7, 10)),
    "peer": _three_bands((0, 2), (3, 3), (4, 10)),
    "prosocial": _three_bands((6, 10), (5, 5), (0, 4), provisional=True),
    "impact": _three_bands((0, 0), (1, 1), (2, 10), provisional=True),
}

# Parent 2-4 (SDQ-UK-CUTOFFS "UK 2-4"); no impact bands were retrieved.
BANDS_2_4 = {
    "total": _three_bands((0, 12), (13, 15), (16, 40)),
    "emotional": _three_bands((0, 2), (3, 3), (4, 10)),
    "conduct": _three_bands((0, 3), (4, 4), (5, 10)),
    "hyperactivity": _three_bands((0, 5), (6, 6), (7, 10)),
    "peer": _three_bands((0, 2), (3, 3), (4, 10)),
    "prosocial": _three_bands((7, 10), (6, 6), (0, 5)),
}

COMMON_RULES = (
    "Duration (chronicity) and burden questions are recorded as 4 positions "
    "and never scored; their positions are not in the specification.",
    "Externalising and internalising come from a secondary source [S] and have "
    "no bands.",
    "The 4-band parent cut-offs are unverified and not implemented (spec "
    "section 15.1).",
)


def _scales(bands: Mapping[str, tuple[Band, ...]]) -> tuple[Scale, ...]:
    zero, ten, twenty = Decimal(0), Decimal(10), Decimal(20)
    impact_keys = tuple(key for key, _ in IMPACT_ITEMS)
    return (
        Scale(
            "emotional", "Emotional symptoms", EMOTIONAL, zero, ten, bands["emotional"]
        ),
        Scale("conduct", "Conduct problems", CONDUCT, zero, ten, bands["conduct"]),
        Scale(
            "hyperactivity",
            "Hyperactivity/inattention",
            HYPERACTIVITY,
            zero,
            ten,
            bands["hyperactivity"],
        ),
        Scale("peer", "Peer problems", PEER, zero, ten, bands["peer"]),
        Scale("prosocial", "Prosocial", PROSOCIAL, zero, ten, bands["prosocial"], True),
        Scale("externalising", "Externalising", CONDUCT + HYPERACTIVITY, zero, twenty),
        Scale("internalising", "Internalising", EMOTIONAL + PEER, zero, twenty),
        Scale("impact", "Impact", impact_keys, zero, ten, bands.get("impact", ())),
    )


def _items() -> tuple[Item, ...]:
    main = tuple(
        choice_item(str(n), n, (2, 1, 0) if n in REVERSED_ITEMS else (0, 1, 2))
        for n in range(1, 26)
    )
    supplement = (
        _supplement_item(OVERALL, "Overall difficulties", (0, 1, 2, 3)),
        _supplement_item("chronicity", "Duration", (0, 1, 2, 3), scored=False),
        *(_supplement_item(key, name, IMPACT_VALUES) for key, name in IMPACT_ITEMS),
        _supplement_item("burden", "Burden", (0, 1, 2, 3), scored=False),
    )
    return main + supplement


def _supplement_item(
    key: str, name: str, values: tuple[int, ...], scored: bool = True
) -> Item:
    return choice_item(
        key, None, values, required=False, scored=scored, neutral_name=name
    )


# --- scoring ---------------------------------------------------------------


def _five_item_scale(scale: Scale, keyed: Mapping[str, Decimal]) -> ScaleScore:
    """Sum of 5 items, or mean x 5 rounded half up from 3 or 4 (SDQ-SCORE2014)."""
    answered = [keyed[key] for key in scale.items if key in keyed]
    if len(answered) < LEAST_ANSWERED_FOR_PRORATING:
        return ScaleScore(scale.key, scale.label, INCOMPLETE, None)
    if len(answered) == ITEMS_PER_SCALE:
        score, status = sum(answered, Decimal(0)), SCORED
    else:
        # mean x 5, multiplied first so the only inexact step is one division
        scaled = sum(answered, Decimal(0)) * ITEMS_PER_SCALE / len(answered)
        score, status = round_half_up(scaled), PRORATED
    return ScaleScore(
        scale.key, scale.label, status, score, band_for(scale.bands, score)
    )


def _sum_of(parts: list[ScaleScore]) -> tuple[Decimal | None, Status]:
    """A sum of scale scores: missing if any part is missing (SDQ-STATA
    `gen pebdtot=pemotion+pconduct+phyper+ppeer` propagates missing)."""
    scores = [part.score for part in parts if part.score is not None]
    if len(scores) < len(parts):
        return None, INCOMPLETE
    score = sum(scores, Decimal(0))
    status: Status = PRORATED if any(p.status == PRORATED for p in parts) else SCORED
    return score, status


def _combined(scale: Scale, parts: list[ScaleScore]) -> ScaleScore:
    score, status = _sum_of(parts)
    return ScaleScore(
        scale.key, scale.label, status, score, band_for(scale.bands, score)
    )


def _impact(scale: Scale, keyed: Mapping[str, Decimal]) -> ScaleScore:
    """Impact 0-10 (SDQ-STATA): 0 if the overall answer is "No"; otherwise
    the sum of the answered impact items, missing ones counting 0, and only
    when at least one was answered."""
    overall_is_no = keyed.get(OVERALL) == OVERALL_NO
    answered = [keyed[key] for key in scale.items if key in keyed]
    if not overall_is_no and not answered:
        return ScaleScore(scale.key, scale.label, INCOMPLETE, None)
    score = Decimal(0) if overall_is_no else sum(answered, Decimal(0))
    return ScaleScore(
        scale.key, scale.label, SCORED, score, band_for(scale.bands, score)
    )


def _notes(
    definitions: Mapping[str, Scale],
    scales: Mapping[str, ScaleScore],
    keyed: Mapping[str, Decimal],
) -> list[str]:
    notes = []
    for key in (*DIFFICULTY_SCALES, "prosocial"):
        scale = scales[key]
        answered = sum(1 for item in definitions[key].items if item in keyed)
        if scale.status == PRORATED:
            notes.append(f"{scale.label} pro-rated from {answered} of 5 items")
        elif scale.status == INCOMPLETE:
            notes.append(
                f"{scale.label} not scored: {answered} of 5 items answered "
                "(at least 3 needed)"
            )
    return notes + _impact_notes(definitions["impact"], keyed)


def _impact_notes(scale: Scale, keyed: Mapping[str, Decimal]) -> list[str]:
    if keyed.get(OVERALL) == OVERALL_NO:
        return ["Impact is 0 because the overall question was answered 'No'"]
    answered = sum(1 for key in scale.items if key in keyed)
    if 0 < answered < len(scale.items):
        return [
            f"Impact from {answered} of {len(scale.items)} impact items; "
            "unanswered ones count as 0 (SDQ scoring rule)"
        ]
    return []


def score_sdq(instrument: Instrument, keyed: Mapping[str, Decimal]) -> Score:
    definitions = {scale.key: scale for scale in instrument.scales}
    scales = {
        key: _five_item_scale(definitions[key], keyed)
        for key in (*DIFFICULTY_SCALES, "prosocial")
    }
    total, status = _sum_of([scales[key] for key in DIFFICULTY_SCALES])
    scales["externalising"] = _combined(
        definitions["externalising"], [scales["conduct"], scales["hyperactivity"]]
    )
    scales["internalising"] = _combined(
        definitions["internalising"], [scales["emotional"], scales["peer"]]
    )
    scales["impact"] = _impact(definitions["impact"], keyed)
    return make_score(
        instrument,
        keyed,
        status=status,
        total=total,
        scales=scales,
        notes=tuple(_notes(definitions, scales, keyed)),
    )


def _make(version: _Version) -> Instrument:
    return Instrument(
        code=version.code,
        version=1,
        name="Strengths and Difficulties Questionnaire, parent report, "
        f"ages {version.ages} (SDQ)",
        short_name=f"SDQ parent {version.ages}",
        timeframe="Last 6 months",
        items=_items(),
        higher_is_better=False,
        ships_item_text=False,
        licence="\u00a9 youthinmind: electronic versions need a youthinmind "
        "agreement; no wording or e-form shipped.",
        self_completion=True,
        minimum=Decimal(0),
        maximum=Decimal(40),
        thresholds={},
        scorer=score_sdq,
        unanswered_rule=(
            "A scale cannot be scored with fewer than "
            f"{LEAST_ANSWERED_FOR_PRORATING} of its {ITEMS_PER_SCALE} answers, and "
            f"the total difficulties score needs all {len(DIFFICULTY_SCALES)} "
            "difficulty scales."
        ),
        bands=version.bands["total"],
        scales=_scales(version.bands),
        total_label="Total difficulties score",
        provisional_rules=version.provisional_rules + COMMON_RULES,
        sources=("SDQ-SCORE2014", "SDQ-STATA", "SDQ-UK-CUTOFFS", "PMC8248972-T2"),
    )


SDQ_P4_17 = _make(
    _Version(
        "SDQ_P4_17",
        "4 to 17",
        BANDS_4_17,
        (PROSOCIAL_CONTESTED, IMPACT_BANDS_UNVERIFIED),
    )
)

SDQ_P2_4 = _make(
    _Version(
        "SDQ_P2_4",
        "2 to 4",
        BANDS_2_4,
        (
            "Item 21 on the 2-4 form is reverse scored like the 4-17 form; the "
            "2-4 keying sheet was not retrieved [S].",
            "No impact bands: none were retrieved for ages 2 to 4.",
        ),
    )
)

INSTRUMENTS = (SDQ_P2_4, SDQ_P4_17)
