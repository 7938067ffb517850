"""The GOV.UK components drawn by template tags (core/templatetags/govuk.py) and
the status tags presenters choose (core/presenters.py)."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from onestory.core.presenters import Tag, status_tag, tags_for


def draw(source, **context):
    return Template(source).render(Context(context))


def test_a_tag_sits_inline_with_its_colour():
    assert draw('A {% tag "Open" "green" %}.') == (
        'A <strong class="govuk-tag govuk-tag--green">Open</strong>.'
    )
    assert draw('{% tag "Open" %}') == '<strong class="govuk-tag">Open</strong>'
    assert draw("{% tag text %}", text="<b>") == (
        '<strong class="govuk-tag">&lt;b&gt;</strong>'
    )


@status_tag("test_light")
def _light_tag(light, *more):
    return {
        "go": Tag("Go", "green"),
        "both": [Tag("Stop", "red"), Tag("Wait", "yellow")],
    }.get(light)


def test_a_presenter_chooses_a_status_tag_and_its_colour():
    assert draw('{% status_tag "test_light" "go" %}') == (
        '<strong class="govuk-tag govuk-tag--green">Go</strong>'
    )
    assert draw('{% status_tag "test_light" "both" %}') == (
        '<strong class="govuk-tag govuk-tag--red">Stop</strong> '
        '<strong class="govuk-tag govuk-tag--yellow">Wait</strong>'
    )
    assert draw('{% status_tag "test_light" "off" %}') == ""
    assert tags_for("test_light", "go") == [Tag("Go", "green")]


def test_an_unknown_kind_of_tag_and_a_second_presenter_are_refused():
    with pytest.raises(LookupError):
        tags_for("no_such_kind", None)
    with pytest.raises(ValueError, match="Two presenters"):
        status_tag("test_light")(lambda light: None)


def test_every_app_registers_its_status_tags_when_it_starts():
    consent = SimpleNamespace(is_standing=True)
    assert tags_for("consent", consent) == [Tag("Given", "green")]
    assert tags_for(
        "training",
        SimpleNamespace(
            record=SimpleNamespace(status="completed", course=None), current=False
        ),
    ) == [Tag("Expired", "red")]


def test_a_back_link_leads_to_a_named_page():
    html = draw(
        '{% back_link "Back to the report" "insights:service_report" query="a=1&b=2" '
        'classes="onestory-no-print" %}'
    )
    href = reverse("insights:service_report")
    assert html == (
        f'<a href="{href}?a=1&amp;b=2" class="govuk-back-link onestory-no-print">'
        "Back to the report</a>"
    )


def test_warning_text_keeps_its_visually_hidden_warning():
    html = draw(
        "{% warning_text %}Mind <em>{{ who }}</em>{% endwarning_text %}", who="<x>"
    )
    assert html == (
        '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" '
        'aria-hidden="true">!</span><strong class="govuk-warning-text__text">'
        '<span class="govuk-visually-hidden">Warning</span>Mind <em>&lt;x&gt;</em>'
        "</strong></div>"
    )


def test_a_summary_row_with_and_without_an_action():
    plain = draw('{% summary_row "Name" %}{{ name }}{% endsummary_row %}', name="Ann")
    assert plain == (
        '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">'
        'Name</dt><dd class="govuk-summary-list__value">Ann</dd></div>'
    )
    acted = draw(
        '{% summary_row key action_href="/change" action_text="Change" '
        'action_context="the level" %}Universal{% endsummary_row %}',
        key="Level",
    )
    assert (
        '<dd class="govuk-summary-list__actions"><a class="govuk-link" href="/change">'
        'Change<span class="govuk-visually-hidden"> the level</span></a></dd></div>'
    ) in acted
    bare = draw('{% summary_row "Risk" no_actions=True %}None{% endsummary_row %}')
    assert 'class="govuk-summary-list__row govuk-summary-list__row--no-actions"' in bare
    assert "__actions" not in bare


def test_a_summary_row_refuses_what_it_does_not_take():
    with pytest.raises(TemplateSyntaxError):
        Template('{% summary_row "A" colour="red" %}{% endsummary_row %}')
    with pytest.raises(TemplateSyntaxError):
        Template("{% summary_row %}{% endsummary_row %}")
