"""How onestory's forms are drawn: with the GOV.UK Design System's markup.

`{{ form.field.as_field_group }}` renders a whole GOV.UK form group (label or
legend, hint, error message, widget) from `components/forms/field.html`; a long
text field gets GOV.UK's character count (`counted_characters`).
"""

from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property

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
