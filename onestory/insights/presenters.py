"""Figures as table rows, spreadsheet rows and a run chart."""

from dataclasses import dataclass
from functools import cache
from statistics import median

from onestory.core import charts as geometry
from onestory.insights import disclosure, domain
from onestory.insights.disclosure import Cell, Identity
from onestory.insights.domain import Period

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


def export_rows(sections, scope_label: str, shown: disclosure.Shown):
    """One row per figure and per breakdown line, hidden as `shown` says (any
    export leaves the team, so `suppression` always)."""
    yield ["Report", "", scope_label, "", "", "", "", ""]
    for section in sections:
        for figure in section.figures:
            code = figure.code
            yield [
                section.title,
                code,
                figure.title,
                "",
                disclosure.cell(figure, hidden=shown.value(code, figure)),
                *disclosure.parts_cells(figure, shown.parts(code)),
                figure.definition,
            ]
            for i, (label, part) in enumerate(figure.breakdown):
                yield [
                    section.title,
                    code,
                    figure.title,
                    label_of(label),
                    disclosure.cell(part, hidden=shown.value(code, part, i)),
                    "",
                    "",
                    "",
                ]


R1_MONTHS, R3_MONTHS = "R1 by month", "R3 by month"


def suppression(sections, points, period: domain.Period) -> disclosure.Shown:
    """What is hidden from a reader outside the team, across the report's
    figures and its run charts (`disclosure.suppressed`, the one rule)."""
    figures, identities, fixed = with_charts(sections, points, period)
    return disclosure.suppressed(figures, identities=identities, fixed=fixed)


def with_charts(sections, points, period: domain.Period):
    """The report's figures with the run charts' months as two more, the
    charts' identities, and the counts they rest on that are shown elsewhere."""
    figures = [figure for section in sections for figure in section.figures]
    for code, attr in ((R1_MONTHS, "families"), (R3_MONTHS, "requests")):
        lines = tuple(
            (p.period.key, domain.Figure(code, "", getattr(p, attr), ""))
            for p in points
        )
        figures.append(domain.Figure(code, "", None, "", breakdown=lines))
    identities, fixed = _chart_identities(points, period)
    return figures, identities, fixed


def _chart_identities(points, period: domain.Period):
    """The months of new requests (R3) add up to their quarter's R3: this
    report's, or another quarter's shown on its own report (`fixed`, known).
    Families reached are counted once a quarter, so their months do not add
    up; for a month's report, its R1 and R3 are the chart's last month."""
    identities, fixed = [], {}
    quarters: dict = {}
    for i, point in enumerate(points):
        quarters.setdefault(domain.quarter_of(point.period.start).key, []).append(i)
    for key, months in quarters.items():
        lines = tuple(Cell(R3_MONTHS, "value", i) for i in months)
        if key == period.key:
            total = Cell("R3")
        else:
            total = Cell(R3_MONTHS, "quarter", months[0])
            fixed[total] = sum(points[i].requests for i in months)
        identities.append(Identity(total, lines))
    if points and not period.is_quarter:
        last = len(points) - 1
        identities += [
            Identity(Cell("R1"), (Cell(R1_MONTHS, "value", last),), "same"),
            Identity(Cell("R3"), (Cell(R3_MONTHS, "value", last),), "same"),
        ]
    return identities, fixed


@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: int | None  # None when suppressed
    shown: str
    x: float  # per cent across (core.charts)
    y: float | None  # pixels down; None when suppressed


@dataclass(frozen=True)
class RunChart:
    code: str  # shown apart from the title: "R1"
    title: str
    points: list[ChartPoint]
    centre: float | None
    scale: geometry.Scale
    labels: list[geometry.Label]
    height: int = geometry.HEIGHT
    baseline: int = geometry.PLOT_BOTTOM
    top: int = geometry.PLOT_TOP

    @property
    def centre_y(self) -> float | None:
        return None if self.centre is None else self.scale.y(self.centre)

    @property
    def segments(self) -> list[tuple[ChartPoint, ChartPoint]]:
        """Lines between shown months; a suppressed month breaks the line."""
        return [
            (a, b)
            for a, b in zip(self.points, self.points[1:], strict=False)
            if a.y is not None and b.y is not None
        ]


def run_chart(
    code: str, title: str, series: list[tuple[Period, int]], hidden=frozenset()
):
    """A run chart: monthly values on a scale from zero, with the median as the
    centre line; the months at the positions in `hidden` are left out
    (`suppression`)."""
    shown_values = [None if i in hidden else v for i, (_, v) in enumerate(series)]
    present = [v for v in shown_values if v is not None]
    scale = geometry.count_scale(max(present, default=0))
    points = [
        ChartPoint(
            period.label,
            value,
            disclosure.hidden_text(count) if value is None else f"{value:,}",
            geometry.across(i, len(series)),
            None if value is None else scale.y(value),
        )
        for i, ((period, count), value) in enumerate(
            zip(series, shown_values, strict=True)
        )
    ]
    labels = geometry.month_labels([period.start for period, _ in series])
    centre = median(present) if present else None
    return RunChart(code, title, points, centre, scale, labels)


def charts(points, shown: disclosure.Shown) -> list[RunChart]:
    """Families reached (R1) and new requests (R3) by month."""
    out = []
    for code, attr, title in (
        (R1_MONTHS, "families", "Families reached, by month"),
        (R3_MONTHS, "requests", "New requests for support, by month"),
    ):
        hidden = {c.line for c in shown.hidden if c.code == code}
        series = [(p.period, getattr(p, attr)) for p in points]
        out.append(run_chart(code.split()[0], title, series, hidden))
    return out


@cache
def _labels() -> dict[str, str]:  # the choices' labels, as text
    from onestory.families.models import PersonRole
    from onestory.support.models import Level, RequestSource, decision_choices

    labels = {}
    for choices in (Level.choices, PersonRole.choices, RequestSource.choices):
        labels.update(dict(choices))
    labels.update(dict(decision_choices()))
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


def page_sections(sections, learning: dict, shown: disclosure.Shown):
    """Each section's figures as shown to this reader (`shown`: nothing hidden
    for exact figures); the learning log entries for a metric go beside its
    first figure."""
    placed = set()
    out = []
    for section in sections:
        items = []
        for figure in section.figures:
            metric = domain.metric_of(figure.code)
            first = metric not in placed
            entries = learning.get(metric, []) if first else []
            placed.add(metric)
            hidden = shown.value(figure.code, figure)
            items.append(
                ShownFigure(
                    figure,
                    "figure-" + figure.code.replace(" ", "-").replace(".", "-"),
                    metric,
                    disclosure.shown(figure, hidden=hidden),
                    *disclosure.parts_shown(figure, shown.parts(figure.code)),
                    _breakdown(figure, shown),
                    entries,
                    first,
                    "" if hidden else figure.note,
                )
            )
        out.append((section, items))
    return out


def _breakdown(figure, shown: disclosure.Shown) -> list[tuple[str, str]]:
    """The breakdown's lines, or none when every line is empty."""
    if all(part.value in (None, 0) for _, part in figure.breakdown):
        return []
    return [
        (
            label_of(label),
            disclosure.shown(part, hidden=shown.value(figure.code, part, i)),
        )
        for i, (label, part) in enumerate(figure.breakdown)
    ]
