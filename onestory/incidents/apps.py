from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "onestory.incidents"
    label = "incidents"
    verbose_name = "Major incidents: the families inside the cordon, and welfare checks"
