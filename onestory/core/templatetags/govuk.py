"""Filters and tags the GOV.UK component and form templates need (a template
builtin): tag, status_tag, back_link, and the block components warning_text
and summary_row."""

from django import forms, template
from django.template.base import token_kwargs
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join

from onestory.core import presenters
from onestory.core.forms import COUNTED
from onestory.core.presenters import Tag

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


# Components: our own GOV.UK markup in components/*.html, drawn without the
# whitespace around a template file, so that they sit inline where the
# hand-written markup did.


def _component(context, name: str, values: dict) -> str:
    component = context.template.engine.get_template(f"components/{name}.html")
    # Only its own values, as with {% include ... only %}. The component files
    # end without a newline, so nothing is added around the markup.
    return component.render(context.new(values))


@register.simple_tag(takes_context=True)
def tag(context, text, colour=""):
    """A GOV.UK tag: {% tag "Open" "green" %}, or {% tag a_tag %} for a
    presenter's core.presenters.Tag."""
    if isinstance(text, Tag):
        text, colour = text.text, text.colour
    return _component(context, "tag", {"text": text, "colour": colour})


@register.simple_tag(takes_context=True)
def status_tag(context, kind, value, *more):
    """The tags the presenter of `kind` chooses for `value` (and any more of
    its arguments: core/presenters.py), a space between each; nothing when it
    gives none."""
    shown = presenters.tags_for(kind, value, *more)
    return format_html_join(" ", "{}", ((tag(context, each),) for each in shown))


@register.simple_tag(takes_context=True)
def back_link(context, text, view_name, *args, query="", classes=""):
    """A GOV.UK back link to a page named as for {% url %}:
    {% back_link "Back to the course" "programmes:show_course" course.pk %};
    query= adds a query string, classes= more classes."""
    href = reverse(view_name, args=args) + (f"?{query}" if query else "")
    return _component(
        context, "back_link", {"href": href, "text": text, "classes": classes}
    )


class ComponentNode(template.Node):
    """A component whose content is the markup between its tags."""

    def __init__(self, name, nodelist, args, kwargs):
        self.name, self.nodelist = name, nodelist
        self.args, self.kwargs = args, kwargs

    def render(self, context):
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        values.update(
            (name, value.resolve(context)) for name, value in self.args.items()
        )
        values["content"] = self.nodelist.render(context)  # safe: the engine drew it
        return _component(context, self.name, values)


def _block_component(name, positional=(), keywords=()):
    """Register {% name args... key=value... %}content{% endname %}."""

    def compile_component(parser, token):
        bits = token.split_contents()[1:]
        if len(bits) < len(positional):
            raise template.TemplateSyntaxError(f"{name} needs {', '.join(positional)}")
        args = {
            arg: parser.compile_filter(bit)
            for arg, bit in zip(positional, bits, strict=False)
        }
        rest = bits[len(positional) :]
        kwargs = token_kwargs(rest, parser)
        if rest or set(kwargs) - set(keywords):
            raise template.TemplateSyntaxError(
                f"{name} takes {', '.join(positional + keywords)}"
            )
        nodelist = parser.parse((f"end{name}",))
        parser.delete_first_token()
        return ComponentNode(name, nodelist, args, kwargs)

    register.tag(name, compile_component)


_block_component("warning_text")
_block_component(
    "summary_row",
    positional=("key",),
    keywords=("action_href", "action_text", "action_context", "no_actions", "id"),
)
