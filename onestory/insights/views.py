from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from onestory.accounts.models import EXACT_FIGURES_ROLES, REPORT_ROLES
from onestory.core import audit, exports
from onestory.core.forms import act_on
from onestory.core.models import AuditAction
from onestory.core.permissions import roles_required
from onestory.core.replica import reads_from_replica
from onestory.insights import (
    disclosure,
    domain,
    presenters,
    queries,
    stored,
)
from onestory.insights.forms import LearningEntryForm, ReportFilterForm
from onestory.insights.queries import GROUPS
from onestory.insights.queries.learning import learning_by_metric, newest_learning


def _filters(request):
    """The report's filters from the query string: the last full quarter and
    the whole area unless chosen."""
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("period"):
        data["period"] = domain.last_full_quarter(today).key
    form = ReportFilterForm(
        data, local_authority=request.user.organisation.local_authority_id, today=today
    )
    if not form.is_valid():
        return form, None
    chosen = form.cleaned_data
    scope = queries.Scope(
        local_authority_id=request.user.organisation.local_authority_id,
        period=domain.parse_period(chosen["period"]),
        hub_id=chosen["hub"] and chosen["hub"].pk,
        organisation_id=chosen["organisation"] and chosen["organisation"].pk,
        team_id=chosen["team"] and chosen["team"].pk,
        level=chosen["level"],
        programme_id=chosen["programme"] and chosen["programme"].pk,
        group=chosen["group"],
    )
    return form, scope


def _described(form, scope) -> str:
    chosen = form.cleaned_data
    parts = [scope.period.label]
    for name in ("hub", "organisation", "team", "programme"):
        if chosen[name]:
            parts.append(f"{form.fields[name].label}: {chosen[name]}")
    if chosen["level"]:
        parts.append(f"Level: {scope.level}")
    if chosen["group"]:
        parts.append(f"Families: {dict(GROUPS)[chosen['group']]}")
    return "; ".join(parts)


def _audit(request, action, scope, **detail):
    with transaction.atomic():
        audit.record(
            action=action,
            by=request.user,
            detail={
                "period": scope.period.key,
                "query": request.GET.urlencode(),
                **detail,
            },
        )


def _report_context(request, scope, form, *, suppress, learning=True):
    sections, points = stored.figures(scope)
    shown = (
        presenters.suppression(sections, points, scope.period)
        if suppress
        else disclosure.Shown()
    )
    return {
        "form": form,
        "scope": scope,
        "described": _described(form, scope),
        "sections": presenters.page_sections(
            sections, learning_by_metric(scope) if learning else {}, shown
        ),
        "suppress": suppress,
        "charts": presenters.charts(points, shown),
        "query": _without_period(request),
        "months": [
            month
            for month in scope.period.months()
            if month.start <= timezone.localdate()
        ],
    }


def _without_period(request) -> str:
    """The chosen filters, for links that then name their own period."""
    filters = request.GET.copy()
    filters.pop("period", None)
    return filters.urlencode()


@roles_required(*REPORT_ROLES)
@require_GET
@reads_from_replica
def service_report(request):
    """The service report for a period: every figure with how it is worked out."""
    form, scope = _filters(request)
    if scope is None:
        return render(request, "insights/service_report.html", {"form": form})
    suppress = not request.user.roles & EXACT_FIGURES_ROLES
    _audit(request, AuditAction.VIEW_REPORT, scope)
    context = _report_context(request, scope, form, suppress=suppress)
    return render(request, "insights/service_report.html", context)


@roles_required(*REPORT_ROLES)
@require_GET
@reads_from_replica
def print_report(request):
    """The commissioner's report, for printing or saving as PDF: small numbers
    suppressed whoever prints it."""
    form, scope = _filters(request)
    if scope is None:
        return redirect("insights:service_report")
    _audit(request, AuditAction.EXPORT_REPORT, scope, format="print")
    # The printable report leaves the service: figures only, no team's notes.
    context = _report_context(request, scope, form, suppress=True, learning=False)
    return render(request, "insights/print_report.html", context)


@roles_required(*REPORT_ROLES)
@require_GET
@reads_from_replica
def export_report(request, file_format):
    """The report as CSV or XLSX: small numbers always suppressed; audited."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form, scope = _filters(request)
    if scope is None:
        return redirect("insights:service_report")
    # The same suppression as the page and the printable report: the run
    # charts' months are in it, though not in the file.
    sections, points = stored.figures(scope)
    shown = presenters.suppression(sections, points, scope.period)
    rows = list(presenters.export_rows(sections, _described(form, scope), shown))
    _audit(request, AuditAction.EXPORT_REPORT, scope, format=file_format)
    name = f"service-report-{scope.period.key}"
    columns = presenters.EXPORT_COLUMNS
    if file_format == "xlsx":
        return exports.xlsx_response(f"{name}.xlsx", "Service report", columns, rows)
    return exports.csv_response(f"{name}.csv", columns, rows)


@roles_required(*REPORT_ROLES)
@require_GET
def learning_log(request):
    """What teams have learned, newest first."""
    entries = newest_learning(request.user)
    return render(request, "insights/learning_log.html", {"entries": entries})


@roles_required(*REPORT_ROLES)
@require_http_methods(["GET", "POST"])
def record_learning(request):
    """Add to the learning log: a question, what was tried and noticed, and
    what comes next; linked to a figure and a period."""
    form = LearningEntryForm(
        request.POST or None,
        local_authority=request.user.organisation.local_authority_id,
        user=request.user,
        initial={name: request.GET.get(name, "") for name in ("metric", "period")},
    )
    if done := act_on(request, form, form.record):
        messages.success(request, "Added to the learning log.")
        return redirect(_in_report(done.result))
    return render(request, "insights/record_learning.html", {"form": form})


def _in_report(entry) -> str:
    """The report's period of a learning entry, at its figure."""
    url = reverse("insights:service_report")
    return f"{url}?period={entry.period}#metric-{entry.metric_codes[0]}"
