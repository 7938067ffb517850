"""Exports neutralise formula triggers (security.md R26, case 23)."""

import csv
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from onestory.core.exports import csv_text, safe_cell, xlsx_bytes

PREFIXES = st.text(alphabet="\ufeff\x00\x01\x09\x0a\x0d\x1f\x7f \u00a0", max_size=4)


@pytest.mark.security_case(23)
@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x","c")',
        "+1+1",
        "-2",
        "@SUM(A1)",
        "\t=1",
        "\x00=1",
        "\ufeff=1",
        "  =1",
        "\r=1",
        "|cmd",
        "%0A",
    ],
)
def test_the_known_formula_triggers_are_neutralised(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.security_case(23)
@given(prefix=PREFIXES, trigger=st.sampled_from("=+-@|%"), rest=st.text(max_size=20))
def test_any_formula_after_blanks_or_control_characters_is_neutralised(
    prefix, trigger, rest
):
    value = prefix + trigger + rest
    assert safe_cell(value).startswith("'")


@given(st.text(max_size=30))
def test_any_text_is_neutralised_exactly_when_it_could_start_a_formula(value):
    leading = re.match(r"[\ufeff\x00-\x1f\x7f\s]*", value).end()
    if value[leading : leading + 1] in tuple("=+-@|%"):
        assert safe_cell(value) == "'" + value
    else:
        assert safe_cell(value) == value


@pytest.mark.parametrize("value", ["Jess O'Brien", "PL1 4AB", "3 visits", "", "é"])
def test_ordinary_values_are_unchanged(value):
    assert safe_cell(value) == value


def test_numbers_and_none_pass_through():
    assert safe_cell(3) == 3
    assert safe_cell(None) == ""


def test_the_csv_round_trips_with_rfc_4180_quoting():
    rows = [["a,b", 'say "hi"', "line\nbreak", "=1+1"]]
    text = csv_text(["one", "two", "three", "four"], rows)
    assert text.endswith("\r\n")
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed == [
        ["one", "two", "three", "four"],
        ["a,b", 'say "hi"', "line\nbreak", "'=1+1"],
    ]


def _read_xlsx(content: bytes):
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return workbook.active


@pytest.mark.security_case(23)
def test_the_known_formula_triggers_are_text_cells_in_xlsx():
    values = [
        '=HYPERLINK("http://x","c")',
        "+1+1",
        "-2",
        "@SUM(A1)",
        "\t=1",
        "\ufeff=1",
        "  =1",
    ]
    sheet = _read_xlsx(xlsx_bytes("Export", ["Value"], [[v] for v in values]))
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(values)
    assert [c.value for c in cells] == values


@settings(deadline=None)  # a workbook is opened each time: slow on a busy machine
@given(st.text(max_size=40))
def test_any_text_reads_back_from_xlsx_as_the_same_text(value):
    sheet = _read_xlsx(xlsx_bytes("Export", ["Value"], [[value, 7, 2.5]]))
    row = next(sheet.iter_rows(min_row=2))
    expected = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", value)
    if expected:
        assert row[0].data_type == "s"
        # XML keeps line ends as line feeds.
        assert row[0].value == expected.replace("\r\n", "\n").replace("\r", "\n")
    else:
        assert row[0].value is None
    assert (row[1].value, row[2].value) == (7, 2.5)


def test_the_xlsx_has_the_header_and_a_sheet_name():
    sheet = _read_xlsx(xlsx_bytes("My caseload", ["A", "B"], [["x", "y"]]))
    assert sheet.title == "My caseload"
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == ["A", "B"]


def test_odd_numbers_and_sheet_names_still_make_a_workbook():
    sheet = _read_xlsx(
        xlsx_bytes('Q3 "report": a/b [draft]', ["A"], [[float("nan")], [float("inf")]])
    )
    assert sheet.title == 'Q3 "report"  a b  draft'
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["nan", "inf"]
