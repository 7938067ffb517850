"""What learning-log text must not hold: an NHS number, a date or the name of
a person of the area (docs/insights.md, the learning log).

Pure Python (no Django): the form runs the one query for the area's names.
"""

import re
from datetime import date

from onestory.families.domain import InvalidEntry, normalise_nhs_number
from onestory.insights.domain import MONTHS

# Learning-log text is read by commissioners: it must not identify anyone. The
# names of the area's people are checked by the form (a query); what counts as
# an NHS number or a date in text is this rule.
_TEN_DIGITS = re.compile(r"(?<![\d])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d])")
_NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})(?![\d/.-]*\d)"
)
_MONTH_NAMES = "|".join(m[:3] + f"(?:{m[3:]})?" for m in MONTHS)
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
