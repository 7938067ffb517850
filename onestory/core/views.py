from django.core.paginator import Paginator
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_GET

from onestory.accounts.models import Role
from onestory.core import audit, errors, exports
from onestory.core.forms import AuditSearchForm
from onestory.core.models import AuditAction
from onestory.core.permissions import public, roles_required


@public
@require_GET
def start(request):
    if not request.user.is_authenticated:
        return redirect("accounts:sign_in")
    if request.user.reads_family_records:
        return redirect("families:my_caseload")
    if request.user.uses_administration:
        return redirect("admin:index")
    return render(request, "core/start.html")


@public
@require_GET
def accessibility_statement(request):
    return render(request, "core/accessibility_statement.html")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    # A session that could not be saved after the view (a full disk) arrives as
    # a bad request (SessionInterrupted); the view's own COMMIT went through.
    if unavailable := errors.unavailable_response(request, exception, after_view=True):
        return unavailable
    template = loader.get_template("400.html")
    body = template.render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseBadRequest(body)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a GOV.UK page in place of Django's own (reason is
    logged by Django as `Forbidden (CSRF ...)`, never shown)."""
    template = loader.get_template("403_csrf.html")
    body = template.render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseForbidden(body)


def server_error(request):
    # A database that is full, read-only or unreachable, found in middleware
    # before any view ran (loading the session, setting the tenant), gets the
    # 503 page rather than this one.
    if unavailable := errors.unavailable_response(request, errors.current_exception()):
        return unavailable
    # Rendered without context processors: the failure may lie in one of them.
    template = loader.get_template("500.html")
    body = template.render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(body)


AUDIT_COLUMNS = [
    "Position",
    "When (UTC)",
    "Who",
    "Roles",
    "Organisation",
    "Action",
    "Outcome",
    "Family reference",
    "Person reference",
    "Record",
    "Fields changed",
    "Request id",
    "Source address",
    "Emergency access",
]


def _audit_events(form, user):
    from onestory.core.models import AuditEvent

    # The lead's own local authority's staff only.
    events = AuditEvent.objects.select_related("actor", "actor_organisation").filter(
        actor_organisation__local_authority_id=user.organisation.local_authority_id
    )
    data = form.cleaned_data
    if data.get("email"):
        events = events.filter(actor__email=data["email"].lower())
    if data.get("family"):
        events = events.filter(family_id=data["family"])
    if data.get("since"):
        events = events.filter(occurred_at__date__gte=data["since"])
    if data.get("until"):
        events = events.filter(occurred_at__date__lte=data["until"])
    return events.order_by("-sequence")


@roles_required(Role.INFORMATION_GOVERNANCE)
@require_GET
def audit_trail(request):
    """For investigations: who did what, to which family, when; and a CSV."""
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        events = _audit_events(form, request.user)
        filters = sorted(k for k, v in form.cleaned_data.items() if v)
        if request.GET.get("format") == "csv":
            rows = [_audit_row(event) for event in events.iterator(chunk_size=2000)]
            audit.record(
                action=AuditAction.EXPORT_AUDIT,
                by=request.user,
                detail={"filters": filters, "rows": len(rows)},
            )
            return exports.csv_response("audit-trail.csv", AUDIT_COLUMNS, rows)
        page = Paginator(events, 50).get_page(request.GET.get("page"))
        audit.record(
            action=AuditAction.SEARCH_AUDIT,
            by=request.user,
            detail={"filters": filters},
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_trail.html",
        {"form": form, "page_obj": page, "query_string": query.urlencode()},
    )


def _audit_row(event) -> list:
    return [
        event.sequence,
        event.occurred_at.isoformat(),
        event.actor.email if event.actor else "",
        event.actor_roles,
        str(event.actor_organisation or ""),
        event.get_action_display(),
        event.outcome,
        str(event.family_id or ""),
        str(event.person_id or ""),
        f"{event.object_type} {event.object_id}".strip(),
        " ".join(event.changed_fields),
        event.request_id,
        event.source_ip or "",
        event.detail.get("break_glass", ""),
    ]
