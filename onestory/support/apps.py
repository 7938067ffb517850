from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "onestory.support"
    label = "support"
