"""Spreadsheet-safe exports: CSV (RFC 4180) and XLSX whose cells cannot run as
formulas.

A cell that a spreadsheet would read as a formula (starting with = + - @ | or %,
even after spaces, a byte-order mark or control characters) is written with a
leading apostrophe, which spreadsheets show as text (security.md R26, case 23).
"""

import csv
import io
import math
import re
import zipfile
from xml.sax.saxutils import escape

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


# XLSX: a minimal Office Open XML workbook with one sheet. Text is written as
# inline string cells, which a spreadsheet never evaluates, so nothing can run as
# a formula and nothing needs an apostrophe; numbers stay numbers. Characters
# XML cannot carry are left out.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PACKAGE = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
        '.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xlsx_cell(reference: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)  # NaN and infinity have no place in a number cell
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = escape(_NOT_IN_XML.sub("", str(value)))
        if not text:
            return ""
        return (
            f'<c r="{reference}" t="inlineStr"><is>'
            f'<t xml:space="preserve">{text}</t></is></c>'
        )
    return f'<c r="{reference}"><v>{value}</v></c>'


def _sheet_name(name: str) -> str:
    """Spreadsheets refuse []:*?/\\ in a sheet's name, and more than 31 letters."""
    plain = re.sub(r"[\[\]:*?/\\]", " ", _NOT_IN_XML.sub("", name)).strip()[:31]
    return escape(plain or "Sheet 1", {'"': "&quot;"})


def xlsx_bytes(sheet_name: str, header: list[str], rows) -> bytes:
    lines = []
    for number, row in enumerate([header, *rows], start=1):
        cells = "".join(
            _xlsx_cell(f"{_column(i)}{number}", value) for i, value in enumerate(row)
        )
        lines.append(f'<row r="{number}">{cells}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(lines)}</sheetData></worksheet>"
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{_sheet_name(sheet_name)}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in _PACKAGE.items():
            package.writestr(name, text)
        package.writestr("xl/workbook.xml", workbook)
        package.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def xlsx_response(filename: str, sheet_name: str, header: list[str], rows):
    response = HttpResponse(xlsx_bytes(sheet_name, header, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
