"""Report periods and the shape of a figure, age bands, the mean change's
confidence interval and the area lookup's rows.

Pure Python (no Django): the rules here are checked on their own. Definitions
follow reference/domain.md §8; docs/insights.md says each in plain words.
Suppression is in disclosure.py, the learning log's text rules in
learning_text.py.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from onestory.families.domain import InvalidEntry, normalise_postcode


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


MONTHS = [
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
        f"{MONTHS[number - 1]} {year}",
    )


def quarter(year: int, number: int) -> Period:
    """Calendar quarter `number` (1 to 4): Q1 is January to March."""
    first = 3 * (number - 1) + 1
    start = date(year, first, 1)
    end = _month_after(year, first + 2)
    label = f"{MONTHS[first - 1]} to {MONTHS[first + 1]} {year}"
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


def metric_of(code: str) -> str:
    """The metric a figure belongs to: 'O2 recovery' belongs to 'O2'."""
    return code.split(" ")[0]
