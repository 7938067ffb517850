"""The pages of a major incident (docs/incidents.md). Each finds its incident
through `pages.incident_view`; each read of families' details is audited with
the incident (services.record_list_read, record_check_read)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onestory.core.exports import csv_response
from onestory.core.forms import act_on, posted_id
from onestory.core.permissions import roles_required, signed_in
from onestory.core.roles import Role
from onestory.incidents import figures, presenters, queries, services
from onestory.incidents.forms import (
    AddAreaForm,
    AssignStaffForm,
    AttemptForm,
    DeclareForm,
    FindAtRestCentreForm,
    LearningForm,
    RestCentreForm,
    StandDownForm,
    WidenForm,
)
from onestory.incidents.pages import incident_view, render_incident
from onestory.incidents.postcodes import ATTRIBUTION

PAGE_SIZE = 50


@signed_in
@require_GET
def incidents(request):
    found = queries.incidents_of(request.user)
    lead = queries.is_emergency_lead(request.user)
    context = {"incidents": found, "is_emergency_lead": lead}
    return render(request, "incidents/incidents.html", context)


@roles_required(Role.EMERGENCY_LEAD)
@require_http_methods(["GET", "POST"])
def declare(request):
    form = DeclareForm(request.POST or None, by=request.user)
    if done := act_on(request, form, form.declare):
        messages.success(request, f"{done.result.name} declared.")
        return redirect("incidents:incident", incident_id=done.result.pk)
    context = {"form": form, "heading": "Declare a major incident"}
    return render(request, "incidents/declare.html", {**context, "button": "Declare"})


@incident_view("GET", responders=False, families=False)
def incident(request, incident):
    board = figures.board(incident)
    areas = incident.areas.select_related("added_by").order_by("added_at")
    centres = incident.rest_centres.all()
    context = {"board": board, "areas": areas, "rest_centres": centres}
    return render_incident(request, incident, "incidents/incident.html", **context)


def _page_of_checks(request, incident, checks, template, **context):
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = presenters.check_rows(page, queries.members_of(page))
    services.record_list_read(incident=incident, by=request.user, checks=page)
    context = {"page_obj": page, "rows": rows, "attribution": ATTRIBUTION, **context}
    return render_incident(request, incident, template, **context)


@incident_view("GET")
def families(request, incident):
    waiting = request.GET.get("show") != "all"
    checks = queries.listed_checks(incident, waiting_only=waiting)
    template = "incidents/families.html"
    return _page_of_checks(request, incident, checks, template, waiting=waiting)


@incident_view("GET", responders=False)
def my_checks(request, incident):
    checks = queries.listed_checks(incident, request.user)
    return _page_of_checks(request, incident, checks, "incidents/my_checks.html")


@incident_view("GET")
def export_families(request, incident):
    """The minimum fields for the multi-agency cell, formula-safe."""
    checks = list(queries.listed_checks(incident))
    rows = presenters.check_rows(checks, queries.members_of(checks))
    services.record_list_read(
        incident=incident, by=request.user, checks=checks, action=services.EXPORTED
    )
    name = f"incident-{timezone.localdate():%Y-%m-%d}-families.csv"
    body = [presenters.csv_row(row) for row in rows]
    return csv_response(name, presenters.CSV_COLUMNS, body)


@incident_view("GET")
def print_families(request, incident):
    """The same minimum fields as the download, to print for the cell."""
    checks = list(queries.listed_checks(incident))
    rows = presenters.check_rows(checks, queries.members_of(checks))
    services.record_list_read(
        incident=incident, by=request.user, checks=checks, action=services.PRINTED
    )
    cells = [presenters.csv_row(row) for row in rows]
    context = {"rows": cells, "columns": presenters.CSV_COLUMNS}
    return render_incident(request, incident, "incidents/print.html", **context)


@incident_view("GET", "POST", responders=False)
def welfare_check(request, incident, check_id):
    check = queries.get_check(request.user, incident, check_id)
    form = AttemptForm(
        request.POST or None,
        check=check,
        rest_centres=incident.rest_centres.all(),
        by=request.user,
    )
    if act_on(request, form, form.record):
        messages.success(request, "Welfare check recorded.")
        return redirect("incidents:welfare_check", incident.pk, check.pk)
    services.record_check_read(check=check, by=request.user)
    row = presenters.check_rows([check], queries.members_of([check]))[0]
    context = {"form": form, "row": row, "attempts": queries.attempts_of(check)}
    return render_incident(request, incident, "incidents/check.html", **context)


def _lead_only(request):
    if not queries.is_emergency_lead(request.user):
        raise Http404("Only an emergency lead can change an incident")


@incident_view("GET", "POST")
def add_area(request, incident):
    _lead_only(request)
    form = AddAreaForm(request.POST or None, incident=incident, by=request.user)
    if act_on(request, form, form.add):
        messages.success(request, "Area added. Families newly inside it are listed.")
        return redirect("incidents:incident", incident_id=incident.pk)
    context = {"form": form, "heading": "Add an area", "button": "Add area"}
    return render_incident(request, incident, "incidents/area_form.html", **context)


@incident_view("GET", "POST")
def widen(request, incident, area_id):
    _lead_only(request)
    area = get_object_or_404(incident.areas.filter(ended_at=None), pk=area_id)
    form = WidenForm(request.POST or None, area=area, by=request.user)
    if act_on(request, form, form.widen):
        messages.success(request, f"{area.name} widened.")
        return redirect("incidents:incident", incident_id=incident.pk)
    context = {"form": form, "area": area, "heading": f"Widen {area.name}"}
    return render_incident(
        request, incident, "incidents/widen.html", **context, button="Widen"
    )


@incident_view("GET", "POST", families=False)
def staff(request, incident):
    _lead_only(request)
    form = AssignStaffForm(
        request.POST or None,
        incident=incident,
        candidates=queries.staff_candidates(incident),
        by=request.user,
    )
    if act_on(request, form, form.assign):
        messages.success(request, "Assigned to the incident.")
        return redirect("incidents:staff", incident_id=incident.pk)
    assigned = queries.staff_of(incident)
    context = {"form": form, "assigned": assigned, "button": "Assign"}
    return render_incident(request, incident, "incidents/staff.html", **context)


@incident_view("GET", "POST")
def rest_centres(request, incident):
    form = RestCentreForm(request.POST or None, incident=incident, by=request.user)
    if act_on(request, form, form.open):
        messages.success(request, "Rest centre opened.")
        return redirect("incidents:rest_centres", incident_id=incident.pk)
    centres = queries.rest_centres_of(incident)
    context = {"form": form, "centres": centres, "button": "Open rest centre"}
    return render_incident(request, incident, "incidents/rest_centres.html", **context)


@incident_view("GET", "POST")
def check_in(request, incident, centre_id):
    """A family arriving at a rest centre, from a phone: find, then check in."""
    centre = get_object_or_404(incident.rest_centres, pk=centre_id)
    if request.method == "POST":
        check = queries.get_check(
            request.user, incident, posted_id(request.POST, "check")
        )
        services.check_in(check=check, rest_centre=centre, by=request.user)
        messages.success(request, f"Checked in at {centre.name}.")
        return redirect("incidents:check_in", incident.pk, centre.pk)
    form = FindAtRestCentreForm(request.GET or None)
    found = (
        queries.find_checks(incident, form.cleaned_data["q"]) if form.is_valid() else []
    )
    rows = presenters.check_rows(found, queries.members_of(found))
    if found:
        services.record_list_read(incident=incident, by=request.user, checks=found)
    context = {"form": form, "centre": centre, "rows": rows}
    return render_incident(request, incident, "incidents/check_in.html", **context)


@incident_view("GET", "POST", families=False)
def stand_down(request, incident):
    _lead_only(request)
    if not incident.is_open:
        return redirect("incidents:report", incident_id=incident.pk)
    form = StandDownForm(request.POST or None, incident=incident, by=request.user)
    if act_on(request, form, form.stand_down):
        messages.success(request, f"{incident.name} stood down.")
        return redirect("incidents:report", incident_id=incident.pk)
    context = {"form": form, "board": figures.board(incident), "button": "Stand down"}
    context["heading"] = f"Stand down {incident.name}"
    return render_incident(request, incident, "incidents/stand_down.html", **context)


@incident_view("GET", "POST", families=False)
def report(request, incident):
    """For learning: how soon families were reached, and how they were; and
    the incident's learning log."""
    form = LearningForm(request.POST or None, incident=incident, by=request.user)
    if act_on(request, form, form.record):
        messages.success(request, "Added to the incident's learning log.")
        return redirect("incidents:report", incident_id=incident.pk)
    services.record_report_read(incident=incident, by=request.user)
    context = {"report": figures.report(incident), "form": form, "button": "Add"}
    context["learning"] = incident.learning.select_related("written_by")
    return render_incident(request, incident, "incidents/report.html", **context)
