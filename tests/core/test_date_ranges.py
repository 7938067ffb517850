"""Every date field has a range for what it is (core.forms.DATE_RANGES), with a
clear GOV.UK error; every date field of every form declares its kind."""

import ast
import datetime
from pathlib import Path

import pytest
import time_machine

from onestory.core.forms import DATE_RANGES, GovukDateField, GovukForm

ROOT = Path(__file__).resolve().parents[2]
TODAY = datetime.date(2026, 12, 2)


def _clean(kind, day, month, year, label="Date of birth"):
    class Form(GovukForm):
        when = GovukDateField(label=label, kind=kind)

    form = Form({"when_0": str(day), "when_1": str(month), "when_2": str(year)})
    valid = form.is_valid()
    return form.cleaned_data.get("when") if valid else form.errors["when"][0]


@time_machine.travel(datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC))
@pytest.mark.parametrize(
    ("kind", "date", "answer"),
    [
        ("birth", (1, 1, 1900), datetime.date(1900, 1, 1)),
        ("birth", (31, 12, 1899), "Date of birth must be in or after 1900"),
        ("birth", (2, 12, 2026), TODAY),
        ("birth", (3, 12, 2026), "Date of birth must be today or in the past"),
        ("birth", (31, 12, 9999), "Date of birth must be today or in the past"),
        ("birth", (1, 1, "0001"), "Date of birth must be in or after 1900"),
        ("past", (31, 12, 1999), "Date of birth must be in or after 2000"),
        ("past", (3, 12, 2026), "Date of birth must be today or in the past"),
        ("due", (30, 9, 2027), datetime.date(2027, 9, 30)),
        ("due", (4, 10, 2027), "Date of birth must be within the next 10 months"),
        ("due", (1, 12, 2025), "Date of birth must be within the last year"),
        ("plan", (2, 12, 2031), datetime.date(2031, 12, 2)),
        ("plan", (3, 12, 2031), "Date of birth must be within the next 5 years"),
        ("plan", (1, 12, 2021), "Date of birth must be within the last 5 years"),
        ("search", (1, 1, 2028), "Date of birth must be before the end of next year"),
        ("plan", (31, 2, 2027), "Date of birth must be a real date"),
    ],
)
def test_each_kind_of_date_has_its_range_and_a_clear_error(kind, date, answer):
    assert _clean(kind, *date) == answer


@time_machine.travel(datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC))
def test_a_range_counted_in_years_from_29_february_holds():
    assert _clean("plan", 28, 2, 2033) == datetime.date(2033, 2, 28)
    assert "within the next 5 years" in _clean("plan", 1, 3, 2033)


def test_every_date_field_of_every_form_declares_its_kind():
    """A field without a kind would have no range: the field refuses it, and
    every form module names a kind DATE_RANGES knows."""
    with pytest.raises(TypeError):
        GovukDateField(label="Date")
    kinds = []
    apps = ROOT / "onestory"
    for path in sorted([*apps.glob("*/forms.py"), *apps.glob("*/forms/*.py")]):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == (
                "GovukDateField"
            ):
                kind = next(k.value.value for k in node.keywords if k.arg == "kind")
                kinds.append((path.relative_to(apps).parts[0], kind))
    assert len(kinds) >= 20
    assert {kind for _, kind in kinds} <= set(DATE_RANGES)
