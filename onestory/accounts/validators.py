"""What an administrator may type for what families see (LocalAuthority): the
Django admin and the administration page check the same rules."""

import re

from django.core.exceptions import ValidationError

# Digits with the spaces, brackets, hyphens and leading + people write them with.
_PHONE = re.compile(r"\+?[\d ()-]+")
# UK numbers have 10 or 11 digits, 12 with +44; other countries' up to 15.
PHONE_DIGITS = range(10, 16)
# In an email's From header a line break starts a new header, and quotes or
# angle brackets change which address the name belongs to.
_NOT_IN_A_NAME = re.compile(r"[\r\n<>\"]")


def validate_phone_number(value: str) -> None:
    digits = sum(character.isdigit() for character in value)
    if not _PHONE.fullmatch(value) or digits not in PHONE_DIGITS:
        raise ValidationError(
            "Enter a phone number, like 01632 960 001 or +44 1632 960 001",
            code="invalid_phone",
        )


def validate_one_line_name(value: str) -> None:
    if _NOT_IN_A_NAME.search(value):
        raise ValidationError(
            "Enter a name without line breaks, quotation marks or angle brackets",
            code="invalid_name",
        )
