from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from onestory.accounts import services
from onestory.accounts.forms import SignInForm
from onestory.core.permissions import public, signed_in


@public
@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST":
        if form.is_valid():
            login(request, form.user)
            services.record_sign_in(user=form.user)
            return redirect(_safe_next(request))
        services.record_failed_sign_in(email=request.POST.get("email", ""))
    return render(
        request, "accounts/sign_in.html", {"form": form, "next": _safe_next(request)}
    )


@signed_in
@require_POST
def sign_out(request):
    services.record_sign_out(user=request.user)
    logout(request)
    return redirect("accounts:signed_out")


@public
@require_http_methods(["GET"])
def signed_out(request):
    return render(request, "accounts/signed_out.html")


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"
