"""Report periods, small-number suppression and the shape of a figure.

Pure Python (no Django): the rules here are checked on their own. Definitions
follow reference/domain.md §8; docs/insights.md says each in plain words.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from onestory.families.domain import InvalidEntry, normalise_postcode

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

    @property
    def must_suppress(self) -> bool:
        """Whether showing this figure could reveal a count of 1 to 4: the count
        itself, the numerator, the denominator or what is left of it."""
        counts = [self.numerator, self.denominator]
        if self.unit == "count":
            counts.append(self.value)
        if self.numerator is not None and self.denominator is not None:
            counts.append(self.denominator - self.numerator)
        return any(is_small(c) for c in counts)


def percent(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def shown(figure: Figure, *, suppress: bool) -> str:
    """The figure as text: a percentage to one place, days and indices as given."""
    if suppress and figure.must_suppress:
        return SUPPRESSED if figure.unit == "count" else SUPPRESSED_RATE
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


def cell(figure: Figure, *, suppress: bool):
    """The figure for a spreadsheet cell: a number, or the suppression mark."""
    if suppress and figure.must_suppress:
        return SUPPRESSED_CELL
    value = figure.value
    if value is None:
        return ""
    if figure.unit == "percent":
        return round(float(value) * 100, 1)
    if isinstance(value, Fraction | float):
        return round(float(value), 3)
    return value


def parts_cells(figure: Figure, *, suppress: bool) -> tuple:
    """The numerator and denominator for spreadsheet cells. When the figure is
    suppressed both are, as either with the value could give the small count."""
    hidden = suppress and figure.must_suppress
    return tuple(
        "" if count is None else SUPPRESSED_CELL if hidden else count
        for count in (figure.numerator, figure.denominator)
    )


def parts_shown(figure: Figure, *, suppress: bool) -> tuple[str, str]:
    """The numerator and denominator as text, hidden as `parts_cells` says."""
    hidden = suppress and figure.must_suppress
    return tuple(
        "" if count is None else SUPPRESSED if hidden else f"{count:,}"
        for count in (figure.numerator, figure.denominator)
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


def hidden_counts(counts: list) -> set[int]:
    """Which of counts that add up to a total shown elsewhere to hide: those
    from 1 to 4 and, when only one is hidden, the next smallest too, so that
    it cannot be worked out from the total and the rest (secondary
    suppression)."""
    hidden = {i for i, count in enumerate(counts) if is_small(count)}
    if len(hidden) == 1:
        others = [
            (count, i)
            for i, count in enumerate(counts)
            if i not in hidden and isinstance(count, int) and count > 0
        ]
        if others:
            hidden.add(min(others)[1])
    return hidden


def hidden_parts(figure: Figure) -> set[int]:
    """Which lines of a breakdown to hide (`hidden_counts`); rates stand on
    their own numerators and denominators."""
    parts = [part for _, part in figure.breakdown]
    if any(part.unit != "count" for part in parts):
        return {i for i, part in enumerate(parts) if part.must_suppress}
    return hidden_counts([part.value for part in parts])
