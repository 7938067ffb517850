"""The administration page for what families see of their area: the names,
the contact and the sender of their emails (docs/operations.md)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onestory.accounts import administration
from onestory.accounts.forms import WhatFamiliesSeeForm
from onestory.accounts.models import LocalAuthority, Role
from onestory.core.permissions import roles_required


@roles_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def change_what_families_see(request):
    """A council's administrator changes their own area's, and no other's."""
    area = LocalAuthority.objects.get(pk=request.user.organisation.local_authority_id)
    form = WhatFamiliesSeeForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        administration.change_what_families_see(
            by=request.user, local_authority=area, changed_fields=form.changed_data
        )
        messages.success(request, "What families see has been saved.")
        return redirect("accounts:change_what_families_see")
    return render(
        request,
        "accounts/change_what_families_see.html",
        {"form": form, "area_name": area.name},
    )
