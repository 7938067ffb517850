from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Commands about the whole service, which see every app: the demo city and
    retention. On top of the layers, so that no app below imports them."""

    name = "onestory.operations"
    label = "operations"
    verbose_name = "Operations: commands over the whole service"
