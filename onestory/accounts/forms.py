from django import forms
from django.contrib.auth import authenticate

from onestory.core.forms import GovukForm


class SignInForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": (
                "Enter an email address in the correct format, like name@example.org"
            ),
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "username", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.user = authenticate(
            self.request,
            username=cleaned["email"].lower(),
            password=cleaned["password"],
        )
        if self.user is None:
            # One message whether the account exists, is disabled or the password
            # is wrong: the page must not reveal which.
            raise forms.ValidationError(
                "Enter a correct email address and password", code="invalid_login"
            )
        return cleaned
