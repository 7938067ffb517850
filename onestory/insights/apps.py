from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "onestory.insights"
    label = "insights"
    verbose_name = "Insights: reports and the learning log"
