"""The base of every onestory form (`GovukForm`), and the one way a view acts
on a posted one (`act_on`), turning a service's refusal into its error.

The rest of the forms' machinery lives beside it, and is importable from here:
how forms are drawn (core.rendering), the date input (core.date_field) and the
text and object-choice fields every form uses (core.fields).
"""

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.http import Http404, QueryDict

from onestory.core import kept_posts, logs
from onestory.core.date_field import DATE_RANGES, DateRange, GovukDateField
from onestory.core.fields import (
    NOT_OFFERED,
    ObjectChoiceField,
    ObjectsChoiceField,
    TextField,
)
from onestory.core.refusals import Refusal
from onestory.core.rendering import COUNTED, GovukFormRenderer, counted_characters
from onestory.text import strip_hidden

__all__ = [
    "COUNTED",
    "DATE_RANGES",
    "NOT_OFFERED",
    "AuditSearchForm",
    "DateRange",
    "Done",
    "GovukDateField",
    "GovukForm",
    "GovukFormRenderer",
    "ObjectChoiceField",
    "ObjectsChoiceField",
    "TextField",
    "act_on",
    "counted_characters",
    "posted_id",
    "show_refusal",
]


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


def posted_id(data, name: str) -> uuid.UUID:
    """A posted reference to something (a button's hidden field): one that is
    not a reference finds nothing, 404, rather than failing the page."""
    try:
        return uuid.UUID(data.get(name, ""))
    except ValueError:
        raise Http404 from None
