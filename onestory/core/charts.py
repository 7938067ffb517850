"""The geometry of every chart onestory draws (the service report's run charts,
a person's progress on a measure), worked out once so that a chart has the same
scale on screen and on paper.

A chart is drawn without a viewBox, so its text is never scaled: it stays the
size the style sheet gives it (16 CSS pixels, the GOV.UK font) at any width.
Positions across are percentages of the plot's width, so the chart reflows
from a phone to a printed page; positions down are pixels of a plot of fixed
height. Pure Python: no Django here.
"""

import math
from dataclasses import dataclass
from datetime import date

PLOT_TOP = 24  # room above the top tick for a point's label
PLOT_BOTTOM = 224  # the baseline, in pixels from the top
HEIGHT = 272  # the baseline, then two lines of labels across
INTERVALS = 6  # at most this many steps between ticks up the side
LABELS_ACROSS = 3  # at most this many labels across: they fit at 320 pixels
MONTH_ABBREVIATIONS = [
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
]


@dataclass(frozen=True)
class Tick:
    value: float
    label: str
    y: float


@dataclass(frozen=True)
class Scale:
    """Values from `low` (at the baseline) to `high` (at the top of the plot)."""

    low: float
    high: float
    step: float

    def y(self, value) -> float:
        """Pixels from the top of the chart to `value`."""
        share = (float(value) - self.low) / (self.high - self.low)
        return round(PLOT_BOTTOM - share * (PLOT_BOTTOM - PLOT_TOP), 1)

    @property
    def ticks(self) -> list[Tick]:
        """Each multiple of the step from `low` to `high`, labelled."""
        first = math.ceil(self.low / self.step - 1e-9)
        last = math.floor(self.high / self.step + 1e-9)
        values = [round(k * self.step, 9) for k in range(first, last + 1)]
        return [Tick(v, number_label(v), self.y(v)) for v in values]


def nice_step(span: float, intervals: int = INTERVALS) -> float:
    """The smallest of 1, 2 and 5 times a power of ten that splits `span` into
    at most `intervals` steps."""
    if span <= 0:
        return 1
    power = 10 ** math.floor(math.log10(span / intervals))
    for multiple in (1, 2, 5, 10):
        if span / (multiple * power) <= intervals + 1e-9:
            return multiple * power
    raise AssertionError("unreachable: 10 times the power always fits")


def count_scale(largest) -> Scale:
    """A scale for counts: from a zero baseline up to the first tick at or
    above the largest value (at least 1), in whole steps."""
    largest = max(float(largest or 0), 0)
    step = max(nice_step(largest), 1) if largest else 1
    return Scale(0, max(math.ceil(largest / step - 1e-9) * step, step), step)


def fixed_scale(low, high) -> Scale:
    """A scale over a measure's whole range, whatever the scores: the same
    picture for every family, and a change is never made to look bigger."""
    low, high = float(low), float(high)
    return Scale(low, high, nice_step(high - low))


def number_label(value: float) -> str:
    """ "1,200", "5", "2.5"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


@dataclass(frozen=True)
class Label:
    """A label across the bottom: two short lines (say "Dec" and "2025") at
    `x` per cent of the plot's width, anchored so it stays inside the chart."""

    x: float
    lines: tuple[str, str]
    anchor: str  # "start", "middle" or "end"


def across(index: int, count: int) -> float:
    """Per cent across the plot of the `index`th of `count` evenly spaced points."""
    return 50.0 if count <= 1 else round(100 * index / (count - 1), 2)


def between(when: date, first: date | None, last: date | None) -> float:
    """Per cent across the plot of `when`, from `first` to `last`."""
    if first is None or last is None or first == last:
        return 50.0
    return round(100 * (when - first).days / (last - first).days, 2)


def labelled(count: int, most: int = LABELS_ACROSS) -> list[int]:
    """Which of `count` evenly spaced points carry a label: all when few, else
    the first, the last and one in the middle."""
    if count <= most:
        return list(range(count))
    return sorted({0, (count - 1) // 2, count - 1})


def anchor_at(x: float) -> str:
    if x <= 0:
        return "start"
    return "end" if x >= 100 else "middle"


def month_lines(day: date) -> tuple[str, str]:
    return MONTH_ABBREVIATIONS[day.month - 1], str(day.year)


def day_lines(day: date) -> tuple[str, str]:
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]}", str(day.year)


def month_labels(starts: list[date]) -> list[Label]:
    """Labels for months evenly spaced across the plot."""
    count = len(starts)
    return [
        Label(x, month_lines(starts[i]), anchor_at(x))
        for i in labelled(count)
        for x in [across(i, count)]
    ]


def date_labels(first: date | None, last: date | None) -> list[Label]:
    """Labels for a time axis from `first` to `last`: both ends and the middle."""
    if first is None or last is None:
        return []
    if first == last:
        return [Label(50.0, day_lines(first), "middle")]
    middle = first + (last - first) / 2
    days = [first, middle, last] if (last - first).days >= 2 else [first, last]
    return [
        Label(x, day_lines(d), anchor_at(x))
        for d in days
        for x in [between(d, first, last)]
    ]
