"""Change between two administrations of one instrument: the total's
reliable change, recovery, and change per scale or goal (spec section 4). The
NHS Talking Therapies paired outcome is in talking_therapies.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Literal

from .base import SCORING_CONTEXT, Instrument, Threshold
from .scores import Score

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
                reading
                for s in scores
                if scale.key in s.scales
                and (reading := s.scales[scale.key].score) is not None
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
