"""Spreadsheet-safe exports: CSV (RFC 4180) whose cells cannot run as formulas.

A cell that a spreadsheet would read as a formula (starting with = + - @ | or %,
even after spaces, a byte-order mark or control characters) is written with a
leading apostrophe, which spreadsheets show as text (security.md R26, case 23).
"""

import csv
import io
import re

from django.http import HttpResponse

FORMULA = re.compile(r"^[\ufeff\x00-\x1f\x7f\s]*[=+\-@|%]")


def safe_cell(value):
    """The value as it should be written: text that looks like a formula gets a
    leading apostrophe; everything else is unchanged."""
    if value is None:
        return ""
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    return value


def csv_text(header: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(
        csv_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
