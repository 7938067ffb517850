"""Form rendering through the GOV.UK Design System, and its date input.

`{{ form.field.as_field_group }}` renders a whole GOV.UK form group (label or
legend, hint, error message, widget) from `components/forms/field.html`.
"""

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.forms.utils import pretty_name
from django.http import QueryDict
from django.template import TemplateDoesNotExist
from django.utils import timezone
from django.utils.functional import cached_property

from onestory.core import kept_posts, logs
from onestory.core.refusals import Refusal
from onestory.text import strip_hidden

WIDGETS = "components/forms/widgets/"

# Django's widgets name their own templates; these are drawn with GOV.UK markup
# instead. Anything not listed (hidden inputs, error lists) keeps Django's.
INPUT_TYPES = ("text", "email", "number", "password", "url", "tel", "search", "date")
GOVUK_WIDGET_TEMPLATES = {
    **{
        f"django/forms/widgets/{kind}.html": WIDGETS + "input.html"
        for kind in INPUT_TYPES
    },
    "django/forms/widgets/textarea.html": WIDGETS + "textarea.html",
    "django/forms/widgets/select.html": WIDGETS + "select.html",
    "django/forms/widgets/radio.html": WIDGETS + "radios.html",
    "django/forms/widgets/checkbox.html": WIDGETS + "checkbox.html",
    "django/forms/widgets/checkbox_select.html": WIDGETS + "checkboxes.html",
}


class GovukFormRenderer(TemplatesSetting):
    """Render forms with our templates, falling back to Django's own.

    TemplatesSetting finds only the project's templates ("django.forms" is not
    an installed app), so Django's default widget templates come from a
    DjangoTemplates renderer when ours has no template of that name.
    """

    form_template_name = "components/forms/form.html"
    field_template_name = "components/forms/field.html"

    def get_template(self, template_name):
        template_name = GOVUK_WIDGET_TEMPLATES.get(template_name, template_name)
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._django_forms.get_template(template_name)

    @cached_property
    def _django_forms(self):
        return DjangoTemplates()


class GovukForm(forms.Form):
    """Base for every onestory form: rendered with the design system's markup.

    Set per form rather than as FORM_RENDERER so that Django's admin keeps its own
    widget templates.

    A form reads only its own fields, so extra posted fields change nothing. When
    a post names a field of one of our models that this form does not have (say
    `team_id` or `is_staff` beside a story edit), that is someone trying: it is
    logged as a security event (case 7), by name only.
    """

    default_renderer = GovukFormRenderer

    # Branching: the questions an answer reveals (GOV.UK conditional reveals),
    # {choosing field: {its value: (names of the fields it reveals)}}; a single
    # checkbox's value is True. Without JavaScript every branch shows under its
    # option; whichever way, only the chosen branch is read: the others' fields
    # are cleared and their errors dropped, so nothing typed under an answer
    # not chosen is saved or refused.
    reveals: dict[str, dict] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            counted_characters(field)
        for name in self.reveals:
            if isinstance(self.fields[name].widget, forms.CheckboxInput):
                reveal = f"{self[name].auto_id}-reveal"
                self.fields[name].widget.attrs["data-aria-controls"] = reveal
        if self.is_bound:
            _log_unexpected_model_fields(self)
            self.data = _without_hidden_characters(self)
        elif (typed := kept_posts.current.get()) is not None:
            _start_from(self, typed)

    def clean(self):
        cleaned = super().clean()
        for name, branches in self.reveals.items():
            chosen = cleaned.get(name)
            for value, revealed in branches.items():
                if value != chosen:
                    for other in revealed:
                        cleaned[other] = self.fields[other].to_python(None)
                        self._errors.pop(other, None)
        return cleaned

    def revealed_by(self, name: str, value=True) -> list:
        """The bound fields that answering `name` with `value` reveals."""
        return [self[other] for other in self.reveals.get(name, {}).get(value, ())]

    def is_revealed(self, name: str) -> bool:
        """Whether the field is shown under another's answer, not on its own."""
        return any(
            name in revealed
            for branches in self.reveals.values()
            for revealed in branches.values()
        )


# The attribute a counted textarea is marked with for its template (the govuk
# filter turns it into GOV.UK's character count; it is never rendered).
COUNTED = "data-onestory-counted"


def counted_characters(field) -> None:
    """A long text field gets GOV.UK's character count, not the browser's
    `maxlength`, which cuts pasted text off without a word: text that is too
    long is refused with an error, and what was typed is kept."""
    if not isinstance(field.widget, forms.Textarea) or not getattr(
        field, "max_length", None
    ):
        return
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs[COUNTED] = True
    name = str(field.label or "This").removesuffix(" (optional)")
    if name.endswith("?"):  # a question: "What would you like advice on?"
        name = "Your answer"
    field.error_messages.setdefault(
        "max_length", f"{name} must be {field.max_length:,} characters or fewer"
    )


def _start_from(form, typed):
    """Back from signing in after a timeout: start from what was typed
    (core.kept_posts), field by field, as the widgets read a post."""
    data = QueryDict(mutable=True)
    for key, values in typed.items():
        data.setlist(key, [strip_hidden(value) for value in values])
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.PasswordInput):
            continue
        prefixed = form.add_prefix(name)
        if any(key == prefixed or key.startswith(f"{prefixed}_") for key in data):
            value = field.widget.value_from_datadict(data, {}, prefixed)
            form.initial[name] = value


def _without_hidden_characters(form):
    """The posted values with control and invisible characters stripped
    (onestory.text), except passwords, which are taken exactly as typed."""
    passwords = {
        form.add_prefix(name)
        for name, field in form.fields.items()
        if isinstance(field.widget, forms.PasswordInput)
    }
    data = form.data.copy()
    keys = list(data.keys())
    for key in keys:
        if key in passwords:
            continue
        if hasattr(data, "setlist"):
            data.setlist(key, [_stripped(value) for value in data.getlist(key)])
        else:
            data[key] = _stripped(data[key])
    return data


def _stripped(value):
    if isinstance(value, str):
        return strip_hidden(value)
    if isinstance(value, (list, tuple)):
        return [_stripped(item) for item in value]
    return value


def _log_unexpected_model_fields(form) -> None:
    own = {form.add_prefix(name) for name in form.fields}
    unexpected = sorted(
        name
        for name in form.data
        if name in _model_field_names()
        and name not in own
        and not any(name.startswith(f"{field}_") for field in own)
    )
    if unexpected:
        logs.security_event(
            "mass_assignment_attempt",
            form=type(form).__name__,
            fields=unexpected[:20],
        )


# Names that only an attacker posts, whether or not a model of ours has them.
PRIVILEGE_NAMES = {
    "is_staff",
    "is_superuser",
    "is_admin",
    "groups",
    "user_permissions",
    "roles",
    "tenant",
    "tenant_id",
    "owner",
    "owner_id",
    "consent_override",
}


@functools.cache
def _model_field_names() -> frozenset[str]:
    """Every field name (and column name) of the installed models, and names
    that ask for privileges."""
    from django.apps import apps

    names = set(PRIVILEGE_NAMES)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            names.add(field.name)
            if attname := getattr(field, "attname", None):
                names.add(attname)
    return frozenset(names)


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


class AuditSearchForm(GovukForm):
    """Find audit events for an investigation: by person, family, or dates."""

    email = forms.EmailField(
        label="Email address of a member of staff (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    family = forms.UUIDField(
        label="Family reference (optional)",
        required=False,
        help_text="From the address of their record, or an emergency access review",
        error_messages={
            "invalid": "Enter a family reference like 3f2c…, 36 characters"
        },
    )
    since = GovukDateField(label="From (optional)", kind="search", required=False)
    until = GovukDateField(label="To (optional)", kind="search", required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The 'to' date must be on or after the 'from' date")
        return cleaned


def show_refusal(form, refusal: Refusal) -> None:
    """A service's refusal as the form's error, in the refusal's own words, on
    its field (or above the form), keeping what was typed."""
    form.add_error(refusal.field, refusal.message)


@dataclass(frozen=True)
class Done:
    """What a form's action returned, for a post it acted on."""

    result: object = None


def act_on(request, form, act: Callable[[dict], object]) -> Done | None:
    """The one way a view acts on a posted form.

    For a valid post, `act(form.cleaned_data)` runs (a service call) and its
    result comes back in `Done`; a `Refusal` it raises becomes the form's error
    (`show_refusal`) and the answer is None, as it is for a GET or an invalid
    post, so the view renders the form again with what was typed:

        if done := act_on(request, form, lambda data: services.x(**data, by=u)):
            return redirect(..., done.result.pk)
        return render(...)
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return Done(act(form.cleaned_data))
    except Refusal as refusal:
        show_refusal(form, refusal)
        return None
