from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "onestory.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        from onestory.core import (
            audit_search,  # noqa: F401  (registers its download)
            checks,  # noqa: F401  (registers system checks)
        )

        # Each app's downloads.py registers its kinds of download (core/downloads.py).
        autodiscover_modules("downloads")
        # Each app's presenters.py registers its status tags (core/presenters.py).
        autodiscover_modules("presenters")

        post_migrate.connect(_protect_audit_trail, sender=self)


def _protect_audit_trail(using, **kwargs) -> None:
    """After every migrate (and test flush), the audit table is append-only."""
    from django.db import connections

    from onestory.core import audit_chain

    audit_chain.protect(connections[using])


class OnestoryAdminConfig(admin_apps.AdminConfig):
    default = False

    default_site = "onestory.core.admin_site.OnestoryAdminSite"
