from django import forms
from django.contrib.auth import authenticate

from onestory.core import ratelimit
from onestory.core.forms import GovukForm

# Failed sign-ins allowed in the window, per account and per address. Past
# either, sign-in is refused with the same message as a wrong password.
ACCOUNT_FAILURES, ADDRESS_FAILURES, FAILURE_WINDOW = 10, 50, 15 * 60
WRONG = "Enter a correct email address and password"


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
        email = cleaned["email"].lower()
        keys = (f"sign-in:account:{email}", f"sign-in:ip:{self._address()}")
        throttled = (
            ratelimit.count(keys[0]) >= ACCOUNT_FAILURES
            or ratelimit.count(keys[1]) >= ADDRESS_FAILURES
        )
        if not throttled:
            self.user = authenticate(
                self.request, username=email, password=cleaned["password"]
            )
        if self.user is None:
            for key in keys:
                ratelimit.hit(key, window_seconds=FAILURE_WINDOW)
            # One message whether the account exists, is disabled, is throttled
            # or the password is wrong: the page must not reveal which.
            raise forms.ValidationError(WRONG, code="invalid_login")
        return cleaned

    def _address(self) -> str:
        return ratelimit.client_ip(self.request) if self.request else ""


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=20,
        help_text="The 6-digit code the app shows now, or one of your recovery codes",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )
