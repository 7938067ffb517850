"""The two kinds of field every form is made of, beside dates and fixed choices:
free text (`TextField`) and a choice of objects (`ObjectChoiceField`, and
`ObjectsChoiceField` for several).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms

from onestory.text import InvalidEntry, clean_text

# The words Django gives a model choice that is not offered: kept by the forms
# that gave none of their own when their fields became `ObjectChoiceField`s.
NOT_OFFERED = forms.ModelChoiceField.default_error_messages["invalid_choice"]


class TextField(forms.CharField):
    """Free text, cleaned one way everywhere: as `onestory.text.clean_text`
    does (NFC, hidden characters dropped, outer space stripped), or by
    `normalise`, a pure function that may refuse the entry by raising
    `InvalidEntry` with the words to show (an NHS number, a postcode).

    Required unless said otherwise; `message` is what is shown when it is
    missing, or empty once cleaned ("Enter <label>" if not given). `rows` makes
    it a textarea of that many rows (which `GovukForm` gives GOV.UK's character
    count when it has a `max_length`).
    """

    def __init__(
        self,
        label: str | None = None,
        *,
        message: str | None = None,
        rows: int | None = None,
        normalise: Callable[[str], str] = clean_text,
        **kwargs,
    ):
        if rows is not None:
            kwargs["widget"] = forms.Textarea(attrs={"rows": rows})
        missing = message or (f"Enter {label.lower()}" if label else None)
        if missing:
            kwargs["error_messages"] = {"required": missing} | kwargs.get(
                "error_messages", {}
            )
        self.normalise = normalise
        super().__init__(label=label, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value:
            try:
                value = self.normalise(value)
            except InvalidEntry as error:
                raise forms.ValidationError(str(error)) from None
        if self.required and not value:
            missing = self.error_messages["required"]
            raise forms.ValidationError(missing, code="required")
        return value


class _OfferedObjects(forms.ChoiceField):
    """Choices made from objects (people, organisations, teams), each offered by
    its `pk` and described by `describe` (its `str` unless given)."""

    def __init__(self, *, describe: Callable[[Any], str] = str, **kwargs):
        super().__init__(**kwargs)
        self.describe = describe
        self.nothing: tuple[str, str] | None = None
        self._source: Iterable = ()
        self._by_key: dict | None = None

    def offer(self, objects: Iterable, *, nothing: tuple[str, str] | None = None):
        """Offer these objects (a list, or a queryset read once, when first
        needed). `nothing` is a first option, (value, label), that answers none
        of them: "Select a practitioner", "Keep Sam as lead", "No consultation".
        """
        self._source, self._by_key, self.nothing = objects, None, nothing
        self.choices = self._described  # read when the choices are first needed

    def object_for(self, key):
        """The object offered as `key`, or None (for `nothing`)."""
        return self._offered().get(key)

    def _offered(self) -> dict:
        if self._by_key is None:
            self._by_key = {str(thing.pk): thing for thing in self._source}
        return self._by_key

    def _described(self) -> list[tuple[str, str]]:
        offered = [(key, self.describe(o)) for key, o in self._offered().items()]
        return [self.nothing, *offered] if self.nothing else offered

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return [self.prepare_value(item) for item in value]
        return str(value.pk) if hasattr(value, "pk") else value


class ObjectChoiceField(_OfferedObjects):
    """One of the objects the form offers (`offer`), cleaned to that object
    (None for the `nothing` option, or no answer). Give the GOV.UK words for a
    missing answer and one not offered as `error_messages` "required" and
    "invalid_choice"."""

    def to_python(self, value):
        return None if value in self.empty_values else str(value)

    def clean(self, value):
        key = super().clean(value)
        # No answer needs no reading of the objects (as ModelChoiceField).
        return None if key is None else self.object_for(key)


class ObjectsChoiceField(_OfferedObjects, forms.MultipleChoiceField):
    """Any of the objects the form offers (`offer`), cleaned to a list of them."""

    def clean(self, value):
        return [self.object_for(key) for key in super().clean(value)]
