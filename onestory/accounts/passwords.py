"""Password rules beyond Django's: NCSC guidance is to let people use long
passphrases (and paste them from a password manager), and to refuse the ones an
attacker would try first. Django's validators refuse short and common passwords
and ones like the user's name; this one refuses passwords that are mostly the
name of the service, the user's organisation or their local authority."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

# Letters left once the predictable words, digits and symbols are taken out.
AT_LEAST_LETTERS = 6
LONGEST = 256


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


class PredictableWordsValidator:
    """Refuses "familyhub2026", "Onestory!!" or the organisation's name."""

    message = (
        "Your password is too easy to guess: it is mostly the name of this "
        "service, your name, your organisation or your area. Try three random words"
    )

    def _words(self, user) -> list[str]:
        words = list(settings.PASSWORD_PREDICTABLE_WORDS)
        organisation = getattr(user, "organisation", None) if user else None
        words += getattr(user, "full_name", "").split()
        if organisation is not None:
            words += organisation.name.split()
            words += organisation.local_authority.name.split()
        # Longest first, so that "familyhubs" goes before "familyhub".
        return sorted({_letters(w) for w in words if len(_letters(w)) >= 4}, key=len)[
            ::-1
        ]

    def validate(self, password, user=None):
        letters = _letters(password)
        for word in self._words(user):
            letters = letters.replace(word, "")
        if len(letters) < AT_LEAST_LETTERS:
            raise ValidationError(self.message, code="password_predictable")

    def get_help_text(self):
        return (
            "Your password cannot be mostly the name of this service, your name, "
            "your organisation or your area."
        )


class LongestValidator:
    """NCSC: allow long passphrases; the limit is only there to bound hashing."""

    def validate(self, password, user=None):
        if len(password) > LONGEST:
            raise ValidationError(
                f"Password must be {LONGEST} characters or fewer",
                code="password_too_long",
            )

    def get_help_text(self):
        return f"Your password can be up to {LONGEST} characters long."
