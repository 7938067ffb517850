"""Report periods, small-number suppression and the shape of a figure.

Pure Python (no Django): the rules here are checked on their own. Definitions
follow reference/domain.md §8; docs/insights.md says each in plain words.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from itertools import pairwise

from onestory.families.domain import (
    InvalidEntry,
    normalise_nhs_number,
    normalise_postcode,
)

# NHS statistical convention (domain.md §8.4): counts of 1 to 4 are not shown
# outside the team that holds the records.
SUPPRESS_BELOW = 5
SUPPRESSED = "fewer than 5"
SUPPRESSED_RATE = "not shown: small numbers"
SUPPRESSED_CELL = "[c]"  # the Government Statistical Service's mark


@dataclass(frozen=True)
class Period:
    """A calendar quarter or month: `start` included, `end` excluded."""

    start: date
    end: date
    key: str  # "2026-Q3" or "2026-08"
    label: str

    @property
    def is_quarter(self) -> bool:
        return "Q" in self.key

    def months(self) -> list["Period"]:
        first = self.start.month
        count = 3 if self.is_quarter else 1
        return [month(self.start.year, m) for m in range(first, first + count)]


_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _month_after(year: int, number: int) -> date:
    return date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)


def month(year: int, number: int) -> Period:
    return Period(
        date(year, number, 1),
        _month_after(year, number),
        f"{year}-{number:02d}",
        f"{_MONTHS[number - 1]} {year}",
    )


def quarter(year: int, number: int) -> Period:
    """Calendar quarter `number` (1 to 4): Q1 is January to March."""
    first = 3 * (number - 1) + 1
    start = date(year, first, 1)
    end = _month_after(year, first + 2)
    label = f"{_MONTHS[first - 1]} to {_MONTHS[first + 1]} {year}"
    return Period(start, end, f"{year}-Q{number}", label)


def quarter_of(day: date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def last_full_quarter(today: date) -> Period:
    current = quarter_of(today)
    year, number = current.start.year, int(current.key[-1])
    return quarter(year - 1, 4) if number == 1 else quarter(year, number - 1)


_KEY = re.compile(r"^(\d{4})-(?:Q([1-4])|(0[1-9]|1[0-2]))$")


def parse_period(key: str) -> Period | None:
    """ "2026-Q3" or "2026-08"; None for anything else."""
    found = _KEY.match(key or "")
    if not found or not 2000 <= int(found[1]) <= 2100:
        return None
    year = int(found[1])
    return quarter(year, int(found[2])) if found[2] else month(year, int(found[3]))


def quarters_before(period: Period, count: int) -> list[Period]:
    """`count` quarters ending with the one holding `period`, oldest first."""
    last = quarter_of(period.start)
    year, number = last.start.year, int(last.key[-1])
    out = []
    for _ in range(count):
        out.append(quarter(year, number))
        year, number = (year - 1, 4) if number == 1 else (year, number - 1)
    return out[::-1]


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < SUPPRESS_BELOW


@dataclass(frozen=True)
class Figure:
    """One number in a report, with what it counts and how.

    `value` is a count, a proportion (Fraction, shown as a percentage), a number of
    days or an index. A proportion carries its numerator and denominator."""

    code: str  # "R1", "W1 median", ...
    title: str
    value: int | Fraction | float | None
    definition: str
    numerator: int | None = None
    denominator: int | None = None
    unit: str = "count"  # count, percent, days, index, mean
    note: str = ""
    breakdown: tuple = field(default=())  # (label, Figure) pairs


def percent(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


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
    return tuple(
        "" if count is None else hidden_text(count) if gone else f"{count:,}"
        for count, gone in zip(
            (figure.numerator, figure.denominator), hidden, strict=True
        )
    )


AGE_BANDS = (
    ("Under 20", 20),
    ("20 to 24", 25),
    ("25 to 34", 35),
    ("35 and over", None),
)


def born_after(on: date, years: int) -> date:
    """Born after this date means younger than `years` on `on`."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


# Two-sided 95% points of Student's t by degrees of freedom (standard tables);
# between listed values the next smaller one is used, which widens the interval.
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365,
         8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160,
         14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
         20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060,
         26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021,
         60: 2.000, 120: 1.980}  # fmt: skip
Z_975 = 1.960


def t_975(degrees: int) -> float:
    if degrees > max(T_975):
        return Z_975
    return T_975[max(d for d in T_975 if d <= degrees)]


@dataclass(frozen=True)
class MeanChange:
    count: int
    mean: float
    low: float | None  # the 95% confidence interval, None for fewer than 2
    high: float | None


def mean_change(count: int, total: float, squares: float) -> MeanChange | None:
    """Mean of the changes and its 95% confidence interval (Student's t), from
    their count, sum and sum of squares as the database adds them up."""
    if not count:
        return None
    mean = total / count
    if count < 2:
        return MeanChange(count, mean, None, None)
    variance = max((squares - count * mean * mean) / (count - 1), 0.0)
    margin = t_975(count - 1) * (variance / count) ** 0.5
    return MeanChange(count, mean, mean - margin, mean + margin)


_LSOA = re.compile(r"^[EW]0\d{7}$")


@dataclass(frozen=True)
class AreaRow:
    postcode: str
    lsoa_code: str
    imd_decile: int


def read_area_row(row: dict) -> AreaRow:
    """One row of an area lookup (postcode, lsoa, imd_decile); ValueError says
    what is wrong with it."""
    try:
        postcode = normalise_postcode(row.get("postcode") or "")
    except InvalidEntry:
        raise ValueError(
            f"postcode {row.get('postcode')!r} is not a postcode"
        ) from None
    lsoa = (row.get("lsoa") or "").strip().upper()
    if not _LSOA.match(lsoa):
        raise ValueError(f"lsoa {lsoa!r} is not an LSOA code like E01015000")
    decile = (row.get("imd_decile") or "").strip()
    if not decile.isdigit() or not 1 <= int(decile) <= 10:
        raise ValueError(f"imd_decile {decile!r} is not a whole number from 1 to 10")
    return AreaRow(postcode, lsoa, int(decile))


def quintile(decile: int) -> int:
    """IMD quintile 1 (most deprived) to 5 from a decile."""
    return (decile + 1) // 2


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
    out = {}
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
        out.append(Identity(place(total), tuple(map(place, parts))))
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


# Learning-log text is read by commissioners: it must not identify anyone. The
# names of the area's people are checked by the form (a query); what counts as
# an NHS number or a date in text is this rule.
_TEN_DIGITS = re.compile(r"(?<![\d])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])")
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?![\d/.-]*\d)"
)
_MONTH_NAMES = "|".join(m[:3] + f"(?:{m[3:]})?" for m in _MONTHS)
_WORDED_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+(?:{_MONTH_NAMES})\.?,?\s+\d{{2,4}}"
    rf"|(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.IGNORECASE,
)


def holds_nhs_number(text: str) -> bool:
    """Ten digits, spaced 3-3-4, hyphenated or run together, that pass the
    NHS number's Modulus 11 check."""
    for found in _TEN_DIGITS.finditer(text):
        try:
            normalise_nhs_number(found[0])
        except InvalidEntry:
            continue
        return True
    return False


def _could_be_day(day: int, month: int, year: int) -> bool:
    try:
        date(year if year > 99 else 2000 + year, month, day)
    except ValueError:
        return False
    return True


def holds_date(text: str) -> bool:
    """A date written as one (3/4/2025, 03-04-2025, 2025-04-03, 3.4.25,
    3 April 2025, 3rd of Apr 2025, April 3, 2025): a date of birth could be
    any of them. A month and year alone (April 2025) is not a date."""
    if _WORDED_DATE.search(text):
        return True
    for found in _NUMERIC_DATE.finditer(text):
        a, b, c = (int(x) for x in found.groups())
        if len(found[1]) == 4:  # year first: 2025-04-03
            if _could_be_day(c, b, a):
                return True
        elif len(found[3]) in (2, 4) and (
            _could_be_day(a, b, c) or _could_be_day(b, a, c)
        ):
            return True
    return False


def names_in(text: str, people) -> list[str]:
    """Which of `people` ((given name, family name) pairs) the text names:
    both names together, in either order, whatever the case, as whole words."""
    found = []
    for given, family in people:
        if not given.strip() or not family.strip():
            continue
        parts = [re.escape(given.strip()), re.escape(family.strip())]
        pattern = r"\s+".join(parts) + "|" + r",?\s+".join(parts[::-1])
        if re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text, re.IGNORECASE):
            found.append(f"{given.strip()} {family.strip()}")
    return found


def word_runs(text: str, longest: int = 3) -> set[str]:
    """Every run of 1 to `longest` words in the text, lower case: the names a
    query need look for (a name such as "van der Berg" is several words)."""
    words = re.findall("[\\w'\u2019-]+", text.lower())
    return {
        " ".join(words[i : i + n])
        for n in range(1, longest + 1)
        for i in range(len(words) - n + 1)
    }
