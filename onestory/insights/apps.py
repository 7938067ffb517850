from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "onestory.insights"
    label = "insights"
    verbose_name = "Insights: reports and the learning log"

    def ready(self) -> None:
        from onestory.core import changes
        from onestory.insights import stored

        # Writes the report counts move its stored figures' version.
        changes.listen(stored.changed)
