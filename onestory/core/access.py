"""The one way views reach a family: through `Family.objects.visible_to(user)`."""

from django.http import Http404


class FamilyNotFound(Http404):
    """The family does not exist or is outside the user's scope: the same answer."""

    def __init__(self, family_id):
        super().__init__("Family not found")
        self.family_id = family_id
