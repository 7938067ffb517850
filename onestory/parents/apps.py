from django.apps import AppConfig


class ParentsConfig(AppConfig):
    name = "onestory.parents"
    label = "parents"
    verbose_name = "The family's own view, for parents and carers"

    def ready(self) -> None:
        from onestory.parents import family_parts

        # What it contributes to a family's record (families/parts.py).
        family_parts.register()
