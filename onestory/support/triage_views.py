"""Requests for support and multi-agency triage meetings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onestory.accounts.models import TRIAGE_ROLES
from onestory.core import audit
from onestory.core.forms import act_on
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required
from onestory.families.pages import family_view, render_family_page
from onestory.support import queries, triage
from onestory.support.forms import (
    DecisionForm,
    MakeRequestForm,
    RequestChange,
    ScheduleMeetingForm,
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


@family_view("GET", "POST")
def show_request(request, family, request_id):
    support_request = queries.get_request(family, request_id)
    posted = request.POST if request.method == "POST" else None
    change = RequestChange(support_request, request.user, posted)
    if change.made():
        messages.success(request, "Request updated.")
        return redirect(
            "support:show_request", family_id=family.pk, request_id=support_request.pk
        )
    return render_family_page(
        request,
        family,
        "support/show_request.html",
        status=409 if change.conflict else 200,
        support_request=support_request,
        form=change.form,
        conflict=change.conflict,
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
    form = ScheduleMeetingForm(request.POST or None, by=request.user)
    if done := act_on(request, form, form.schedule_meeting):
        messages.success(request, "Triage meeting scheduled.")
        return redirect("support:show_meeting", meeting_id=done.result.pk)
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


@family_view("GET", "POST", roles=TRIAGE_ROLES)
def decide(request, family, meeting_id):
    meeting = queries.get_meeting(request.user, meeting_id)
    episode = queries.get_open_episode(family)
    items = queries.agenda(meeting, request.user, family_id=family.pk)
    item = items[0] if items else None
    form = DecisionForm(request.POST or None, episode=episode, by=request.user)
    if item is not None and act_on(
        request, form, lambda _: form.record_decision(meeting, family, item)
    ):
        messages.success(request, "Decision recorded.")
        return redirect("support:show_meeting", meeting_id=meeting.pk)
    return render_family_page(
        request,
        family,
        "support/decide.html",
        meeting=meeting,
        item=item,
        form=form,
        lead=form.current_lead,
        specialists=form.specialists,
        without_consent=queries.specialists_without_consent(episode),
        not_yet=triage.not_yet(meeting),
    )
