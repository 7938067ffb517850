"""The GOV.UK date input: a memorable date typed as day, month and year
(`GovukDateField`), and the range each kind of date may take (`DATE_RANGES`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.forms.utils import pretty_name
from django.utils import timezone

from onestory.core.rendering import WIDGETS

DATE_PARTS = ("day", "month", "year")
YEAR_DIGITS = 4  # GOV.UK asks for the year in full


class GovukDateWidget(forms.MultiWidget):
    """Three text inputs, day, month and year, named <name>_0, _1 and _2."""

    template_name = WIDGETS + "date_input.html"

    def __init__(self, attrs=None):
        widths = (2, 2, 4)
        widgets = [
            forms.TextInput(
                attrs={
                    "class": f"govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )
            for width in widths
        ]
        super().__init__(widgets, attrs)
        # Set by GovukDateField while cleaning: the parts to highlight, when the
        # problem is with some parts rather than the whole date.
        self.error_parts = ()

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for index, subwidget in enumerate(context["widget"]["subwidgets"]):
            subwidget["label"] = DATE_PARTS[index].capitalize()
            if self.error_parts and index not in self.error_parts:
                # Only the parts at fault get the error style (GOV.UK guidance).
                subwidget["attrs"].pop("aria-invalid", None)
        return context


@dataclass(frozen=True)
class DateRange:
    """What a kind of date may be, counted from today: `earliest` and `latest`
    are functions of today's date, and the messages follow the label."""

    earliest: Callable[[datetime.date], datetime.date]
    latest: Callable[[datetime.date], datetime.date]
    too_early: str
    too_late: str


def _years(today, years):
    """The same day `years` years on (28 February for 29 February)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def _on(year):
    return lambda today: datetime.date(year, 1, 1)


def _today(today):
    return today


# Every date the service takes is one of these kinds: the one place its range
# is defined. A date outside its range gets a GOV.UK error naming the range.
DATE_RANGES = {
    # A date of birth: not in the future, not before 1900.
    "birth": DateRange(
        _on(1900), _today, "must be in or after 1900", "must be today or in the past"
    ),
    # Something that has happened (a contact, a consent, a questionnaire, a
    # referral, training, supervision): not in the future, not before 2000.
    "past": DateRange(
        _on(2000), _today, "must be in or after 2000", "must be today or in the past"
    ),
    # An unborn baby's expected date of delivery: up to 10 months ahead (a due
    # date just passed, before the birth is recorded, is kept for a year).
    "due": DateRange(
        lambda today: _years(today, -1),
        lambda today: today + datetime.timedelta(days=305),
        "must be within the last year",
        "must be within the next 10 months",
    ),
    # A plan, review, meeting, course or planned training date: within 5 years.
    "plan": DateRange(
        lambda today: _years(today, -5),
        lambda today: _years(today, 5),
        "must be within the last 5 years",
        "must be within the next 5 years",
    ),
    # A date to search by: any day the service could hold, to the end of the
    # next year.
    "search": DateRange(
        _on(1900),
        lambda today: datetime.date(today.year + 1, 12, 31),
        "must be in or after 1900",
        "must be before the end of next year",
    ),
}


class GovukDateField(forms.Field):
    """A memorable date typed as day, month and year; cleans to a `date`.

    Error messages follow the GOV.UK date input pattern and use the label:
    "Enter date of birth", "Date of birth must include a month",
    "Date of birth must be a real date", "Year must include 4 numbers",
    and, outside the range of its `kind` (DATE_RANGES), "Date of birth must be
    today or in the past".
    """

    widget = GovukDateWidget

    def __init__(self, *, kind, **kwargs):
        self.date_range = DATE_RANGES[kind]
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value is not None:
            self._check_range(value)
        return value

    def _check_range(self, value):
        today = timezone.localdate()
        bounds = self.date_range
        if value < bounds.earliest(today):
            self._fail(bounds.too_early)
        if value > bounds.latest(today):
            self._fail(bounds.too_late)

    def to_python(self, value):
        self.widget.error_parts = ()
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        if not any(parts):
            return None
        if missing := [index for index, part in enumerate(parts) if not part]:
            named = " and ".join(DATE_PARTS[index] for index in missing)
            self._fail(f"must include a {named}", missing)
        return self._to_date(*parts)

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {self._label.lower()}", code="required")

    def _to_date(self, day, month, year):
        parts = (day, month, year)
        if not_numbers := [i for i, part in enumerate(parts) if not _is_number(part)]:
            self._fail("must be a real date", not_numbers)
        if len(year) != YEAR_DIGITS:
            self.widget.error_parts = (2,)
            raise forms.ValidationError("Year must include 4 numbers", code="year")
        if not 1 <= int(day) <= 31:
            self._fail("must be a real date", (0,))
        if not 1 <= int(month) <= 12:
            self._fail("must be a real date", (1,))
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:  # a day the month does not have, such as 31 February
            self._fail("must be a real date")

    def _fail(self, problem, parts=()):
        self.widget.error_parts = tuple(parts)
        raise forms.ValidationError(f"{self._label} {problem}", code="invalid")

    def get_bound_field(self, form, field_name):
        # The messages name the field; give it Django's default label early,
        # since cleaning happens before any template asks for the label.
        if self.label is None:
            self.label = pretty_name(field_name)
        return super().get_bound_field(form, field_name)

    @property
    def _label(self):
        return str(self.label or "Date")


def _is_number(text):
    return text.isascii() and text.isdigit()
