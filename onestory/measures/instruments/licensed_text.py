"""Licensed item text: the JSON file format and its validation.

Most instruments may not be shipped with their wording (spec section 13). A
service that holds a licence loads the wording as a JSON file (format in
docs/measures.md); this module checks that the file matches the instrument
exactly before the Django side stores it. It never contains licensed text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import Instrument, Item

FORMAT = "onestory-licensed-text"
FORMAT_VERSION = 1
MAX_TEXT = 1000
MAX_STEM = 2000
MAX_LICENCE = 500

_TOP_LEVEL_REQUIRED = (
    "format",
    "format_version",
    "instrument",
    "instrument_version",
    "language",
    "licence",
    "items",
)
_TOP_LEVEL_OPTIONAL = ("stem",)
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class InvalidLicensedText(ValueError):
    """A licensed-text file that does not match its instrument.

    `problems` lists every problem found, so an administrator can fix the
    file in one go; the message joins them.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Licensed text refused: " + "; ".join(problems))


@dataclass(frozen=True)
class LicensedItemText:
    key: str
    text: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class LicensedText:
    """Validated licensed wording for one instrument version."""

    instrument_code: str
    instrument_version: int
    language: str
    licence: str
    stem: str | None
    items: Mapping[str, LicensedItemText]

    def to_dict(self) -> dict[str, Any]:
        """The file format again, for storage (validate() accepts it back)."""
        payload: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "instrument": self.instrument_code,
            "instrument_version": self.instrument_version,
            "language": self.language,
            "licence": self.licence,
            "items": {key: _item_dict(item) for key, item in self.items.items()},
        }
        if self.stem is not None:
            payload["stem"] = self.stem
        return payload


def _item_dict(item: LicensedItemText) -> dict[str, Any]:
    if item.options:
        return {"text": item.text, "options": list(item.options)}
    return {"text": item.text}


def parse_json(instrument: Instrument, raw: str | bytes) -> LicensedText:
    """Validate a licensed-text file's contents (a JSON document)."""
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidLicensedText([f"the file is not valid JSON ({error})"]) from None
    return validate(instrument, payload)


def validate(instrument: Instrument, payload: object) -> LicensedText:
    """Check a payload against an instrument; InvalidLicensedText if it differs."""
    if not isinstance(payload, dict):
        raise InvalidLicensedText(["the file must hold one JSON object"])
    problems = _header_problems(instrument, payload)
    items = payload.get("items")
    if isinstance(items, dict):
        problems += _items_problems(instrument, items)
    else:
        problems.append('"items" must be an object keyed by item key')
    if problems:
        raise InvalidLicensedText(problems)
    return _build(instrument, payload)


def _header_problems(instrument: Instrument, payload: dict) -> list[str]:
    problems = [
        f'"{key}" is missing' for key in _TOP_LEVEL_REQUIRED if key not in payload
    ]
    allowed = set(_TOP_LEVEL_REQUIRED) | set(_TOP_LEVEL_OPTIONAL)
    problems += [f'unexpected field "{key}"' for key in payload if key not in allowed]
    if not instrument.accepts_licensed_text:
        problems.append(f"{instrument.short_name} has no licensed wording to load")
    expected = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "instrument": instrument.code,
        "instrument_version": instrument.version,
    }
    for key, value in expected.items():
        if key in payload and not _same(payload[key], value):
            problems.append(f'"{key}" must be {value!r}, not {payload[key]!r}')
    problems += _language_problems(payload.get("language"))
    problems += _text_problems('"licence"', payload.get("licence"), MAX_LICENCE)
    if "stem" in payload:
        problems += _text_problems('"stem"', payload["stem"], MAX_STEM)
    return problems


def _same(value: object, expected: object) -> bool:
    # True == 1 in Python; a boolean is never a valid version number.
    return type(value) is type(expected) and value == expected


def _language_problems(language: object) -> list[str]:
    if isinstance(language, str) and _LANGUAGE.match(language):
        return []
    return ['"language" must be a language tag such as "en-GB"']


def _text_problems(name: str, value: object, limit: int) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{name} must be non-empty text"]
    if len(value) > limit:
        return [f"{name} is longer than {limit} characters"]
    if any(ord(char) < 32 and char not in "\n\t" for char in value):
        return [f"{name} contains control characters"]
    return []


def _items_problems(instrument: Instrument, items: dict) -> list[str]:
    expected = {item.key: item for item in instrument.items}
    problems = [
        f"text for item {key!r} is missing" for key in expected if key not in items
    ]
    problems += [
        f"there is no item {key!r} in {instrument.short_name}"
        for key in items
        if key not in expected
    ]
    for key, entry in items.items():
        if key in expected:
            problems += _item_problems(expected[key], entry)
    return problems


def _item_problems(item: Item, entry: object) -> list[str]:
    where = f"item {item.key!r}"
    if not isinstance(entry, dict):
        return [f'{where} must be an object with "text"']
    problems = [
        f'{where}: unexpected field "{k}"'
        for k in entry
        if k not in ("text", "options")
    ]
    problems += _text_problems(f"{where} text", entry.get("text"), MAX_TEXT)
    if item.kind == "number":
        if "options" in entry:
            problems.append(f"{where} is a number reading and has no options")
        return problems
    return problems + _options_problems(item, where, entry.get("options"))


def _options_problems(item: Item, where: str, options: object) -> list[str]:
    count = len(item.options)
    if not isinstance(options, list) or len(options) != count:
        return [
            f"{where} needs a list of exactly {count} option labels, in printed order"
        ]
    problems: list[str] = []
    for position, label in enumerate(options):
        problems += _text_problems(f"{where} option {position}", label, MAX_TEXT)
    if not problems and len(set(options)) != count:
        problems.append(f"{where} has the same option label twice")
    return problems


def _build(instrument: Instrument, payload: dict) -> LicensedText:
    items = {
        key: LicensedItemText(
            key=key,
            text=entry["text"],
            options=tuple(entry.get("options", ())),
        )
        for key, entry in payload["items"].items()
    }
    ordered = {item.key: items[item.key] for item in instrument.items}
    return LicensedText(
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        language=payload["language"],
        licence=payload["licence"],
        stem=payload.get("stem"),
        items=ordered,
    )
