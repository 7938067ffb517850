"""The forms of the family's own view (a parent's or carer's) and of the
staff pages that give, pause and decide on it."""

from django import forms

from onestory.core.forms import GovukDateField, GovukForm, TextField
from onestory.parents.models import SuggestionKind


class SignInForm(GovukForm):
    address = TextField(
        label="Email address or mobile number",
        message="Enter your email address or mobile number",
        max_length=320,
        help_text="The one your practitioner has for you",
    )


class DateOfBirthForm(GovukForm):
    date_of_birth = GovukDateField(
        label="What is your date of birth?",
        kind="birth",
        help_text="For example, 27 3 1990",
    )


class SuggestionForm(GovukForm):
    kind = forms.ChoiceField(
        label="What would you like to do?",
        choices=SuggestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to add or correct something"},
    )
    text = TextField(
        label="In your own words",
        message="Write what you would like to add or correct",
        max_length=2000,
        rows=6,
        help_text="Your practitioner will read it before it joins your story.",
    )


class InviteForm(GovukForm):
    address = TextField(
        label="Their email address or mobile number",
        message="Enter their email address or mobile number",
        max_length=320,
        help_text="Their own, not one they share: it is how they sign in",
    )
    family_agreed = forms.BooleanField(
        label="The family has agreed that this person may see the family's own view",
        required=False,
    )


class PauseForm(GovukForm):
    reason = TextField(
        label="Why is their access paused?",
        message="Say why their access is paused",
        max_length=500,
        rows=3,
        help_text=(
            "For the team only. They will be told only that their access is paused."
        ),
    )


class DecideSuggestionForm(GovukForm):
    decision = forms.ChoiceField(
        label="What will you do with this suggestion?",
        choices=[
            ("accept", "Add it to the story, as they wrote it"),
            ("talk_through", "Talk it through with them first"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you will do with the suggestion"},
    )


class ActionDoneForm(GovukForm):
    note = TextField(
        label="Anything to add? (optional)",
        required=False,
        max_length=500,
        rows=3,
        help_text="For example, how it went. Your practitioner will see it.",
    )


class WithdrawConsentForm(GovukForm):
    note = TextField(
        label="Why? (optional)",
        required=False,
        max_length=500,
        rows=3,
        help_text="Your practitioner will see it.",
    )
