"""Emergency ("break glass") access: asking for it, and the information
governance leads' reviews of each use (emergency.py)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onestory.accounts.models import FAMILY_ROLES, Role
from onestory.core import audit
from onestory.core.forms import show_refusal
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required
from onestory.families import emergency, queries
from onestory.families.forms import EmergencyAccessForm, ReviewEmergencyAccessForm
from onestory.families.views import PAGE_SIZE


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def emergency_access(request):
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = emergency.break_glass(
                nhs_number=form.cleaned_data["nhs_number"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except emergency.TooManyEmergencyAccesses as refusal:
            show_refusal(form, refusal)
            return render(
                request, "families/emergency_access.html", {"form": form}, status=429
            )
        if grant is None:
            form.add_error("nhs_number", "No one in onestory has this NHS number")
        else:
            until = timezone.localtime(grant.expires_at)
            messages.warning(
                request,
                f"Emergency access until {until:%H:%M}. Everything you do in this "
                "record is flagged and reviewed by your information governance lead.",
            )
            return redirect("families:family_record", family_id=grant.family_id)
    return render(request, "families/emergency_access.html", {"form": form})


@roles_required(Role.INFORMATION_GOVERNANCE)
@require_GET
def emergency_access_reviews(request):
    grants = queries.emergency_accesses(request.user)
    page = Paginator(grants, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(action=AuditAction.VIEW_BREAK_GLASS, by=request.user)
    return render(request, "families/emergency_access_reviews.html", {"page_obj": page})


@roles_required(Role.INFORMATION_GOVERNANCE)
@require_http_methods(["GET", "POST"])
def review_emergency_access(request, grant_id):
    grant, events = queries.emergency_access(request.user, grant_id)
    form = (
        None if grant.reviewed_at else ReviewEmergencyAccessForm(request.POST or None)
    )
    if request.method == "POST" and form is not None and form.is_valid():
        emergency.review_break_glass(
            grant=grant, note=form.cleaned_data["note"], by=request.user
        )
        messages.success(request, "Review recorded.")
        return redirect("families:emergency_access_reviews")
    audit.record(action=AuditAction.VIEW_BREAK_GLASS, by=request.user, obj=grant)
    return render(
        request,
        "families/review_emergency_access.html",
        {"grant": grant, "events": events, "form": form},
    )
