"""Small-number suppression (statistical disclosure control): which counts
of a report a reader outside the team sees, and each figure as text or a
spreadsheet cell with what is hidden marked.

Pure Python (no Django). Definitions follow reference/domain.md §8.4;
docs/insights.md, "Suppression across the report", says each in plain words.
"""

from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from onestory.insights.domain import Figure

# NHS statistical convention (domain.md §8.4): counts of 1 to 4 are not shown
# outside the team that holds the records.
SUPPRESS_BELOW = 5
SUPPRESSED = "fewer than 5"
SUPPRESSED_RATE = "not shown: small numbers"
SUPPRESSED_CELL = "[c]"  # the Government Statistical Service's mark


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < SUPPRESS_BELOW


def shown(figure: Figure, *, hidden: bool = False) -> str:
    """The figure as text: a percentage to one place, days and indices as given."""
    if hidden:
        return hidden_text(figure.value if figure.unit == "count" else None)
    value = figure.value
    if value is None:
        return "No data"
    if figure.unit == "percent":
        return f"{float(value) * 100:.1f}%"
    if figure.unit == "days":
        return f"{value:g} days" if value != 1 else "1 day"
    if figure.unit in {"index", "mean"}:
        return f"{float(value):.2f}"
    return f"{value:,}"


def hidden_text(count) -> str:
    """A hidden count from 1 to 4 is "fewer than 5"; one hidden so that
    another cannot be worked out, or a hidden rate or mean, says why only."""
    return SUPPRESSED if is_small(count) else SUPPRESSED_RATE


def cell(figure: Figure, *, hidden: bool = False):
    """The figure for a spreadsheet cell: a number, or the suppression mark."""
    if hidden:
        return SUPPRESSED_CELL
    value = figure.value
    if value is None:
        return ""
    if figure.unit == "percent":
        return round(float(value) * 100, 1)
    if isinstance(value, Fraction | float):
        return round(float(value), 3)
    return value


def parts_cells(figure: Figure, hidden: tuple = (False, False)) -> tuple:
    """The numerator and denominator for spreadsheet cells, each hidden as
    `hidden` says (from `Shown`)."""
    return tuple(
        "" if count is None else SUPPRESSED_CELL if gone else count
        for count, gone in zip(
            (figure.numerator, figure.denominator), hidden, strict=True
        )
    )


def parts_shown(figure: Figure, hidden: tuple = (False, False)) -> tuple[str, str]:
    """The numerator and denominator as text, hidden as `parts_cells`."""
    numerator, denominator = (
        "" if count is None else hidden_text(count) if gone else f"{count:,}"
        for count, gone in zip(
            (figure.numerator, figure.denominator), hidden, strict=True
        )
    )
    return numerator, denominator


# Suppression across the whole report (statistical disclosure control). Every
# count the report holds is a `Cell`; the report's identities say which cells
# hold the same count and which add up. A cell from 1 to 4 is hidden; then,
# until nothing changes, an identity with exactly one hidden cell hides another
# (the smallest, preferring one above 0), so that no hidden count is a shown
# count or can be worked out from one identity's shown counts.


@dataclass(frozen=True)
class Cell:
    """One count in a report: a figure's value (a count), numerator,
    denominator or `rest` (denominator minus numerator, never shown but given
    away by the two), on the figure itself (`line` None) or one of its
    breakdown's lines (by position)."""

    code: str
    part: str = "value"
    line: int | None = None


@dataclass(frozen=True)
class Identity:
    """`total` = the sum of `parts`. kind "sum": exactly; "covers": the lines
    can overlap (a family at two levels), so the sum can be larger, but it is
    suppressed as a sum; "group": lines with no total that could add up."""

    total: Cell | None
    parts: tuple[Cell, ...]
    kind: str = "sum"

    @property
    def cells(self) -> tuple[Cell, ...]:
        return self.parts if self.total is None else (self.total, *self.parts)


def counts_of(figures) -> dict[Cell, int]:
    """Every count the figures hold, by cell."""
    out: dict[Cell, int] = {}
    for figure in figures:
        out |= _figure_counts(figure.code, figure, None)
        for i, (_, part) in enumerate(figure.breakdown):
            out |= _figure_counts(figure.code, part, i)
    return out


def _figure_counts(code: str, figure: Figure, line) -> dict[Cell, int]:
    found = {}
    if figure.unit == "count" and isinstance(figure.value, int):
        found[Cell(code, "value", line)] = figure.value
    for part in ("numerator", "denominator"):
        if getattr(figure, part) is not None:
            found[Cell(code, part, line)] = getattr(figure, part)
    if figure.numerator is not None and figure.denominator is not None:
        found[Cell(code, "rest", line)] = figure.denominator - figure.numerator
    return found


def hidden_cells(counts: dict, identities, fixed=frozenset()) -> frozenset[Cell]:
    """The cells to hide: those from 1 to 4, then the fixed point over the
    identities. `fixed` cells are shown elsewhere (another period's report):
    they are not chosen to hide here, and count as known unless small."""
    hidden = {c for c, n in counts.items() if is_small(n)}
    usable = [i for i in identities if all(c in counts for c in i.cells)]
    changed = True
    while changed:
        changed = False
        for identity in usable:
            if sum(c in hidden for c in identity.cells) != 1:
                continue
            others = [c for c in identity.cells if c not in hidden | set(fixed)]
            if others:
                hidden.add(
                    min(others, key=lambda c: (counts[c] == 0, counts[c], _place(c)))
                )
                changed = True
    return frozenset(hidden)


def _place(cell: Cell) -> tuple:
    return cell.code, cell.part, -1 if cell.line is None else cell.line


@dataclass(frozen=True)
class Shown:
    """What of a report a reader sees: `hidden` cells; nothing for exact
    figures."""

    hidden: frozenset = frozenset()

    def parts(self, code: str, line=None) -> tuple[bool, bool]:
        return (
            Cell(code, "numerator", line) in self.hidden,
            Cell(code, "denominator", line) in self.hidden,
        )

    def value(self, code: str, figure: Figure, line=None) -> bool:
        """A count is hidden as its cell is; any other value (a rate, a mean,
        a median) with its numerator or denominator."""
        if figure.unit == "count":
            return Cell(code, "value", line) in self.hidden
        return any(self.parts(code, line))


# The report's identities, declared once (docs/insights.md, "Suppression
# across the report"). Besides these, every rate's denominator is its
# numerator plus the rest, and every breakdown of counts adds up to its figure
# (to the denominator for a mean): exactly, or as below.
SAME_COUNTS = (  # cells that hold the same count: (code, part[, line's label])
    (("E4", "value"), ("E1", "denominator"), ("E2", "denominator"),
     ("E3", "denominator")),
    (("E1", "numerator"), ("O1 midpoint", "denominator")),
    (("R1", "value"), ("R1 share", "numerator"), ("R1 age", "value"),
     ("R1 deprivation", "value"), ("R1 language", "denominator")),
    (("R2", "value", "parent_carer"), ("R2 parents", "value"),
     ("R2 ethnic group", "value")),
    (("W1 median", "denominator"), ("W1 90th percentile", "denominator")),
    (("W2 6 weeks", "denominator"), ("W2 18 weeks", "denominator")),
    (("W2 6 weeks all", "denominator"), ("W2 18 weeks all", "denominator")),
    (("W3 28 days", "denominator"), ("W3 90 days", "denominator")),
    (("C episodes", "value"), *((code, "denominator") for code in (
        "C1 mean", "C1 median", "C1 0.6", "C2 mean", "C2 0.7", "C3 mean",
        "C4 median", "C4 big team"))),
    (("C9 mean", "denominator"), ("C9 repeated", "denominator"),
     ("C9 other services", "denominator"), ("P1 share", "denominator")),
    (("O2 paired", "value"), ("O2 reliable improvement", "denominator"),
     ("O2 reliable deterioration", "denominator")),
    (("O2 recovery", "denominator"), ("O2 reliable recovery", "denominator")),
    (("O3 clinical range", "denominator"),
     ("O3 reliable improvement", "denominator"),
     ("O3 reliable improvement 6.6", "denominator")),
    (("O3 clinical range", "numerator"),
     ("O3 clinically significant", "denominator")),
    (("O5 impact", "denominator"), ("O5 reliable", "denominator")),
)  # fmt: skip
SUMS = (  # (total, parts): ended episodes by intervention sessions, 2+, 0, 1
    (("E4", "value"), (("E1", "numerator"), ("E2", "numerator"),
                       ("E3", "numerator"))),
)  # fmt: skip
OVERLAPPING = ("R1", "T1", "R6")  # a family at two levels, two decisions...
NOT_A_SUM = ("F1",)  # themes: several to one piece of feedback, or none


def report_identities(figures) -> list[Identity]:
    """The generic identities of these figures and the declared ones."""
    by_code = {figure.code: figure for figure in figures}
    out = []
    for figure in figures:
        out += _own_identities(figure)

    def place(ref) -> Cell | None:
        code, part, *label = ref
        if not label:
            return Cell(code, part)
        found = by_code.get(code)
        lines = [str(name) for name, _ in found.breakdown] if found else []
        return Cell(code, part, lines.index(label[0])) if label[0] in lines else None

    for refs in SAME_COUNTS:
        cells = [c for c in map(place, refs) if c is not None]
        out += [Identity(a, (b,), "same") for a, b in pairwise(cells)]
    for total, parts in SUMS:
        out.append(Identity(Cell(*total), tuple(Cell(*part) for part in parts)))
    return out


def _own_identities(figure: Figure) -> list[Identity]:
    code = figure.code
    found = []
    places = [(figure, None)] + [(p, i) for i, (_, p) in enumerate(figure.breakdown)]
    for part, line in places:
        if part.numerator is not None and part.denominator is not None:
            found.append(
                Identity(
                    Cell(code, "denominator", line),
                    (Cell(code, "numerator", line), Cell(code, "rest", line)),
                )
            )
    lines = [part for _, part in figure.breakdown]
    if lines and all(part.unit == "count" for part in lines):
        cells = tuple(Cell(code, "value", i) for i in range(len(lines)))
        total = Cell(code, "value" if figure.unit == "count" else "denominator")
        if code in NOT_A_SUM:
            found.append(Identity(None, cells, "group"))
        else:
            kind = "covers" if code in OVERLAPPING else "sum"
            found.append(Identity(total, cells, kind))
    return found


def suppressed(figures, *, identities=(), fixed=None) -> Shown:
    """What a reader outside the team sees of a report: one place for the
    page, the downloads and the printable report. `identities` and `fixed`
    add what is shown beside the figures (the run charts)."""
    counts = counts_of(figures) | (fixed or {})
    rules = report_identities(figures) + list(identities)
    return Shown(hidden_cells(counts, rules, frozenset(fixed or ())))
