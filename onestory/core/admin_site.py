from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse


class OnestoryAdminSite(admin.AdminSite):
    """Django admin for reference data, open to administrators only."""

    site_header = "onestory administration"
    site_title = "onestory administration"
    # The area's own GOV.UK pages (what families see) listed above the models.
    index_template = "admin/onestory_index.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bulk deletion would skip the audited services (accounts/administration.py).
        self.disable_action("delete_selected")

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_authenticated and user.uses_administration

    def login(self, request, extra_context=None):
        # One sign-in page for the whole service.
        return redirect(f"{reverse('accounts:sign_in')}?next={request.get_full_path()}")
