from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "onestory.workforce"
    label = "workforce"
    verbose_name = "Workforce: training and supervision"
