"""Pure rules about families and people: no Django, no database."""

import re
import unicodedata
from datetime import date

# Defined with the hidden characters they strip; families' rules use them too.
from onestory.text import InvalidEntry as InvalidEntry
from onestory.text import clean_text as clean_text

_NHS_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)
_NHS_SEPARATORS = re.compile(r"[\s\-]")


def normalise_nhs_number(raw: str) -> str:
    """Return the 10-digit NHS number, or raise InvalidEntry.

    Spaces and hyphens are allowed between digits; full-width digits are folded
    to ASCII. The Modulus 11 check digit must match (a check digit of 10 means
    the number was never issued), and repeated-digit numbers such as 1111111111
    are refused although they pass Modulus 11.
    """
    digits = _NHS_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if not digits.isascii() or not digits.isdigit():
        raise InvalidEntry("NHS number must only include numbers 0 to 9")
    if len(digits) != 10:
        raise InvalidEntry("NHS number must be 10 digits")
    if len(set(digits)) == 1:
        raise InvalidEntry("Enter a real NHS number, not repeated digits")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise InvalidEntry("Enter a valid NHS number: the check digit is wrong")
    return digits


def nhs_check_digit(first_nine: str) -> int | None:
    """Modulus 11 check digit for nine digits; None when no valid digit exists."""
    total = sum(int(d) * w for d, w in zip(first_nine, _NHS_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def format_nhs_number(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# UK postcode: outward code (area, district) and inward code (sector, unit).
# Inward letters never use C, I, K, M, O or V.
_POSTCODE = re.compile(
    r"^(GIR0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9A-HJKPSTUW]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9ABEHMNPRVWXY]?)"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_postcode(raw: str) -> str:
    """Return the postcode in capitals with one space, e.g. 'PL1 2AA'."""
    compact = re.sub(r"\s+", "", raw).upper()
    if not _POSTCODE.match(compact):
        raise InvalidEntry("Enter a real postcode, like PL1 2AA")
    return f"{compact[:-3]} {compact[-3:]}"


# UK phone numbers, landline or mobile, as people type them: spaces and
# brackets between digits, and +44 (with or without "(0)") for the leading 0.
_PHONE_PUNCTUATION = re.compile(r"[\s()]")
_PHONE_INTERNATIONAL = re.compile(r"^\+44\s*(?:\(0\))?")
PHONE_NUMBER_MESSAGE = "Enter a phone number, like 07700 900 982 or 01632 960 001"


def normalise_phone_number(raw: str) -> str:
    """Return a UK phone number as its digits, e.g. '07700900982', or raise
    InvalidEntry.

    Digits, spaces and brackets are allowed, and a leading +44 for the 0; the
    number must then be 10 or 11 digits starting 0 (not 00, which dials
    abroad). Full-width digits are folded to ASCII.
    """
    text = unicodedata.normalize("NFKC", raw).strip()
    international = _PHONE_INTERNATIONAL.match(text)
    if international:
        text = "0" + text[international.end() :]
    digits = _PHONE_PUNCTUATION.sub("", text)
    if (
        not digits.isascii()
        or not digits.isdigit()
        or len(digits) not in (10, 11)
        or not digits.startswith("0")
        or digits.startswith("00")
    ):
        raise InvalidEntry(PHONE_NUMBER_MESSAGE)
    return digits


def format_phone_number(digits: str) -> str:
    """For reading: the first five digits, a space, the rest ('07700 900982')."""
    return f"{digits[:5]} {digits[5:]}" if len(digits) > 5 else digits


def age_in_years(born: date, on: date) -> int:
    """Completed years of age on a date (29 February birthdays turn on 1 March)."""
    years = on.year - born.year
    return years - ((on.month, on.day) < (born.month, born.day))


# Likely duplicates (security.md R34, case 33). Two records are likely the same
# person when their dates of birth agree (or have day and month swapped) and
# their names agree once spelling, accents, case, hyphens and look-alike letters
# from other scripts are set aside, allowing a slip of a letter or two, forename
# and surname swapped, or one part of a double-barrelled name. Nothing is merged:
# the person adding a record is shown the likely matches and decides.

# Cyrillic and Greek capitals and small letters that look like Latin ones.
_LOOK_ALIKES = str.maketrans(
    "АВЕКМНОРСТУХаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοινρυ",  # noqa: RUF001 (on purpose)
    "ABEKMHOPCTYXaeopcyxijsdqwABEZHIKMNOPTYXoivpu",
)


def name_key(name: str) -> str:
    """A name reduced to what tells people apart: Latin letters, lower case."""
    text = unicodedata.normalize("NFKD", name.translate(_LOOK_ALIKES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", text.casefold())


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours (optimal
    string alignment)."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, a_char in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, b_char in enumerate(b, start=1):
            cost = a_char != b_char
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if (
                previous2 is not None
                and i > 1
                and j > 1
                and a_char == b[j - 2]
                and a[i - 2] == b_char
            ):
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def names_alike(a: str, b: str) -> bool:
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    shorter, longer = sorted((key_a, key_b), key=len)
    if len(shorter) >= 3 and longer.startswith(shorter):  # Sam, Samantha
        return True
    return edit_distance(key_a, key_b) <= (1 if len(longer) <= 6 else 2)


def _name_parts(name: str) -> list[str]:
    return [part for part in re.split(r"[\s\-]+", name) if name_key(part)]


def dates_alike(a: date, b: date) -> bool:
    return a == b or (a.year == b.year and a.day == b.month and a.month == b.day)


def swapped_day_and_month(born: date) -> date | None:
    try:
        return born.replace(day=born.month, month=born.day)
    except ValueError:
        return None


def likely_same_person(
    given: str, family: str, born: date | None, other_given, other_family, other_born
) -> bool:
    if born is None or other_born is None or not dates_alike(born, other_born):
        return False
    if names_alike(given, other_given) and names_alike(family, other_family):
        return True
    if names_alike(given, other_family) and names_alike(family, other_given):
        return True
    # One part of a double-barrelled or changed name in common.
    return names_alike(given, other_given) and any(
        names_alike(part, other_part)
        for part in _name_parts(family)
        for other_part in _name_parts(other_family)
    )
