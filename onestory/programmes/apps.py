from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "onestory.programmes"
    label = "programmes"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from onestory.programmes import family_parts

        # What it contributes to a family (families/parts.py).
        family_parts.register()
