"""Change between two administrations of one instrument, and the NHS Talking
Therapies paired PHQ-9 + GAD-7 outcome (spec section 4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Literal

from . import gad7, phq9
from .base import SCORING_CONTEXT, Instrument, Score, Threshold
from .engine import pick_version

Direction = Literal[
    "improved", "deteriorated", "no_reliable_change", "unknown", "no_threshold"
]


@dataclass(frozen=True)
class ScaleChange:
    """Change on one subscale, Star area or goal (an addition to the API)."""

    key: str
    label: str
    before: Decimal | None
    after: Decimal | None
    difference: Decimal | None
    direction: Direction
    reliable_change_threshold: Threshold | None


@dataclass(frozen=True)
class Change:
    difference: Decimal | None  # after - before; None if either is unscored
    reliable_change_threshold: Threshold | None
    direction: Direction
    caseness_before: bool | None
    caseness_after: bool | None
    recovered: bool | None
    reliably_recovered: bool | None
    provisional: bool
    # Additions:
    before: Decimal | None = None
    after: Decimal | None = None
    scales: dict[str, ScaleChange] = field(default_factory=dict)


def reliable_direction(
    before: Decimal | None,
    after: Decimal | None,
    threshold: Threshold | None,
    higher_is_better: bool,
) -> Direction:
    """Reliable improvement or deterioration: a change of at least the
    threshold (">=", spec section 4.6), in the measure's good direction."""
    if threshold is None:
        return "no_threshold"
    if before is None or after is None:
        return "unknown"
    gain = after - before if higher_is_better else before - after
    if gain >= threshold.value:
        return "improved"
    if -gain >= threshold.value:
        return "deteriorated"
    return "no_reliable_change"


def classify(instrument: Instrument, before: Score, after: Score) -> Change:
    """Classify the change from `before` to `after` (both of `instrument`)."""
    _check_scores(instrument, before, after)
    with localcontext(SCORING_CONTEXT):
        return _classify(instrument, before, after)


def _check_scores(instrument: Instrument, *scores: Score) -> None:
    for score in scores:
        if score.instrument_code != instrument.code:
            raise ValueError(
                f"A {score.instrument_code} score cannot be compared as "
                f"{instrument.short_name}"
            )


def _classify(instrument: Instrument, before: Score, after: Score) -> Change:
    threshold = instrument.thresholds.get("reliable_change")
    direction = reliable_direction(
        before.total, after.total, threshold, instrument.higher_is_better
    )
    recovered = _recovered(instrument, before.caseness, after.caseness)
    return Change(
        difference=_difference(before.total, after.total),
        reliable_change_threshold=threshold,
        direction=direction,
        caseness_before=before.caseness,
        caseness_after=after.caseness,
        recovered=recovered,
        reliably_recovered=_reliably_recovered(recovered, direction),
        provisional=_provisional(instrument, threshold, before, after),
        before=before.total,
        after=after.total,
        scales=_scale_changes(instrument, before, after),
    )


def _difference(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    return None if before is None or after is None else after - before


def _recovered(
    instrument: Instrument, before: bool | None, after: bool | None
) -> bool | None:
    """At caseness first and not at caseness last (NHSTT-META). Someone who
    was not at caseness at first has not "recovered": False, and
    caseness_before tells the caller to leave them out of a recovery rate."""
    if "caseness" not in instrument.thresholds or before is None or after is None:
        return None
    return before and not after


def _reliably_recovered(recovered: bool | None, direction: Direction) -> bool | None:
    # Recovery and reliable improvement (NHSTT-META M193/M195).
    if recovered is None or direction in ("unknown", "no_threshold"):
        return None
    return recovered and direction == "improved"


def _provisional(
    instrument: Instrument, threshold: Threshold | None, *scores: Score
) -> bool:
    caseness = instrument.thresholds.get("caseness")
    used = [t for t in (threshold, caseness) if t is not None]
    return any(t.provisional for t in used) or any(s.provisional for s in scores)


def _scale_changes(
    instrument: Instrument, before: Score, after: Score
) -> dict[str, ScaleChange]:
    changes = {}
    for scale in instrument.scales:
        first, last = before.scales.get(scale.key), after.scales.get(scale.key)
        if first is None and last is None:
            continue
        first_score = first.score if first else None
        last_score = last.score if last else None
        changes[scale.key] = ScaleChange(
            key=scale.key,
            label=scale.label,
            before=first_score,
            after=last_score,
            difference=_difference(first_score, last_score),
            direction=reliable_direction(
                first_score, last_score, scale.reliable_change, scale.higher_is_better
            ),
            reliable_change_threshold=scale.reliable_change,
        )
    return changes


# --- NHS Talking Therapies --------------------------------------------------


@dataclass(frozen=True)
class TalkingTherapiesOutcome:
    """The NHS Talking Therapies paired outcome for one finished course.

    Every flag is None when a score it needs is not scored. Rates and their
    denominators (finished courses, at caseness at start) are the reporting
    layer's job (spec section 4).
    """

    at_caseness_at_start: bool | None
    recovered: bool | None
    reliable_improvement: bool | None
    reliable_deterioration: bool | None
    reliable_recovery: bool | None
    no_reliable_change: bool | None
    mixed: bool | None
    provisional_reading: bool | None
    # Added: plain reasons behind provisional readings.
    notes: tuple[str, ...] = ()


MIXED_NOTE = (
    "Reliable improvement on one measure and reliable deterioration on the "
    "other: counted as reliable deterioration, not improvement. How NHS "
    "England flags this case was not verified (spec section 4.8): provisional."
)


@dataclass(frozen=True)
class _Pair:
    """First and last totals of one measure with its thresholds."""

    first: Decimal
    last: Decimal
    caseness: Threshold
    reliable_change: Threshold

    @property
    def improved(self) -> bool:
        return self.first - self.last >= self.reliable_change.value

    @property
    def deteriorated(self) -> bool:
        return self.last - self.first >= self.reliable_change.value


def talking_therapies(
    phq9_first: Score, phq9_last: Score, gad7_first: Score, gad7_last: Score
) -> TalkingTherapiesOutcome:
    """Classify a course on PHQ-9 plus GAD-7, first and last scores only.

    Caseness PHQ-9 >= 10 or GAD-7 >= 8; reliable change 6 and 4 as ">=";
    reliable improvement = improvement on either with no reliable
    deterioration on either; recovery = at caseness first, neither at
    caseness last; reliable recovery = both (NHSTT-META, NHSE-SQL-KM).
    """
    _check_codes(phq9_first, phq9_last, code="PHQ9")
    _check_codes(gad7_first, gad7_last, code="GAD7")
    at_start = _at_caseness_at_start(phq9_first, gad7_first)
    scores = (phq9_first, phq9_last, gad7_first, gad7_last)
    if at_start is None or any(score.total is None for score in scores):
        return _unknown(at_start)
    with localcontext(SCORING_CONTEXT):
        pairs = (
            _pair(phq9.INSTRUMENTS, phq9_first, phq9_last),
            _pair(gad7.INSTRUMENTS, gad7_first, gad7_last),
        )
        return _outcome(at_start, pairs)


def _check_codes(*scores: Score, code: str) -> None:
    for score in scores:
        if score.instrument_code != code:
            raise ValueError(
                f"talking_therapies needs {code} scores, not {score.instrument_code}"
            )


def _pair(definitions: Iterable[Instrument], first: Score, last: Score) -> _Pair:
    instrument = pick_version(definitions, last.instrument_version)
    return _Pair(
        first=first.total,
        last=last.total,
        caseness=instrument.thresholds["caseness"],
        reliable_change=instrument.thresholds["reliable_change"],
    )


def _at_caseness_at_start(phq9_first: Score, gad7_first: Score) -> bool | None:
    # Needs both first scores: a paired course (spec section 4.3).
    if phq9_first.total is None or gad7_first.total is None:
        return None
    return _at_caseness(phq9.INSTRUMENTS, phq9_first) or _at_caseness(
        gad7.INSTRUMENTS, gad7_first
    )


def _at_caseness(definitions: Iterable[Instrument], score: Score) -> bool:
    instrument = pick_version(definitions, score.instrument_version)
    return instrument.thresholds["caseness"].is_met(score.total)


def _unknown(at_start: bool | None) -> TalkingTherapiesOutcome:
    return TalkingTherapiesOutcome(at_start, None, None, None, None, None, None, None)


def _outcome(at_start: bool, pairs: tuple[_Pair, _Pair]) -> TalkingTherapiesOutcome:
    phq, gad = pairs
    any_deterioration = phq.deteriorated or gad.deteriorated
    improvement = (phq.improved or gad.improved) and not any_deterioration
    mixed = (phq.improved and gad.deteriorated) or (gad.improved and phq.deteriorated)
    recovered = at_start and not any(p.caseness.is_met(p.last) for p in pairs)
    return TalkingTherapiesOutcome(
        at_caseness_at_start=at_start,
        recovered=recovered,
        reliable_improvement=improvement,
        reliable_deterioration=any_deterioration,
        reliable_recovery=recovered and improvement,
        no_reliable_change=not improvement and not any_deterioration,
        mixed=mixed,
        provisional_reading=mixed,
        notes=(MIXED_NOTE,) if mixed else (),
    )
