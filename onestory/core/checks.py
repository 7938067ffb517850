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
    return problems


@register(Tags.security)
def check_invariants(app_configs, **kwargs):
    problems = []
    if not settings.SECURE_CSP.get("script-src"):
        problems.append(
            Error("The Content Security Policy must be on.", id="onestory.E002")
        )
    if (
        settings.SESSION_COOKIE_AGE > 8 * 60 * 60
        or not settings.SESSION_SAVE_EVERY_REQUEST
    ):
        problems.append(
            Error(
                "Sessions must end after idle time: set "
                "ONESTORY_SESSION_IDLE_TIMEOUT_MINUTES to 480 or less.",
                id="onestory.E003",
            )
        )
    return problems
