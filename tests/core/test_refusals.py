"""A refusal carries its words and its field; one call makes it a form error."""

from django import forms

from onestory.core.forms import GovukForm, show_refusal
from onestory.core.refusals import Refusal
from onestory.support import triage


class NameForm(GovukForm):
    name = forms.CharField(label="Name")


class NameTaken(Refusal):
    field = "name"
    message = "That name is taken"


def test_a_refusal_becomes_the_error_on_its_field_and_keeps_what_was_typed():
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    show_refusal(form, NameTaken())
    assert form.errors == {"name": ["That name is taken"]}
    assert form["name"].value() == "Ada"


def test_a_refusal_without_a_field_is_about_the_whole_form():
    form = NameForm({"name": "Ada"})
    form.is_valid()
    show_refusal(form, Refusal("Try again tomorrow"))
    assert form.non_field_errors() == ["Try again tomorrow"]


def test_the_triage_refusals_say_what_to_do_in_their_own_words():
    refusal = triage.ConsentNeeded("Harbour Families")
    assert refusal.field == "to_organisation"
    assert refusal.message.startswith("Harbour Families is not holding")
    assert str(triage.OverrideReasonTooShort()) == (
        "Give the reason for overriding consent in a sentence or more (at least "
        f"{triage.OVERRIDE_REASON_AT_LEAST} characters)"
    )
