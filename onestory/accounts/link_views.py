"""The one-time link an administrator sends (accounts/administration.py): the
member of staff chooses their password, or proves it, then sets up their
authenticator app. Only then are they signed in."""

import time

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onestory.accounts import administration
from onestory.accounts.forms import ChoosePasswordForm, ConfirmPasswordForm
from onestory.accounts.models import Authenticator, SetUpLinkKind
from onestory.core.permissions import public

# The session key saying this session came through a set-up link for a user:
# the only way an account marked `enrol_by_link` may set up its app.
ENROLLING_BY_LINK = "onestory_enrolling_by_link"


@public
@require_http_methods(["GET", "POST"])
def set_up_link(request, token):
    link = administration.find_link(token)
    if link is None:
        return _invalid(request)
    user = link.user
    choosing = link.kind == SetUpLinkKind.PASSWORD
    form_class = ChoosePasswordForm if choosing else ConfirmPasswordForm
    form = form_class(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["new_password"] if choosing else None
        if not administration.use_link(link=link, password=password):
            return _invalid(request)
        if Authenticator.objects.filter(user=user).exists():
            messages.success(request, "Your password is set. Sign in with it now.")
            return redirect("accounts:sign_in")
        return _to_app_set_up(request, user)
    return render(
        request, "accounts/set_up_link.html", {"form": form, "choosing": choosing}
    )


def _invalid(request):
    return render(
        request,
        "accounts/set_up_link_invalid.html",
        {"hours": administration.SET_UP_LINK_HOURS},
        status=404,
    )


def _to_app_set_up(request, user):
    from onestory.accounts import views

    request.session.cycle_key()
    request.session[views.PENDING_USER] = str(user.pk)
    request.session[views.PENDING_SINCE] = time.time()
    request.session[views.PENDING_NEXT] = "/"
    request.session[ENROLLING_BY_LINK] = str(user.pk)
    return redirect("accounts:set_up_second_factor")
