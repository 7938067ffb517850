from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "onestory.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from onestory.core import checks  # noqa: F401  (registers system checks)


class OnestoryAdminConfig(admin_apps.AdminConfig):
    default = False

    default_site = "onestory.core.admin_site.OnestoryAdminSite"
