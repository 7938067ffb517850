"""Form rendering through the GOV.UK Design System, and its date input.

`{{ form.field.as_field_group }}` renders a whole GOV.UK form group (label or
legend, hint, error message, widget) from `components/forms/field.html`.
"""

import datetime
import functools

from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.forms.utils import pretty_name
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property

from onestory.core import logs

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            _log_unexpected_model_fields(self)


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


class GovukDateField(forms.Field):
    """A memorable date typed as day, month and year; cleans to a `date`.

    Error messages follow the GOV.UK date input pattern and use the label:
    "Enter date of birth", "Date of birth must include a month",
    "Date of birth must be a real date", "Year must include 4 numbers".
    """

    widget = GovukDateWidget

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
    since = GovukDateField(label="From (optional)", required=False)
    until = GovukDateField(label="To (optional)", required=False)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The 'to' date must be on or after the 'from' date")
        return cleaned
