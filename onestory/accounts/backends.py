from django.contrib.auth.backends import ModelBackend

from onestory.accounts.models import User


class StaffBackend(ModelBackend):
    """Loads the signed-in user with roles and teams: a fixed number of queries."""

    def get_user(self, user_id):
        user = (
            User.objects.select_related("organisation")
            .prefetch_related("role_grants", "teams")
            .filter(pk=user_id, is_active=True)
            .first()
        )
        return user
