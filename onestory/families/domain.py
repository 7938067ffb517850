"""Pure rules about families and people: no Django, no database."""

import re
import unicodedata
from datetime import date


class InvalidEntry(ValueError):
    """An entry that cannot be right; the message says why, for the user."""


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


# Bidirectional overrides and zero-width characters hide what a name really says.
_HIDDEN_CHARACTERS = dict.fromkeys(
    [
        8203,
        8204,
        8205,
        8206,
        8207,
        8288,
        65279,
        *list(range(8234, 8239)),
        *list(range(8294, 8298)),
    ]
)


def clean_text(raw: str) -> str:
    """NFC-normalise, drop hidden formatting characters, collapse outer space."""
    text = unicodedata.normalize("NFC", raw).translate(_HIDDEN_CHARACTERS)
    if "\x00" in text:
        raise InvalidEntry("Remove the null character from the text")
    return text.strip()


def age_in_years(born: date, on: date) -> int:
    """Completed years of age on a date (29 February birthdays turn on 1 March)."""
    years = on.year - born.year
    return years - ((on.month, on.day) < (born.month, born.day))
