"""What unanswered questions do to a score, in words for the practitioner who
keys the answers in: read from the Score the instrument's own scorer gave, so
that no pro-rating rule or threshold is written twice.

    describe_unanswered(CORE10, score)  # one of 10 missing
    -> "The score is pro-rated from 9 of 10 answers."
    describe_unanswered(PHQ9, score)    # two of 9 missing
    -> "A score cannot be given unless every question is answered."
"""

from .base import Instrument, Scale
from .scores import INCOMPLETE, PRORATED, Score


def describe_unanswered(instrument: Instrument, score: Score) -> str:
    """ "" when every required question is answered."""
    if not score.missing_items:
        return ""
    missing = set(score.missing_items)
    touched = [scale for scale in _parts(instrument) if missing & set(scale.items)]
    sentences = [_part_sentence(scale, score, missing) for scale in touched]
    sentences = [sentence for sentence in sentences if sentence]
    if _not_scored(instrument, score, touched):
        sentences.append(instrument.unanswered_rule)
    elif score.status == PRORATED and instrument.has_total:
        sentences.append(_total_prorated(instrument, score, bool(sentences)))
    return " ".join(sentences)


def _parts(instrument: Instrument) -> list[Scale]:
    """Scales of several questions that are neither sums of other scales nor
    the whole questionnaire: the SDQ's five scales and MORS-SF's two, not
    externalising, a Star area or SWEMWBS's raw score."""
    asked = {item.key for item in instrument.items if item.required}
    return [
        scale
        for scale in instrument.scales
        if len(scale.items) > 1
        and not asked <= set(scale.items)
        and not any(
            other is not scale and set(other.items) < set(scale.items)
            for other in instrument.scales
        )
    ]


def _part_sentence(scale: Scale, score: Score, missing: set[str]) -> str:
    unanswered = missing.intersection(scale.items)
    result = score.scales.get(scale.key)
    if result is None:
        return ""
    answered = len(scale.items) - len(unanswered)
    name = f"The {scale.label.lower()} score"
    if result.status == PRORATED:
        return f"{name} is pro-rated from {answered} of {len(scale.items)} answers."
    if result.score is None:
        return f"{name} cannot be given from {answered} of {len(scale.items)} answers."
    return ""


def _not_scored(instrument: Instrument, score: Score, touched: list[Scale]) -> bool:
    """No total, or a part with unanswered questions left without a score."""
    if instrument.has_total and score.total is None:
        return True
    if not instrument.has_total and score.status == INCOMPLETE:
        return True
    return any(
        score.scales.get(scale.key) is None or score.scales[scale.key].score is None
        for scale in touched
    )


def _total_prorated(instrument: Instrument, score: Score, parts_said: bool) -> str:
    label = instrument.total_label.lower() or "score"
    if parts_said:
        return f"So the {label} is pro-rated too."
    asked = [item for item in instrument.items if item.required and item.scored]
    answered = len(asked) - len(score.missing_items)
    return f"The {label} is pro-rated from {answered} of {len(asked)} answers."
