"""Questionnaires a parent fills in themselves: the link a practitioner sends,
and the parent's pages, which need no sign-in."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from onestory.accounts.models import CLINICAL_ROLES, LocalAuthority
from onestory.accounts.presenters import for_families
from onestory.core import ratelimit
from onestory.core.forms import act_on
from onestory.core.permissions import public
from onestory.families.pages import family_view, render_family_page
from onestory.measures import instruments, links, queries
from onestory.measures.forms import AnswersForm, SendLinkForm


@family_view("GET", "POST", roles=CLINICAL_ROLES)
def send_questionnaire_link(request, family):
    link_base, user = _link_base(request), request.user
    form = SendLinkForm(
        request.POST or None, family=family, user=user, link_base=link_base
    )
    if act_on(request, form, form.send):
        messages.success(request, LINK_SENT)
        return redirect("families:family_questionnaires", family_id=family.pk)
    no_carers = not form.carers.exists()
    return render_family_page(
        request,
        family,
        "measures/send_questionnaire_link.html",
        form=form,
        not_offered=form.not_offered,
        no_carers=no_carers,
    )


LINK_SENT = "Link sent. The answers will appear here for you to review."


def _link_base(request) -> str:
    base = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return base + reverse(
        "measures:complete_questionnaire", args=["TOKEN"]
    ).removesuffix("TOKEN/")


# Wrong or spent links one address may try, and requests one link may take,
# in 15 minutes.
LINK_GUESSES, LINK_USES, LINK_WINDOW = 30, 30, 15 * 60


@public
@require_http_methods(["GET", "POST"])
def complete_questionnaire(request, token):
    """The parent's page: no sign-in, one use, and nothing shown to a wrong token."""
    # Guesses are limited per address (behind the proxy: the parent's own, see
    # core/addresses.py), and uses of one link per link, so that parents at one
    # hub's Wi-Fi never share a limit.
    guesses = f"link-guesses:{ratelimit.client_ip(request)}"
    if ratelimit.count(guesses) >= LINK_GUESSES:
        return _unavailable(request, None, status=429)
    link = links.find_link(token)
    if link is None or not link.is_usable():
        ratelimit.hit(guesses, window_seconds=LINK_WINDOW)
        links.record_link_refusal(link=link, reason=_refusal_reason(link))
        return _unavailable(request, link, status=404)
    if not ratelimit.allow(
        f"link:{link.pk}", limit=LINK_USES, window_seconds=LINK_WINDOW
    ):
        return _unavailable(request, link, status=429)
    instrument = queries.with_licensed_text(instruments.get(link.instrument_code))
    if instrument.self_completion_refusal():
        # Its licensed wording was withdrawn after the link was sent.
        return _unavailable(request, link, status=404)
    return _answer(request, link, instrument)


def _answer(request, link, instrument):
    form = AnswersForm(request.POST or None, instrument=instrument, require_all=True)
    if request.method == "POST" and form.is_valid():
        try:
            links.complete_questionnaire_link(link=link, answers=form.answers())
        except links.LinkNotUsable:  # used or expired since the page was shown
            return _unavailable(request, link, status=404)
        return redirect("measures:questionnaire_done", link.local_authority_id)
    return render(
        request,
        "measures/complete_questionnaire.html",
        {"form": form, "instrument": instrument, **for_families(link.local_authority)},
    )


def _unavailable(request, link, *, status):
    """A link that was sent names its area and how to contact it; a made-up
    one gets the same page with neither."""
    area = link.local_authority if link is not None else None
    return render(
        request, "measures/link_unavailable.html", for_families(area), status=status
    )


def _refusal_reason(link) -> str:
    if link is None:
        return "unknown"
    return "used" if link.used_at else "expired"


@public
@require_http_methods(["GET"])
def questionnaire_done(request, local_authority_id=None):
    """After the answers are sent: the area the link came from, if named."""
    area = None
    if local_authority_id is not None:
        area = get_object_or_404(LocalAuthority, pk=local_authority_id)
    return render(request, "measures/questionnaire_done.html", for_families(area))
