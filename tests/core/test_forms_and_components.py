"""GOV.UK form rendering, the date field, shared components and the static build."""

import datetime
import importlib.util
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse

from onestory.core.forms import GovukDateField, GovukForm

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "onestory" / "core" / "templates"


def load_build_static():
    spec = importlib.util.spec_from_file_location(
        "build_static", ROOT / "scripts" / "build_static.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class ExampleForm(GovukForm):
    name = forms.CharField(
        label="Full name",
        help_text="As the family gave it",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )
    date_of_birth = GovukDateField(label="Date of birth", kind="birth")
    contact = forms.ChoiceField(
        label="How to contact",
        choices=[("phone", "Phone"), ("email", "Email")],
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(label="Consent recorded", required=False)
    reference = forms.CharField(widget=forms.HiddenInput, required=False)


def date_data(day, month, year, name="date_of_birth"):
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def valid_data(**changes):
    data = {"name": "Sam Example", "contact": "phone", **date_data("5", "3", "2025")}
    return data | changes


def date_errors(day, month, year, *, required=True):
    class DateForm(GovukForm):
        happened_on = GovukDateField(
            label="Date of birth", kind="birth", required=required
        )

    form = DateForm(data=date_data(day, month, year, name="happened_on"))
    form.is_valid()
    return form, form.errors.get("happened_on", [])


def input_tag(html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


# The date field


def test_date_field_cleans_to_a_date_not_a_datetime():
    form, errors = date_errors("05", "3", "2025")
    assert errors == []
    value = form.cleaned_data["happened_on"]
    assert value == datetime.date(2025, 3, 5)
    assert type(value) is datetime.date


def test_optional_date_field_left_empty_cleans_to_none():
    form, errors = date_errors("", "", "", required=False)
    assert errors == []
    assert form.cleaned_data["happened_on"] is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date of birth"),
        ("5", "", "2025", "Date of birth must include a month"),
        ("", "3", "2025", "Date of birth must include a day"),
        ("5", "3", "", "Date of birth must include a year"),
        ("", "", "2025", "Date of birth must include a day and month"),
        ("31", "2", "2025", "Date of birth must be a real date"),
        ("5", "13", "2025", "Date of birth must be a real date"),
        ("32", "1", "2025", "Date of birth must be a real date"),
        ("five", "3", "2025", "Date of birth must be a real date"),
        ("5", "3", "25", "Year must include 4 numbers"),
    ],
)
def test_date_field_gives_the_govuk_message(day, month, year, message):
    _form, errors = date_errors(day, month, year)
    assert errors == [message]


def test_date_field_keeps_what_was_typed_when_redisplayed():
    form = ExampleForm(data=valid_data(**date_data("31", "2", "2025")))
    assert not form.is_valid()
    html = str(form["date_of_birth"].as_field_group())
    assert 'value="31"' in input_tag(html, "date_of_birth_0")
    assert 'value="2"' in input_tag(html, "date_of_birth_1")
    assert 'value="2025"' in input_tag(html, "date_of_birth_2")


def test_date_input_markup_and_only_the_missing_part_is_highlighted():
    form = ExampleForm(data=valid_data(**date_data("5", "", "2025")))
    form.is_valid()
    html = str(form["date_of_birth"].as_field_group())
    assert 'role="group"' in html
    assert 'class="govuk-date-input" id="id_date_of_birth"' in html
    for label in ("Day", "Month", "Year"):
        assert f">{label}</label>" in html
    day = input_tag(html, "date_of_birth_0")
    assert 'id="id_date_of_birth_0"' in day
    assert 'inputmode="numeric"' in day
    assert "govuk-input--width-2" in day
    assert "govuk-input--width-4" in input_tag(html, "date_of_birth_2")
    assert "govuk-input--error" in input_tag(html, "date_of_birth_1")
    assert "govuk-input--error" not in day


def test_date_field_initial_value_fills_the_three_inputs():
    form = ExampleForm(initial={"date_of_birth": datetime.date(2024, 12, 1)})
    html = str(form["date_of_birth"].as_field_group())
    assert 'value="1"' in input_tag(html, "date_of_birth_0")
    assert 'value="12"' in input_tag(html, "date_of_birth_1")
    assert 'value="2024"' in input_tag(html, "date_of_birth_2")


# Form groups


def test_valid_text_field_renders_label_hint_and_govuk_input():
    html = str(ExampleForm()["name"].as_field_group())
    assert '<div class="govuk-form-group">' in html
    assert 'for="id_name">Full name</label>' in html
    assert 'id="id_name_helptext" class="govuk-hint"' in html
    field = input_tag(html, "name")
    assert 'class="govuk-input govuk-input--width-20"' in field
    assert 'aria-describedby="id_name_helptext"' in field
    assert "govuk-error-message" not in html


def test_invalid_text_field_renders_the_govuk_error_state():
    form = ExampleForm(data=valid_data(name=""))
    assert not form.is_valid()
    html = str(form["name"].as_field_group())
    assert "govuk-form-group--error" in html
    assert (
        '<p id="id_name_error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    field = input_tag(html, "name")
    assert "govuk-input--error" in field
    assert 'aria-describedby="id_name_helptext id_name_error"' in field


def test_radios_render_in_a_fieldset_with_a_legend():
    form = ExampleForm(data=valid_data(contact=""))
    form.is_valid()
    html = str(form["contact"].as_field_group())
    assert 'aria-describedby="id_contact_error"' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
        "How to contact</legend>"
    ) in html
    assert 'class="govuk-radios" data-module="govuk-radios"' in html
    first_radio = input_tag(html, "contact")
    assert 'class="govuk-radios__input"' in first_radio
    assert 'id="id_contact_0"' in first_radio
    assert 'for="id_contact_1">Email</label>' in html


def test_single_checkbox_is_a_small_checkbox_item():
    html = str(ExampleForm()["consent"].as_field_group())
    assert "govuk-checkboxes govuk-checkboxes--small" in html
    assert 'class="govuk-checkboxes__input"' in input_tag(html, "consent")
    assert 'class="govuk-label govuk-checkboxes__label" for="id_consent"' in html


def test_select_textarea_and_checkboxes_get_govuk_classes():
    class OtherForm(GovukForm):
        level = forms.ChoiceField(choices=[("universal", "Universal")])
        story = forms.CharField(widget=forms.Textarea)
        needs = forms.MultipleChoiceField(
            choices=[("sleep", "Sleep")], widget=forms.CheckboxSelectMultiple
        )

    form = OtherForm(data={})
    form.is_valid()
    html = "".join(str(field.as_field_group()) for field in form)
    assert 'class="govuk-select govuk-select--error"' in html
    assert 'class="govuk-textarea govuk-textarea--error"' in html
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in html
    assert 'class="govuk-checkboxes__input"' in input_tag(html, "needs")
    assert 'id="id_needs_0"' in input_tag(html, "needs")


def test_renderer_falls_back_to_djangos_own_templates():
    # Hidden inputs and error lists are not ours: Django's templates draw them.
    form = ExampleForm(data={"reference": "abc"})
    assert '<input type="hidden" name="reference" value="abc"' in str(form["reference"])
    assert 'class="errorlist"' in str(form.errors)


def test_whole_form_renders_as_govuk_form_groups():
    html = str(ExampleForm())
    assert html.count('<label class="govuk-label govuk-label--s"') == 1
    assert html.count('<legend class="govuk-fieldset__legend') == 2
    assert 'for="id_consent">Consent recorded</label>' in html
    assert 'type="hidden" name="reference"' in html
    assert "<div>" not in html  # Django's own form template wraps fields in these


# Error summary


def render_summary(form):
    return render_to_string("components/error_summary.html", {"form": form})


def test_error_summary_links_each_error_to_its_first_input():
    class SignInLikeForm(ExampleForm):
        def clean(self):
            raise forms.ValidationError("Enter a correct email address and password")

    form = SignInLikeForm(data={"name": "", **date_data("", "", "")})
    assert not form.is_valid()
    html = render_summary(form)
    assert 'data-module="govuk-error-summary"' in html
    assert '<div role="alert">' in html
    assert "<li>Enter a correct email address and password</li>" in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_date_of_birth_0">Enter date of birth</a>' in html
    assert '<a href="#id_contact_0">This field is required.</a>' in html
    assert html.index("Enter a correct") < html.index("#id_name")


def test_error_summary_renders_nothing_for_a_valid_or_unbound_form():
    form = ExampleForm(data=valid_data())
    assert form.is_valid(), form.errors
    assert render_summary(form).strip() == ""
    assert render_summary(ExampleForm()).strip() == ""


# Components


def render_pagination(number, count, query_string=""):
    page = Paginator(range(count), 10).page(number)
    return render_to_string(
        "components/pagination.html",
        {"page_obj": page, "query_string": query_string},
    )


def test_pagination_marks_the_current_page_and_keeps_the_query():
    html = render_pagination(5, 100, "q=smith&level=targeted")
    assert 'aria-label="Page 5" aria-current="page"' in html
    assert html.count('aria-current="page"') == 1
    assert 'href="?q=smith&amp;level=targeted&amp;page=4" rel="prev"' in html
    assert 'href="?q=smith&amp;level=targeted&amp;page=6" rel="next"' in html
    assert "govuk-pagination__item--ellipsis" in html
    assert 'aria-label="Page 10"' in html


def test_pagination_first_page_has_no_previous_link():
    html = render_pagination(1, 30)
    assert 'rel="prev"' not in html
    assert 'href="?page=2" rel="next"' in html


def test_pagination_renders_nothing_for_one_page():
    assert render_pagination(1, 10).strip() == ""


def test_tag_and_identity_bar():
    tag = render_to_string("components/tag.html", {"text": "Open", "colour": "green"})
    assert '<strong class="govuk-tag govuk-tag--green">Open</strong>' in tag
    bar = render_to_string(
        "components/identity_bar.html",
        {"heading": "The Example family", "details": ["2 children", "Hub: North"]},
    )
    assert 'class="moj-identity-bar"' in bar
    assert "The Example family" in bar
    assert "Hub: North" in bar


# Layout and error pages


def test_base_layout_for_a_signed_in_user(rf):
    request = rf.get("/accessibility/")
    request.user = AnonymousUser()
    html = render_to_string(
        "core/accessibility_statement.html",
        {
            "service_name": "onestory",
            "signed_in_user": SimpleNamespace(full_name="Ada Example"),
            "primary_navigation": [
                {"text": "My caseload", "href": "/families/", "current": True},
                {"text": "Search", "href": "/families/search/", "current": False},
            ],
        },
        request=request,
    )
    assert "<title>Accessibility statement \N{EN DASH} onestory</title>" in html
    assert 'href="/families/" aria-current="page"' in html
    assert html.count("aria-current") == 1
    assert "Ada Example" in html
    sign_out_form = (
        rf'<form[^>]*action="{reverse("accounts:sign_out")}"[^>]*>(.*?)</form>'
    )
    sign_out = re.search(sign_out_form, html, re.DOTALL)
    assert 'method="post"' in sign_out.group(0)
    assert 'name="csrfmiddlewaretoken"' in sign_out.group(1)
    assert ">Sign out</button>" in html
    assert 'href="https://www.equalityadvisoryservice.com/"' in html


def test_404_does_not_echo_the_path_and_500_renders_without_context():
    not_found = render_to_string("404.html", {"request_path": "/families/secret"})
    assert "Page not found" in not_found
    assert "secret" not in not_found
    server_error = render_to_string("500.html", {"request_id": "req-123"})
    assert "Sorry, there is a problem with the service" in server_error
    assert "Quote reference req-123 if you contact support." in server_error
    assert "Sign out" not in server_error
    assert "Quote reference" not in render_to_string("500.html")


def test_templates_have_no_inline_script_or_style():
    # The Content Security Policy blocks both, so they would silently fail.
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert " style=" not in text, template
        assert "<style" not in text, template
        assert not re.search(r"<script(?![^>]*\ssrc=)", text), template


# Static build


def test_build_static_rewrites_asset_urls_relative_to_the_css():
    build_static = load_build_static()
    css = build_static.rewrite_asset_urls(
        "a{src:url(/assets/fonts/x.woff2)}b{background:url('/assets/images/y.svg')}"
    )
    assert (
        css
        == "a{src:url(assets/fonts/x.woff2)}b{background:url('assets/images/y.svg')}"
    )
    stylesheet = "/static/vendor/govuk/govuk-frontend.min.css"
    assert (
        urljoin(stylesheet, "assets/fonts/x.woff2")
        == "/static/vendor/govuk/assets/fonts/x.woff2"
    )


def test_build_static_drops_source_map_comments():
    build_static = load_build_static()
    assert build_static.strip_source_map("a{}\n/*# sourceMappingURL=a.css.map */") == (
        "a{}\n"
    )
    assert build_static.strip_source_map("f();//# sourceMappingURL=a.js.map") == (
        "f();\n"
    )


def test_build_static_output_resolves_every_css_url(tmp_path):
    build_static = load_build_static()
    build_static.build(vendor=tmp_path / "vendor")
    stylesheets = list((tmp_path / "vendor").rglob("*.css"))
    assert len(stylesheets) == 2
    for stylesheet in stylesheets:
        assert build_static.missing_css_references(stylesheet) == []
        assert "sourceMappingURL" not in stylesheet.read_text()
    assert (tmp_path / "vendor" / "moj" / "assets" / "images").is_dir()
    assert (tmp_path / "vendor" / ".built").is_file()


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        ("2026-09-12T10:49:00+00:00", "12 September 2026 at 11:49am"),  # BST
        ("2026-12-01T15:05:00+00:00", "1 December 2026 at 3:05pm"),  # GMT
        ("2026-12-01T12:00:00+00:00", "1 December 2026 at midday"),
        ("2026-06-30T23:00:00+00:00", "1 July 2026 at midnight"),
    ],
)
def test_govuk_datetime_shows_uk_time_in_govuk_style(moment, shown):
    from datetime import datetime

    from onestory.core.templatetags.govuk import govuk_datetime

    assert govuk_datetime(datetime.fromisoformat(moment)) == shown


def test_long_text_has_a_character_count_and_too_long_is_an_error_keeping_the_text():
    """No maxlength (browsers cut pasted text off silently): GOV.UK's character
    count, and an error that keeps what was typed."""
    import re

    from onestory.support.forms import AskConsultationForm

    page = AskConsultationForm(specialists=[])["question"].as_field_group()
    assert 'data-module="govuk-character-count"' in page
    assert 'data-maxlength="5000"' in page
    assert "You can enter up to 5000 characters" in page
    [textarea] = re.findall(r"<textarea[^>]*>", page)
    assert "maxlength" not in textarea
    assert "govuk-js-character-count" in textarea
    assert 'aria-describedby="id_question-info"' in textarea

    typed = "x" * 5001
    form = AskConsultationForm(
        {"question": typed, "tried": "Visits", "urgency": "soon"}, specialists=[]
    )
    assert not form.is_valid()
    assert form.errors["question"] == ["Your answer must be 5,000 characters or fewer"]
    page = form["question"].as_field_group()
    assert typed in page
    assert "id_question_error id_question-info" in page


def test_no_date_is_written_with_a_leading_zero():
    """GOV.UK style: '4 June 2026', never '04 June 2026' (a day from Python's
    %d or the template's "d" would give one)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "onestory"
    found = []
    for path in [*root.rglob("*.py"), *root.rglob("*.html")]:
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        for pattern in (r"%d %B", r"%d %b", r'date:"d ', r"date:'d "):
            if re.search(pattern, text):
                found.append(f"{path.relative_to(root)}: {pattern}")
    assert found == []
