"""Filters the GOV.UK component and form templates need (a template builtin)."""

from django import forms, template
from django.utils import timezone

from onestory.core.forms import COUNTED

register = template.Library()

# Inputs that GOV.UK styles with an error modifier ("govuk-input--error");
# radios and checkboxes show the error on their form group instead.
HAS_ERROR_MODIFIER = {"govuk-input", "govuk-textarea", "govuk-select"}


@register.filter
def govuk_attrs(attrs, base_class):
    """A widget's attrs with the GOV.UK class in front of any classes it set.

    Widgets keep their own classes (widths such as "govuk-input--width-10").
    Django marks an invalid field's widget with aria-invalid, which is also
    what decides the error style.
    """
    classes = [base_class, attrs.get("class", "")]
    if attrs.get("aria-invalid") and base_class in HAS_ERROR_MODIFIER:
        classes.append(f"{base_class}--error")
    others = {
        name: value for name, value in attrs.items() if name not in ("class", COUNTED)
    }
    if attrs.get(COUNTED) and attrs.get("id"):
        # GOV.UK's character count (core/forms.py counted_characters).
        classes.append("govuk-js-character-count")
        described = [others.get("aria-describedby", ""), f"{attrs['id']}-info"]
        others["aria-describedby"] = " ".join(d for d in described if d)
    return {"class": " ".join(c for c in classes if c), **others}


@register.filter
def revealed_by(bound_field, value=True):
    """The bound fields an answer reveals (GovukForm.reveals): a radio's
    `value`, or a single checkbox when ticked."""
    form = bound_field.form
    return form.revealed_by(bound_field.name, value) if hasattr(form, "reveals") else []


@register.filter
def is_revealed(bound_field) -> bool:
    """Drawn under another field's answer, so not on its own."""
    form = bound_field.form
    return hasattr(form, "reveals") and form.is_revealed(bound_field.name)


@register.filter
def error_target_id(bound_field):
    """The id an error summary links to: the field's first input."""
    widget = bound_field.field.widget
    id_ = widget.attrs.get("id") or bound_field.auto_id
    # Date parts and each radio or checkbox get _0, _1... after the field id.
    if isinstance(widget, forms.MultiWidget | forms.RadioSelect):
        return f"{id_}_0"
    return id_


@register.filter
def page_numbers(page_obj):
    """Page numbers to link to, with None where GOV.UK shows an ellipsis."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(
            page_obj.number, on_each_side=1, on_ends=1
        )
    ]


@register.filter
def govuk_datetime(value):
    """A moment in GOV.UK style and UK time: '12 September 2026 at 11:49am'."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {local:%B %Y} at {format_time(local)}"


def format_time(moment) -> str:
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}"
