"""Requests for support and multi-agency triage meetings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onestory.accounts.models import FAMILY_ROLES, TRIAGE_ROLES, Organisation, User
from onestory.core import audit
from onestory.core.forms import act_on
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required
from onestory.families.pages import family_view, render_family_page
from onestory.families.queries import get_visible_family
from onestory.support import queries, services, triage
from onestory.support.forms import (
    STALE_LEAD,
    DecisionForm,
    MakeRequestForm,
    RequestStatusForm,
    ScheduleMeetingForm,
)

STALE_REQUEST = (
    "Someone changed this request while you were on this page, so nothing was "
    "saved. Check its status below and try again"
)


@family_view("GET", "POST")
def make_request(request, family):
    form = MakeRequestForm(
        request.POST or None,
        user=request.user,
        episode=queries.get_open_episode(family),
    )
    if done := act_on(request, form, form.make_request):
        messages.success(request, f"Request sent to {form.organisation}'s triage.")
        return redirect(
            "support:show_request", family_id=family.pk, request_id=done.result.pk
        )
    return render_family_page(
        request,
        family,
        "support/make_request.html",
        form=form,
        heading="Request more support",
        button="Send request",
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def show_request(request, family_id, request_id):
    family = get_visible_family(request.user, family_id)
    support_request = queries.get_request(family, request_id)
    allowed = triage.allowed_next(support_request, request.user)
    posted = request.POST if request.method == "POST" else None
    conflict = posted is not None and (
        not allowed or posted.get("expected") != support_request.status
    )
    form = None
    if allowed:
        # After a conflict the form starts again, keeping the reason typed.
        form = RequestStatusForm(
            None if conflict else posted,
            allowed=allowed,
            current=support_request.status,
            initial={"reason": posted.get("reason", "")} if conflict else None,
        )
    if posted is not None and not conflict and form.is_valid():
        try:
            triage.change_request_status(
                request=support_request,
                to=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except (triage.RequestChangedMeanwhile, triage.NotAllowedNow):
            conflict = True
        else:
            messages.success(request, "Request updated.")
            return redirect(
                "support:show_request",
                family_id=family.pk,
                request_id=support_request.pk,
            )
    return render_family_page(
        request,
        family,
        "support/show_request.html",
        status=409 if conflict else 200,
        support_request=support_request,
        form=form,
        conflict=STALE_REQUEST if conflict else "",
    )


@roles_required(*TRIAGE_ROLES)
@require_http_methods(["GET"])
def triage_home(request):
    requests = Paginator(queries.requests_for_triage(request.user), 25).get_page(
        request.GET.get("page")
    )
    with transaction.atomic():
        audit.record(
            action=AuditAction.LIST_REQUESTS,
            by=request.user,
            detail={"family_ids": sorted({str(r.family_id) for r in requests})},
        )
    today = timezone.localdate()
    meetings = list(queries.meetings_of(request.user)[:50])
    return render(
        request,
        "support/triage_home.html",
        {
            "page_obj": requests,
            "rows": queries.request_rows(requests),
            "upcoming": [
                m for m in meetings if timezone.localdate(m.starts_at) >= today
            ][::-1],
            "past": [m for m in meetings if timezone.localdate(m.starts_at) < today],
        },
    )


@roles_required(*TRIAGE_ROLES)
@require_http_methods(["GET", "POST"])
def schedule_meeting(request):
    user = request.user
    chairs = (
        User.objects.in_organisation_of(user)
        .filter(role_grants__role__in=TRIAGE_ROLES)
        .distinct()
        .order_by("full_name")
    )
    form = ScheduleMeetingForm(
        request.POST or None,
        chairs=chairs,
        organisations=Organisation.objects.in_area_of(user)
        .exclude(pk=user.organisation_id)
        .order_by("name"),
        initial={"chair": str(user.pk)},
    )
    if request.method == "POST" and form.is_valid():
        meeting = triage.schedule_meeting(by=user, **form.meeting())
        messages.success(request, "Triage meeting scheduled.")
        return redirect("support:show_meeting", meeting_id=meeting.pk)
    return render(request, "support/schedule_meeting.html", {"form": form})


def _meeting_context(request, meeting):
    decisions, hidden = queries.decisions_of(meeting, request.user)
    upcoming = timezone.localdate(meeting.starts_at) >= timezone.localdate()
    items = queries.agenda(meeting, request.user) if upcoming else []
    family_ids = {str(d.decision.family_id) for d in decisions} | {
        str(i.family.pk) for i in items
    }
    with transaction.atomic():
        audit.record(
            action=AuditAction.VIEW_TRIAGE_MEETING,
            by=request.user,
            obj=meeting,
            detail={"family_ids": sorted(family_ids)},
        )
    return {
        "meeting": meeting,
        "agenda": items,
        "decisions": decisions,
        "hidden": hidden,
        "upcoming": upcoming,
    }


@roles_required(*TRIAGE_ROLES)
@require_http_methods(["GET"])
def show_meeting(request, meeting_id):
    meeting = queries.get_meeting(request.user, meeting_id)
    return render(
        request, "support/show_meeting.html", _meeting_context(request, meeting)
    )


@roles_required(*TRIAGE_ROLES)
@require_http_methods(["GET"])
def print_meeting(request, meeting_id):
    meeting = queries.get_meeting(request.user, meeting_id)
    return render(
        request, "support/print_meeting.html", _meeting_context(request, meeting)
    )


@roles_required(*TRIAGE_ROLES)
@require_http_methods(["GET", "POST"])
def decide(request, meeting_id, family_id):
    meeting = queries.get_meeting(request.user, meeting_id)
    family = get_visible_family(request.user, family_id)
    episode = queries.get_open_episode(family)
    items = queries.agenda(meeting, request.user, family_id=family.pk)
    item = items[0] if items else None
    lead = queries.lead_of(episode)
    form = DecisionForm(
        request.POST or None,
        current_level=services.current_level(episode),
        lead=lead,
        candidates=queries.allocation_candidates(episode, exclude=[lead]),
        specialists=(specialists := queries.specialists_for(episode)),
    )
    if request.method == "POST" and item is not None and form.is_valid():
        try:
            triage.record_decision(
                meeting=meeting,
                family=family,
                decision=form.decision(),
                check=item.check,
                by=request.user,
            )
        except triage.AlreadyDecided:
            form.add_error(None, "This meeting has already decided for this family")
        except services.LeadChangedMeanwhile:
            form.add_error(None, STALE_LEAD)
        except (triage.MeetingNotYet, services.CannotLead) as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Decision recorded.")
            return redirect("support:show_meeting", meeting_id=meeting.pk)
    return render_family_page(
        request,
        family,
        "support/decide.html",
        meeting=meeting,
        item=item,
        form=form,
        lead=lead,
        specialists=specialists,
        without_consent=queries.specialists_without_consent(episode),
        not_yet=None
        if triage.meeting_has_come(meeting)
        else triage.meeting_not_yet_message(meeting),
    )
