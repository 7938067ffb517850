"""The fields the families forms share: names, NHS numbers, phone numbers, yes
or no, which parent or carer, ethnic group."""

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


class PhoneInput(forms.TextInput):
    input_type = "tel"  # a phone's keypad, and no browser's own checking


def phone_field():
    """A UK phone number, kept as its digits (domain.normalise_phone_number).
    Too long is refused with the same words as any other wrong number."""
    return TextField(
        "Phone number (optional)",
        required=False,
        max_length=30,
        normalise=domain.normalise_phone_number,
        error_messages={"max_length": domain.PHONE_NUMBER_MESSAGE},
        help_text="For example, 07700 900 982. We will use it to check on them "
        "in an emergency, and to arrange visits.",
        widget=PhoneInput(
            attrs={
                "class": "govuk-input--width-20",
                "autocomplete": "tel",
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
