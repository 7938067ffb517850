"""The fields the families forms share: names, NHS numbers, yes or no, which
parent or carer, ethnic group."""

from django import forms
from django.utils import timezone

from onestory.core.forms import TextField
from onestory.families import domain
from onestory.families.models import (
    EthnicCategory,
    ParentRole,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def text_field(label, *, max_length=100, **kwargs) -> TextField:
    """A text field saying, when too long, that the label "must be N characters
    or fewer"."""
    return TextField(
        label,
        max_length=max_length,
        error_messages={
            "max_length": f"{label} must be {max_length} characters or fewer"
        },
        **kwargs,
    )


def nhs_number_field(label):
    return text_field(
        label,
        required=False,
        max_length=20,
        normalise=domain.normalise_nhs_number,
        help_text="10 digits, for example 999 123 4561",
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )


def not_in_future(value, label):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")


def parent_role_field(label="Which parent or carer are they? (optional)"):
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=ParentRole.choices,
        widget=forms.RadioSelect,
    )


def interpreter_needed_field(**kwargs):
    return forms.ChoiceField(
        label="Do they need an interpreter?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if they need an interpreter"},
        **kwargs,
    )


def ethnic_category_field():
    return forms.ChoiceField(
        label="Ethnic group (optional)",
        required=False,
        choices=[("", "Not asked yet"), *EthnicCategory.choices],
        help_text="As the person describes it. Used only for figures about fair "
        "access to support, never to decide it.",
    )
