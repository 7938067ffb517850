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
    # A per-scale measure's total (GBO's mean) may cover different scales at
    # each time: it is never compared.
    per_scale = instrument.change_per_scale
    return Change(
        difference=None if per_scale else _difference(before.total, after.total),
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
    """At caseness first and not at caseness last (NHSTT-META). For someone
    not at caseness at first, recovery does not apply: None, never False, so
    no caller can count them as "not recovered"."""
    if "caseness" not in instrument.thresholds or before is None or after is None:
        return None
    if not before:
        return None
    return not after


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


@dataclass(frozen=True)
class ScaleChangesOver:
    """Change on each scale over a series of scores, each scale's first
    reading against its own last (a scale read once is not compared), and
    how many scales moved by their reliable amount."""

    scales: dict[str, ScaleChange]
    improved: int
    deteriorated: int
    no_reliable_change: int
    rated_once: tuple[str, ...] = ()

    @property
    def compared(self) -> int:
        return self.improved + self.deteriorated + self.no_reliable_change


def scale_changes_over(
    instrument: Instrument, scores: Iterable[Score]
) -> ScaleChangesOver:
    """Per scale (GBO: per goal), its first reading in `scores` (oldest
    first) against its own last, whatever the other scales did."""
    scores = list(scores)
    _check_scores(instrument, *scores)
    changes, once = {}, []
    with localcontext(SCORING_CONTEXT):
        for scale in instrument.scales:
            readings = [
                s.scales[scale.key].score
                for s in scores
                if scale.key in s.scales and s.scales[scale.key].score is not None
            ]
            if len(readings) == 1:
                once.append(scale.key)
            if len(readings) < 2:
                continue
            first, last = readings[0], readings[-1]
            changes[scale.key] = ScaleChange(
                key=scale.key,
                label=scale.label,
                before=first,
                after=last,
                difference=last - first,
                direction=reliable_direction(
                    first, last, scale.reliable_change, scale.higher_is_better
                ),
                reliable_change_threshold=scale.reliable_change,
            )
    directions = [c.direction for c in changes.values()]
    return ScaleChangesOver(
        scales=changes,
        improved=directions.count("improved"),
        deteriorated=directions.count("deteriorated"),
        no_reliable_change=directions.count("no_reliable_change"),
        rated_once=tuple(once),
    )


# --- NHS Talking Therapies --------------------------------------------------

# A finished course of treatment: ended after at least this many attended
# treatment appointments (NHSTT-META Count_FinishedCourseTreatment).
FINISHED_COURSE_APPOINTMENTS = 2


@dataclass(frozen=True)
class TalkingTherapiesRules:
    """The thresholds the paired outcome uses, for code that counts courses
    at scale (the service report's SQL) and must not restate them. Caseness
    is met at or above its value; a reliable change is one of at least its
    value (spec section 4.6)."""

    phq9_caseness: Threshold
    gad7_caseness: Threshold
    phq9_reliable_change: Threshold
    gad7_reliable_change: Threshold
    finished_course_appointments: int = FINISHED_COURSE_APPOINTMENTS


def talking_therapies_rules(
    phq9_version: int | None = None, gad7_version: int | None = None
) -> TalkingTherapiesRules:
    phq = _version(phq9.INSTRUMENTS, phq9_version)
    gad = _version(gad7.INSTRUMENTS, gad7_version)
    return TalkingTherapiesRules(
        phq9_caseness=phq.thresholds["caseness"],
        gad7_caseness=gad.thresholds["caseness"],
        phq9_reliable_change=phq.thresholds["reliable_change"],
        gad7_reliable_change=gad.thresholds["reliable_change"],
    )


def _version(definitions: tuple[Instrument, ...], version: int | None) -> Instrument:
    if version is None:
        return max(definitions, key=lambda definition: definition.version)
    return pick_version(definitions, version)


@dataclass(frozen=True)
class TalkingTherapiesOutcome:
    """The NHS Talking Therapies paired outcome for one course.

    `finished_course` is whether the course ended after at least
    FINISHED_COURSE_APPOINTMENTS attended treatment appointments; a course
    that did not finish has no outcome (every flag None), as the national
    rates leave it out. Every flag is also None when a score it needs is not
    scored. Recovery and reliable recovery do not apply to someone not at
    caseness at the start: None, never False. Rates and their denominators
    (finished courses, at caseness at start) are the reporting layer's job
    (spec section 4).
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
    finished_course: bool = False
    at_caseness_at_end: bool | None = None


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
    phq9_first: Score,
    phq9_last: Score,
    gad7_first: Score,
    gad7_last: Score,
    *,
    treatment_appointments: int,
) -> TalkingTherapiesOutcome:
    """Classify a course on PHQ-9 plus GAD-7, first and last scores only.

    Finished course: at least 2 attended treatment appointments. Caseness
    PHQ-9 >= 10 or GAD-7 >= 8; reliable change 6 and 4 as ">="; reliable
    improvement = improvement on either with no reliable deterioration on
    either; recovery = at caseness first, neither at caseness last (not
    applicable, None, when not at caseness first); reliable recovery = both
    (NHSTT-META, NHSE-SQL-KM).
    """
    if isinstance(treatment_appointments, bool) or treatment_appointments < 0:
        raise ValueError("treatment_appointments must be a whole number, 0 or more")
    _check_codes(phq9_first, phq9_last, code="PHQ9")
    _check_codes(gad7_first, gad7_last, code="GAD7")
    finished = treatment_appointments >= FINISHED_COURSE_APPOINTMENTS
    at_start = _either_at_caseness(phq9_first, gad7_first)
    at_end = _either_at_caseness(phq9_last, gad7_last)
    scores = (phq9_first, phq9_last, gad7_first, gad7_last)
    if not finished or at_start is None or any(s.total is None for s in scores):
        return _no_outcome(at_start, at_end, finished)
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


def _either_at_caseness(phq9_score: Score, gad7_score: Score) -> bool | None:
    # Needs both scores: a paired course (spec section 4.3).
    if phq9_score.total is None or gad7_score.total is None:
        return None
    return _at_caseness(phq9.INSTRUMENTS, phq9_score) or _at_caseness(
        gad7.INSTRUMENTS, gad7_score
    )


def _at_caseness(definitions: Iterable[Instrument], score: Score) -> bool:
    instrument = pick_version(definitions, score.instrument_version)
    return instrument.thresholds["caseness"].is_met(score.total)


def _no_outcome(
    at_start: bool | None, at_end: bool | None, finished: bool
) -> TalkingTherapiesOutcome:
    return TalkingTherapiesOutcome(
        at_start,
        *(None,) * 7,
        finished_course=finished,
        at_caseness_at_end=at_end,
    )


def _outcome(at_start: bool, pairs: tuple[_Pair, _Pair]) -> TalkingTherapiesOutcome:
    phq, gad = pairs
    any_deterioration = phq.deteriorated or gad.deteriorated
    improvement = (phq.improved or gad.improved) and not any_deterioration
    mixed = (phq.improved and gad.deteriorated) or (gad.improved and phq.deteriorated)
    at_end = any(p.caseness.is_met(p.last) for p in pairs)
    recovered = (not at_end) if at_start else None
    return TalkingTherapiesOutcome(
        at_caseness_at_start=at_start,
        recovered=recovered,
        reliable_improvement=improvement,
        reliable_deterioration=any_deterioration,
        reliable_recovery=(recovered and improvement) if at_start else None,
        no_reliable_change=not improvement and not any_deterioration,
        mixed=mixed,
        provisional_reading=mixed,
        notes=(MIXED_NOTE,) if mixed else (),
        finished_course=True,
        at_caseness_at_end=at_end,
    )
