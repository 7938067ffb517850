"""The postcode directory: where each postcode is, read from OS Code-Point Open
(a CSV file) and loaded all or nothing, naming every bad row.

onestory ships Plymouth's districts, PL1 to PL9 (data/README.md says how they
were cut); a deployment elsewhere loads its own area's file with
`python -m onestory load_postcodes --file PATH`. Wherever the directory is
used, `ATTRIBUTION` must be shown: the Open Government Licence asks for it."""

import csv
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from django.db import transaction

from onestory.families.domain import InvalidEntry, normalise_postcode
from onestory.incidents.models import PostcodePoint

ATTRIBUTION = [
    "Contains OS data © Crown copyright and database right 2025",
    "Contains Royal Mail data © Royal Mail copyright and database right 2025",
    "Source: Office for National Statistics licensed under the Open Government "
    "Licence v.3.0",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
]

PLYMOUTH = Path(__file__).parent / "data" / "code_point_open_plymouth.csv"

COLUMNS = ("postcode", "quality", "easting", "northing")
# Code-Point Open's quality for a postcode it has no coordinates for.
NO_COORDINATES = 90
# Great Britain on the National Grid, in metres.
MAX_EASTING = 700_000
MAX_NORTHING = 1_300_000


class BadPostcodeFile(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} bad rows")
        self.problems = problems


def read_postcodes(lines: Iterable[str]) -> list[PostcodePoint]:
    """The postcodes of a Code-Point Open CSV file (its lines, as an open file
    gives them), unsaved; or BadPostcodeFile naming every bad row, with its
    line and why.

    The columns are postcode, quality, easting and northing, in that order:
    either under a header row of those names, or without a header, as
    Code-Point Open ships them (its further columns, the country and the
    health and admin areas, are ignored). Eastings and northings are whole
    metres in Great Britain (0 to 700000 and 0 to 1300000). A postcode of
    quality 90 has no coordinates: it is skipped, not refused. Blank lines
    are skipped; a postcode twice is refused; a file with no postcode to load
    is refused, as loading it would empty the directory."""
    points, problems = [], []
    seen: dict[str, int] = {}
    for line, row in enumerate(csv.reader(lines), start=1):
        if not any(cell.strip() for cell in row):
            continue
        if line == 1 and [cell.strip().lower() for cell in row[:4]] == [*COLUMNS]:
            continue
        try:
            postcode, quality, easting, northing = _read_row(row)
        except ValueError as error:
            problems.append(f"Line {line}: {error}.")
            continue
        if postcode in seen:
            problems.append(
                f"Line {line}: {postcode} is already on line {seen[postcode]}."
            )
            continue
        seen[postcode] = line
        if quality != NO_COORDINATES:
            points.append(
                PostcodePoint(
                    postcode=postcode,
                    quality=quality,
                    easting=easting,
                    northing=northing,
                )
            )
    if not problems and not points:
        problems.append("The file has no postcodes with coordinates.")
    if problems:
        raise BadPostcodeFile(problems)
    return points


def _read_row(row: list[str]) -> tuple[str, int, int, int]:
    if len(row) < len(COLUMNS):
        raise ValueError(
            f"it has {len(row)} columns, not postcode, quality, easting and northing"
        )
    given, quality, easting, northing = (cell.strip() for cell in row[:4])
    try:
        postcode = normalise_postcode(given)
    except InvalidEntry:
        raise ValueError(f"postcode {given!r} is not a postcode") from None
    if not _whole(quality) or not 10 <= int(quality) <= NO_COORDINATES:
        raise ValueError(f"quality {quality!r} is not a whole number from 10 to 90")
    if int(quality) == NO_COORDINATES:
        return postcode, NO_COORDINATES, 0, 0
    return (
        postcode,
        int(quality),
        _metres("easting", easting, MAX_EASTING),
        _metres("northing", northing, MAX_NORTHING),
    )


def _metres(column: str, text: str, most: int) -> int:
    if not _whole(text) or int(text) > most:
        raise ValueError(f"{column} {text!r} is not a whole number from 0 to {most}")
    return int(text)


def _whole(text: str) -> bool:
    return text.isascii() and text.isdigit()


@transaction.atomic
def load_postcodes(points: Iterable[PostcodePoint]) -> int:
    """Replace the whole directory with these postcodes, in one transaction:
    the old one stays whole until the new one is in."""
    points = list(points)
    PostcodePoint.objects.all().delete()
    PostcodePoint.objects.bulk_create(points, batch_size=1000)
    return len(points)


def read_plymouth() -> list[PostcodePoint]:
    """The postcodes of the shipped file, Plymouth's districts."""
    with PLYMOUTH.open(newline="", encoding="utf-8") as handle:
        return read_postcodes(handle)


@cache
def plymouth_by_district() -> dict[str, tuple[str, ...]]:
    """The shipped file's postcodes by district ('PL2': ('PL2 1AA', ...)),
    each district's in order; read once."""
    by_district: dict[str, list[str]] = {}
    for point in read_plymouth():
        by_district.setdefault(point.postcode.split(" ")[0], []).append(point.postcode)
    return {district: tuple(sorted(codes)) for district, codes in by_district.items()}
