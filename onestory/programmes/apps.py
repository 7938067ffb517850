from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "onestory.programmes"
    label = "programmes"
    verbose_name = "Programmes"
