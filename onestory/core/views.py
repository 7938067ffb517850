from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.http import require_GET

from onestory.core.permissions import public


@public
@require_GET
def start(request):
    if not request.user.is_authenticated:
        return redirect("accounts:sign_in")
    if request.user.reads_family_records:
        return redirect("families:my_caseload")
    if request.user.is_administrator:
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


def server_error(request):
    # Rendered without context processors: the failure may lie in one of them.
    template = loader.get_template("500.html")
    body = template.render({"request_id": getattr(request, "request_id", "")})
    return HttpResponseServerError(body)
