"""System checks that guard the settings onestory relies on."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs):
    problems = []
    if settings.SECRET_KEY == settings.INSECURE_DEVELOPMENT_KEY:
        problems.append(
            Error(
                "ONESTORY_SECRET_KEY is not set: the development key is in use.",
                id="onestory.E001",
            )
        )
    if not settings.SESSION_COOKIE_SECURE:
        problems.append(
            Warning("Session cookies are not marked Secure.", id="onestory.W001")
        )
    if _from_localhost(settings.DEFAULT_FROM_EMAIL):
        problems.append(
            Warning(
                "ONESTORY_FROM_EMAIL is an address at localhost: emails to parents "
                "come from it wherever an area's administrator has not set their "
                "own sender (docs/operations.md, 'What families see').",
                id="onestory.W002",
            )
        )
    problems += _row_level_security_problems(kwargs.get("databases") or [])
    return problems


def _from_localhost(sender: str) -> bool:
    from email.utils import parseaddr

    return parseaddr(sender)[1].lower().endswith("@localhost")


def _row_level_security_problems(databases) -> list:
    from onestory.core import tenancy

    if "default" not in databases or not tenancy.row_level_security():
        return []
    return [
        Error(
            f"Row-level security does not bind the database role: {problem} "
            "Run the application as a role made for it (docs/operations.md).",
            id="onestory.E004",
        )
        for problem in tenancy.runtime_role_problems()
    ]


@register(Tags.security)
def check_invariants(app_configs, **kwargs):
    problems = []
    if not settings.SECURE_CSP.get("script-src"):
        problems.append(
            Error("The Content Security Policy must be on.", id="onestory.E002")
        )
    if settings.SESSION_COOKIE_AGE > 8 * 60 * 60:
        problems.append(
            Error(
                "Sessions must end after idle time: set "
                "ONESTORY_SESSION_IDLE_TIMEOUT_MINUTES to 480 or less.",
                id="onestory.E003",
            )
        )
    if not _renews_idle_timer(settings.MIDDLEWARE):
        problems.append(
            Error(
                "Sessions are saved only when they change, and the idle timer is "
                "renewed by onestory.accounts.middleware.SessionLimitsMiddleware: "
                "keep it in MIDDLEWARE after SessionMiddleware and "
                "AuthenticationMiddleware, or sessions end while in use.",
                id="onestory.E005",
            )
        )
    return problems


def _renews_idle_timer(middleware) -> bool:
    """The idle timer is renewed (accounts/middleware.py), or every request
    saves the session (Django's SESSION_SAVE_EVERY_REQUEST)."""
    if settings.SESSION_SAVE_EVERY_REQUEST:
        return True
    needs = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "onestory.accounts.middleware.SessionLimitsMiddleware",
    ]
    if not set(needs) <= set(middleware):
        return False
    positions = [middleware.index(name) for name in needs]
    return positions == sorted(positions)
