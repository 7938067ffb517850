from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "onestory.measures"
    label = "measures"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        from onestory.measures import family_parts

        # What it contributes to a family (families/parts.py).
        family_parts.register()
