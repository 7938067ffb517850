"""System checks of the messages' settings (docs/notify.md)."""

import uuid

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def check_notify_for_production(app_configs, **kwargs):
    problems = []
    if settings.NOTIFY_BACKEND == "console":
        problems.append(
            Warning(
                "ONESTORY_NOTIFY_API_KEY is not set: messages to families are "
                "written to the log, not sent.",
                id="notify.W001",
            )
        )
    elif missing := sorted(k for k, v in settings.NOTIFY_TEMPLATES.items() if not v):
        problems.append(
            Warning(
                f"No Notify template is set for {', '.join(missing)}: Notify "
                "will refuse those messages (docs/notify.md).",
                id="notify.W002",
            )
        )
    if not settings.NOTIFY_CALLBACK_TOKEN:
        problems.append(
            Warning(
                "ONESTORY_NOTIFY_CALLBACK_TOKEN is not set: delivery receipts "
                "are refused.",
                id="notify.W003",
            )
        )
    return problems


@register()
def check_template_ids(app_configs, **kwargs):
    problems = []
    for name, template_id in settings.NOTIFY_TEMPLATES.items():
        try:
            if template_id:
                uuid.UUID(template_id)
        except ValueError:
            problems.append(
                Error(
                    f"The Notify template for {name} is not a template id "
                    "(like 0a1b2c3d-…, from Notify's template page).",
                    id="notify.E001",
                )
            )
    return problems
