from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "onestory.families"
    label = "families"
