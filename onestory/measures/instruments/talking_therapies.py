"""The NHS Talking Therapies paired PHQ-9 + GAD-7 outcome for a course, and
the thresholds it uses for code that counts courses at scale (spec section 4)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, localcontext

from . import gad7, phq9
from .base import SCORING_CONTEXT, Instrument, Threshold
from .engine import pick_version
from .scores import Score

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
        first=_total(first),
        last=_total(last),
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
    return instrument.thresholds["caseness"].is_met(_total(score))


def _total(score: Score) -> Decimal:
    """The total of a score the caller has checked was scored."""
    if score.total is None:
        raise ValueError(f"{score.instrument_code} has no total to compare")
    return score.total


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
