"""Figures as table rows, spreadsheet rows and a run chart."""

from dataclasses import dataclass
from functools import cache
from statistics import median

from onestory.insights import domain

EXPORT_COLUMNS = [
    "Section",
    "Code",
    "Figure",
    "Breakdown",
    "Value",
    "Numerator",
    "Denominator",
    "How this is calculated",
]


def export_rows(sections, scope_label: str):
    """One row per figure and per breakdown line; small counts always
    suppressed (any export leaves the team)."""
    yield ["Report", "", scope_label, "", "", "", "", ""]
    for section in sections:
        for figure in section.figures:
            yield [
                section.title,
                figure.code,
                figure.title,
                "",
                domain.cell(figure, suppress=True),
                *domain.parts_cells(figure, suppress=True),
                figure.definition,
            ]
            hidden = domain.hidden_parts(figure)
            for i, (label, part) in enumerate(figure.breakdown):
                yield [
                    section.title,
                    figure.code,
                    figure.title,
                    label_of(label),
                    domain.SUPPRESSED_CELL
                    if i in hidden
                    else domain.cell(part, suppress=True),
                    "",
                    "",
                    "",
                ]


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: int | None  # None when suppressed
    shown: str
    x: float
    y: float | None


@dataclass(frozen=True)
class RunChart:
    title: str
    points: list[ChartPoint]
    centre: float | None
    centre_y: float | None
    top: int
    width: int = 640
    height: int = 220
    left: int = 48
    bottom: int = 40

    @property
    def polylines(self) -> list[str]:
        """Lines between shown points; a suppressed month breaks the line."""
        lines, current = [], []
        for point in self.points:
            if point.y is None:
                if len(current) > 1:
                    lines.append(" ".join(current))
                current = []
            else:
                current.append(f"{point.x:.1f},{point.y:.1f}")
        if len(current) > 1:
            lines.append(" ".join(current))
        return lines

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom


def run_chart(
    title: str, series: list[tuple[str, int]], *, suppress: bool, quarters=None
) -> RunChart:
    """A run chart: monthly values with the median as the centre line. With
    `quarters` (each month's quarter), a month hidden alone in its quarter takes
    the next smallest with it, as the quarter's total is shown elsewhere."""
    width, height, left, bottom, top_pad = 640, 220, 48, 40, 16
    hidden = set()
    if suppress:
        hidden = {i for i, (_, v) in enumerate(series) if domain.is_small(v)}
        for quarter in set(quarters or ()):
            months = [i for i, q in enumerate(quarters) if q == quarter]
            found = domain.hidden_counts([series[i][1] for i in months])
            hidden |= {months[i] for i in found}
    shown_values = [None if i in hidden else v for i, (_, v) in enumerate(series)]
    present = [v for v in shown_values if v is not None]
    top = max([*present, 1])
    step = (width - left - 16) / max(len(series) - 1, 1)

    def y_of(value):
        usable = height - bottom - top_pad
        return height - bottom - usable * value / top

    points = [
        ChartPoint(
            label,
            value,
            domain.SUPPRESSED if value is None else f"{value:,}",
            left + i * step,
            None if value is None else y_of(value),
        )
        for i, ((label, _), value) in enumerate(zip(series, shown_values, strict=True))
    ]
    centre = median(present) if present else None
    return RunChart(
        title, points, centre, None if centre is None else y_of(centre), top
    )


@cache
def _labels() -> dict[str, str]:
    from onestory.families.models import PersonRole
    from onestory.support.models import DecisionOutcome, Level, RequestSource

    labels = {}
    for choices in (Level, PersonRole, RequestSource, DecisionOutcome):
        labels.update(dict(choices.choices))
    return labels


def label_of(value) -> str:
    if value in (None, ""):
        return "Not recorded"
    return _labels().get(value, value)


@dataclass(frozen=True)
class ShownFigure:
    figure: domain.Figure
    anchor: str
    metric: str
    value: str
    numerator: str
    denominator: str
    breakdown: list[tuple[str, str]]
    learning: list
    first_of_metric: bool
    note: str  # none when the figure is hidden: an interval gives it away


def page_sections(sections, learning: dict, *, suppress: bool):
    """Each section's figures as shown to this reader; the learning log entries
    for a metric go beside its first figure."""
    from onestory.insights.forms import metric_of

    placed = set()
    out = []
    for section in sections:
        shown = []
        for figure in section.figures:
            metric = metric_of(figure.code)
            first = metric not in placed
            entries = learning.get(metric, []) if first else []
            placed.add(metric)
            hidden = suppress and figure.must_suppress
            shown.append(
                ShownFigure(
                    figure,
                    "figure-" + figure.code.replace(" ", "-").replace(".", "-"),
                    metric,
                    domain.shown(figure, suppress=suppress),
                    *domain.parts_shown(figure, suppress=suppress),
                    _breakdown(figure, suppress),
                    entries,
                    first,
                    "" if hidden else figure.note,
                )
            )
        out.append((section, shown))
    return out


def _hidden_text(part) -> str:
    return domain.SUPPRESSED if part.unit == "count" else domain.SUPPRESSED_RATE


def _breakdown(figure, suppress) -> list[tuple[str, str]]:
    """The breakdown's lines, or none when every line is empty."""
    if all(part.value in (None, 0) for _, part in figure.breakdown):
        return []
    hidden = domain.hidden_parts(figure) if suppress else set()
    return [
        (
            label_of(label),
            _hidden_text(part)
            if i in hidden
            else domain.shown(part, suppress=suppress),
        )
        for i, (label, part) in enumerate(figure.breakdown)
    ]
