"""Plain-language summaries a parent can read (British English, no jargon
beyond "clinical range"). Risk answers are never summarised here: the UI
shows Score.risk on its own, whatever the total."""

from decimal import Decimal

from .base import Instrument
from .change import Change, ScaleChange, classify, scale_changes_over
from .scores import PRORATED, Score

NO_THRESHOLD = "this questionnaire has no agreed measure of reliable change"


def format_number(value: Decimal | None) -> str:
    """15, 19.25, 25.3: no trailing zeros, never scientific notation. Only a
    number is shown: None (no score) is refused."""
    if value is None:
        raise ValueError("There is no number to show")
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def describe_score(instrument: Instrument, score: Score) -> str:
    """E.g. "15 out of 27: moderately severe" or "Not scored: 2 questions not
    answered"."""
    if not instrument.has_total:
        return _describe_scales(instrument, score)
    if score.total is None:
        return _not_scored(score)
    text = _figure(instrument, score)
    if instrument.total_label:
        text = f"{instrument.total_label} {text}"
    return text + _goal_details(instrument, score)


FAMILY_PRORATED = " (estimated, because not every question was answered)"
PRACTITIONER_PRORATED = " (pro-rated: not every question was answered)"


def _figure(
    instrument: Instrument, score: Score, prorated: str = FAMILY_PRORATED
) -> str:
    text = f"{format_number(score.total)} out of {format_number(instrument.maximum)}"
    if score.band:
        text += f": {score.band.label.lower()}"
    if score.status == PRORATED:
        text += prorated
    return text


def _not_scored(score: Score) -> str:
    count = len(score.missing_items)
    if count == 0:
        return "Not scored"
    return (
        f"Not scored: {count} {'question' if count == 1 else 'questions'} not answered"
    )


def _goal_details(instrument: Instrument, score: Score) -> str:
    if instrument.code != "GBO":
        return ""
    goals = ", ".join(
        f"{scale.label.lower()}: {format_number(scale.score)}"
        for scale in score.scales.values()
    )
    return f" ({goals})"


def _describe_scales(instrument: Instrument, score: Score) -> str:
    maxima = {scale.key: scale.maximum for scale in instrument.scales}
    parts = []
    for scale in score.scales.values():
        if scale.score is None:
            parts.append(f"{scale.label}: not answered")
            continue
        part = f"{scale.label}: {format_number(scale.score)}"
        part += f" out of {format_number(maxima[scale.key])}"
        parts.append(part + (f" ({scale.band.label.lower()})" if scale.band else ""))
    return "; ".join(parts)


def describe_change(instrument: Instrument, before: Score, after: Score) -> str:
    """For the family: e.g. "Your score went from 15 to 8: a reliable
    improvement. It is now below the clinical range." """
    return _change(instrument, before, after, _family_subject(instrument))


def describe_change_to_practitioner(
    instrument: Instrument, before: Score, after: Score, *, name: str
) -> str:
    """For the practitioner, about one person by their first name: e.g.
    "Amelia's PHQ-9 score went from 17 to 8: a reliable improvement. It is
    now below the clinical range." The same rules as describe_change."""
    if instrument.change_per_scale or not instrument.has_total:
        return _about(name, instrument, _change(instrument, before, after, ""))
    change = classify(instrument, before, after)
    if change.difference is None:
        return (
            f"{name}'s first and latest {instrument.short_name} scores cannot be "
            "compared because one of them could not be scored."
        )
    return _change(instrument, before, after, _named_subject(instrument, name))


def describe_score_to_practitioner(
    instrument: Instrument, score: Score, *, name: str
) -> str:
    """E.g. "Amelia's first PHQ-9 score is 15 out of 27: moderately severe."
    (describe_score is the same figure for the family)."""
    if not instrument.has_total or score.total is None:
        return _about(name, instrument, describe_score(instrument, score)) + "."
    figure = _figure(instrument, score, PRACTITIONER_PRORATED)
    figure += _goal_details(instrument, score)
    return f"{name}'s first {_score_name(instrument)} is {figure}."


def describe_changes_over_to_practitioner(
    instrument: Instrument, scores, *, name: str
) -> str:
    """describe_changes_over about one person: "Amelia's GBO: goal 1 went ..." """
    return _about(name, instrument, describe_changes_over(instrument, scores))


def _about(name: str, instrument: Instrument, neutral: str) -> str:
    return f"{name}'s {instrument.short_name}: {neutral[0].lower()}{neutral[1:]}"


def _family_subject(instrument: Instrument) -> str:
    label = instrument.total_label
    return f"Your {label[0].lower()}{label[1:]}" if label else "Your score"


def _score_name(instrument: Instrument) -> str:
    """ "PHQ-9 score", "SWEMWBS wellbeing score"."""
    return f"{instrument.short_name} {instrument.total_label.lower() or 'score'}"


def _named_subject(instrument: Instrument, name: str) -> str:
    return f"{name}'s {_score_name(instrument)}"


def _change(instrument: Instrument, before: Score, after: Score, subject: str) -> str:
    if instrument.change_per_scale:
        return describe_changes_over(instrument, (before, after))
    change = classify(instrument, before, after)
    if not instrument.has_total:
        return _describe_scale_changes(instrument, change)
    if change.difference is None:
        return (
            "These scores cannot be compared because a questionnaire was not finished."
        )
    sentence = _movement(change, subject) + _verdict(instrument, change)
    return " ".join(filter(None, (sentence, _clinical_range(instrument, change))))


def _movement(change: Change, subject: str) -> str:
    if change.difference == 0:
        return f"{subject} stayed at {format_number(change.before)}"
    return (
        f"{subject} went from {format_number(change.before)} "
        f"to {format_number(change.after)}"
    )


_VERDICTS = {
    "improved": ": a reliable improvement.",
    "deteriorated": ": a reliable change for the worse.",
    "no_reliable_change": ": not a reliable change.",
}


def _verdict(instrument: Instrument, change: Change) -> str:
    if change.difference == 0:
        return "."
    if change.direction == "no_threshold":
        better = "Higher" if instrument.higher_is_better else "Lower"
        return f" ({NO_THRESHOLD}). {better} scores are better."
    return _VERDICTS[change.direction]


def _clinical_range(instrument: Instrument, change: Change) -> str:
    """Where the last score sits against the clinical cut-off, if known."""
    before, after = change.caseness_before, change.caseness_after
    if before is None or after is None:
        return ""
    where = "in" if after else ("above" if instrument.higher_is_better else "below")
    when = "still" if before == after else "now"
    return f"It is {when} {where} the clinical range."


def _describe_scale_changes(instrument: Instrument, change: Change) -> str:
    directions = {s.key: s.higher_is_better for s in instrument.scales}
    same = len(set(directions.values())) == 1
    parts = [
        _scale_movement(scale) + ("" if same else _better(directions[key]))
        for key, scale in change.scales.items()
    ]
    text = "; ".join(parts) + f". {NO_THRESHOLD[0].upper()}{NO_THRESHOLD[1:]}."
    if same and directions:
        better = next(iter(directions.values()))
        text += f" Higher scores are {'better' if better else 'worse'}."
    return text


def _better(higher_is_better: bool) -> str:
    return " (higher is better)" if higher_is_better else " (lower is better)"


def _scale_movement(scale: ScaleChange) -> str:
    if scale.difference is None:
        return f"{scale.label}: cannot be compared"
    if scale.difference == 0:
        return f"{scale.label} stayed at {format_number(scale.before)}"
    return (
        f"{scale.label} went from {format_number(scale.before)} "
        f"to {format_number(scale.after)}"
    )


def describe_changes_over(instrument: Instrument, scores) -> str:
    """Per goal (or scale), its first rating against its own last, then how
    many moved by the reliable amount: e.g. "Goal 1 went from 2 to 7: a
    reliable improvement; goal 2 went from 4 to 6: not a reliable change. 1 of
    2 goals went up by 3 points or more." Never a mean over different goals."""
    result = scale_changes_over(instrument, scores)
    labels = {scale.key: scale.label for scale in instrument.scales}
    parts = [
        _scale_movement(change) + _VERDICTS.get(change.direction, ".")[:-1]
        for change in result.scales.values()
    ]
    parts += [
        f"{labels[key]} has been rated once: nothing to compare yet"
        for key in result.rated_once
    ]
    if not parts:
        return "These ratings cannot be compared yet."
    text = "; ".join(_lower_after_first(parts)) + "."
    return text + _count_sentence(instrument, result)


def _lower_after_first(parts: list[str]) -> list[str]:
    return [parts[0], *(p[0].lower() + p[1:] for p in parts[1:])]


def _count_sentence(instrument: Instrument, result) -> str:
    if not result.compared:
        return ""
    noun = "goal" if instrument.code == "GBO" else "scale"
    amounts = {
        c.reliable_change_threshold.value
        for c in result.scales.values()
        if c.reliable_change_threshold is not None
    }
    if len(amounts) != 1:
        return ""
    amount = format_number(next(iter(amounts)))
    better = "up" if instrument.higher_is_better else "down"
    worse = "down" if instrument.higher_is_better else "up"
    text = (
        f" {result.improved} of {result.compared} "
        f"{noun if result.compared == 1 else noun + 's'} went {better} by "
        f"{amount} points or more"
    )
    if result.deteriorated:
        text += f", and {result.deteriorated} went {worse} by {amount} or more"
    return text + "."
