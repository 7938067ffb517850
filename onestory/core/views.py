from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_GET, require_POST

from onestory.core import audit_search, downloads, errors
from onestory.core.forms import AuditSearchForm
from onestory.core.permissions import public, roles_required, signed_in
from onestory.core.roles import FAMILY_ROLES, Role

# Where each role's work is, in this order for someone holding several.
HOMES = [
    (Role.COMMISSIONER, "insights:service_report"),
    (Role.SUPERVISOR, "workforce:supervision_given"),
    (Role.INFORMATION_GOVERNANCE, "core:audit_trail"),
    (Role.EMERGENCY_LEAD, "incidents:incidents"),
]


@public
@require_GET
def start(request):
    """Each member of staff starts where their work is."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:sign_in")
    if user.reads_family_records:
        return redirect("families:my_caseload")
    for role, home in HOMES:
        if role in user.roles:
            return redirect(home)
    if user.uses_administration:
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


@roles_required(Role.INFORMATION_GOVERNANCE)
@require_GET
def audit_trail(request):
    """For investigations: who did what, to which family, when; and a CSV."""
    form = AuditSearchForm(request.GET or None)
    page = None
    query = request.GET.copy()
    query.pop("page", None)
    if form.is_bound and form.is_valid():
        if query.pop("format", None) == ["csv"]:
            return downloads.respond(request, "audit-trail", "csv", query.dict())
        page = audit_search.search(form, request.user, request.GET.get("page"))
    context = {"form": form, "page_obj": page, "query_string": query.urlencode()}
    return render(request, "core/audit_trail.html", context)


@signed_in
@require_GET
def download(request, download_id):
    """A large download's page: its progress while the worker makes it, then
    the link to the file; the owner's alone."""
    found = downloads.of(request.user, download_id)
    if found is None:
        return _gone(request, download_id)
    context = downloads.progress(request.user, found)
    return render(request, "core/download.html", context)


def _gone(request, download_id):
    """Expired downloads say so; anyone else's do not exist."""
    if not downloads.has_expired(request.user, download_id):
        raise Http404
    return render(request, "core/download_expired.html", status=410)


@signed_in
@require_GET
def download_file(request, download_id):
    """The prepared file, streamed a part at a time; each fetch audited."""
    found = downloads.of(request.user, download_id)
    if found is None:
        return _gone(request, download_id)
    if not downloads.may_fetch(request.user, found):
        return redirect(found)
    return downloads.fetch(request.user, found)


@signed_in
@require_POST
def download_again(request, download_id):
    """Ask again for a download that could not be made."""
    found = downloads.of(request.user, download_id)
    if found is None:
        return _gone(request, download_id)
    downloads.ask_again(found)
    return redirect(found)


@signed_in
@require_GET
def my_downloads(request):
    """The user's downloads of the last day."""
    roles = request.user.roles
    context = {
        "downloads": downloads.recent(request.user),
        "may_download_caseload": bool(FAMILY_ROLES & roles),
        "may_search_audit": Role.INFORMATION_GOVERNANCE in roles,
    }
    return render(request, "core/my_downloads.html", context)
