from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "onestory.support"
    label = "support"

    def ready(self) -> None:
        from onestory.support import family_parts

        # What it contributes to a family (families/parts.py).
        family_parts.register()
