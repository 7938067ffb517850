from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "onestory.measures"
    label = "measures"
    verbose_name = "Outcome measures"
