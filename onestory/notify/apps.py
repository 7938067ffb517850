from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "onestory.notify"
    label = "notify"
    verbose_name = "Messages to families by email and text message"

    def ready(self) -> None:
        from onestory.notify import checks  # noqa: F401  (registers system checks)
