from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password

from onestory.accounts.models import LocalAuthority
from onestory.core import logs, ratelimit
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
        if throttled:
            logs.security_event("sign_in_throttled")
        else:
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


class EnrolCodeForm(CodeForm):
    """The first code, setting the app up: no recovery codes yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code the app shows now"


# Wrong current passwords allowed in the window when changing a password.
CHANGE_FAILURES = 5


def checked_password(user, password: str, *, key: str, wrong: str) -> str:
    """The user's own password, proved again (a password change, a set-up
    link): CHANGE_FAILURES wrong tries per FAILURE_WINDOW under `key`."""
    if ratelimit.count(key) >= CHANGE_FAILURES:
        raise forms.ValidationError(
            "You have entered a wrong password too many times. Wait 15 minutes "
            "and try again",
            code="throttled",
        )
    if not user.check_password(password):
        ratelimit.hit(key, window_seconds=FAILURE_WINDOW)
        raise forms.ValidationError(wrong, code="wrong_password")
    return password


class ChangePasswordForm(GovukForm):
    """Re-authenticate with the current password, then choose a new one. Paste is
    allowed everywhere (WCAG 3.3.8): password managers are encouraged."""

    current_password = forms.CharField(
        label="Current password",
        strip=False,
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        help_text=(
            "At least 12 characters. Long is better than complicated: three random "
            "words make a good password. You can paste one from a password manager."
        ),
        error_messages={"required": "Enter a new password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_current_password(self):
        return checked_password(
            self.user,
            self.cleaned_data["current_password"],
            key=f"change-password:{self.user.pk}",
            wrong="Your current password is incorrect",
        )

    def clean(self):
        cleaned = super().clean()
        # Compared only once the current password is proved: otherwise this
        # message would answer guesses at it, unthrottled.
        new, current = cleaned.get("new_password"), cleaned.get("current_password")
        if new and current and new == current:
            self.add_error(
                "new_password",
                "Your new password must be different from your current password",
            )
        return cleaned

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        try:
            validate_password(password, self.user)
        except forms.ValidationError as error:
            # One message at a time, the first rule broken, as GOV.UK does.
            raise forms.ValidationError(error.messages[0]) from None
        return password


class ChoosePasswordForm(GovukForm):
    """A set-up link's password: chosen by the member of staff, never by an
    administrator."""

    new_password = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text=ChangePasswordForm.base_fields["new_password"].help_text,
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    clean_new_password = ChangePasswordForm.clean_new_password


class ConfirmPasswordForm(GovukForm):
    """A two-factor reset link: the link proves the email, the password proves
    the person; both are needed to set up the app again."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        return checked_password(
            self.user,
            self.cleaned_data["password"],
            key=f"set-up-link:{self.user.pk}",
            wrong="Your password is incorrect",
        )


EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.org"


class WhatFamiliesSeeForm(GovukForm, forms.ModelForm):
    """The names, contact and email sender families see. The rules on what may
    be typed are the model's (accounts/validators.py), as in the Django admin."""

    class Meta:
        model = LocalAuthority
        fields = [
            "families_name",
            "council_name",
            "contact_phone",
            "contact_email",
            "sender_name",
            "sender_email",
        ]
        labels = {
            "families_name": "Name families see",
            "council_name": "Council",
            "contact_phone": "Phone number (optional)",
            "contact_email": "Email address (optional)",
            "sender_name": "Name emails come from (optional)",
            "sender_email": "Address emails come from (optional)",
        }
        help_texts = {
            "families_name": "For example, Plymouth Family Hubs. It is the name at "
            "the top of their pages and in their emails",
            "council_name": "For example, Plymouth City Council",
            "contact_phone": "For example, 01632 960 001",
            "sender_name": "If you leave it blank, the name families see",
            "sender_email": "Your email provider must let this service send from "
            "it. If you leave it blank, emails come from the service's own address",
        }
        error_messages = {
            "families_name": {"required": "Enter the name families see"},
            "council_name": {"required": "Enter the council's name"},
            "contact_email": {"invalid": EMAIL_FORMAT},
            "sender_email": {"invalid": EMAIL_FORMAT},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("families_name", "council_name"):
            self.fields[name].required = True
        for name, field in self.fields.items():
            # Too long is an error that keeps what was typed, not a paste
            # cut off by the browser.
            field.widget.attrs.pop("maxlength", None)
            label = str(field.label).removesuffix(" (optional)")
            field.error_messages["max_length"] = (
                f"{label} must be {field.max_length:,} characters or fewer"
            )
            if "email" in name:
                field.widget.attrs["spellcheck"] = "false"
        self.fields["contact_phone"].widget.input_type = "tel"

    def clean(self):
        cleaned = super().clean()
        contact = ("contact_phone", "contact_email")
        if not any(cleaned.get(name) for name in contact) and not any(
            name in self.errors for name in contact
        ):
            self.add_error(
                "contact_phone",
                "Enter a phone number or an email address, or both, for families "
                "to contact",
            )
        return cleaned
