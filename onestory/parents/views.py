"""The family's own view: a parent's or carer's pages, on their own phone.

Signing in is a link sent to their own email address or mobile number, then
their date of birth; after that each page is `parent_page`, which finds their
family session by its own cookie. No page here reads a staff session, and no
staff page reads a family session.
"""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onestory.core import ratelimit
from onestory.core.forms import act_on
from onestory.core.permissions import for_family_members
from onestory.measures.forms import AnswersForm
from onestory.parents import queries, services
from onestory.parents.forms import (
    ActionDoneForm,
    DateOfBirthForm,
    SignInForm,
    SuggestionForm,
    WithdrawConsentForm,
)
from onestory.parents.pages import (
    for_parents,
    forget_session,
    parent_page,
    remember_session,
    render_parent_page,
)

# Sign-in links one address may ask for, and wrong or spent links it may
# open, in 15 minutes (each adult's own limit is domain.LINKS_PER_ADULT).
ASKS_PER_ADDRESS, GUESSES_PER_ADDRESS, WINDOW = 10, 30, 15 * 60
SIGN_IN_HEADING = "Sign in to your family's own view"


@for_family_members
@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and not ratelimit.allow(
        f"family-sign-in:{ratelimit.client_ip(request)}",
        limit=ASKS_PER_ADDRESS,
        window_seconds=WINDOW,
    ):
        return render(request, "parents/too_many.html", for_parents(None), status=429)
    if act_on(
        request,
        form,
        lambda data: services.ask_for_sign_in_links(
            address=data["address"], link_base=_link_base(request)
        ),
    ):
        return redirect("parents:link_sent")
    return _form_page(
        request, "parents/sign_in.html", None, form, SIGN_IN_HEADING, "Send me a link"
    )


def _form_page(request, template, area, form, heading, button):
    """A page of signing in, before there is a family session."""
    context = {**for_parents(area), "form": form, "heading": heading}
    return render(request, template, {**context, "button": button})


@for_family_members
@require_http_methods(["GET"])
def link_sent(request):
    return render(request, "parents/link_sent.html", for_parents(None))


def _link_base(request) -> str:
    base = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return base + reverse("parents:use_link", args=["TOKEN"]).removesuffix("TOKEN/")


@for_family_members
@require_http_methods(["GET", "POST"])
def use_link(request, token):
    """The link from the message, then the adult's date of birth."""
    guesses = f"family-link-guesses:{ratelimit.client_ip(request)}"
    if ratelimit.count(guesses) >= GUESSES_PER_ADDRESS:
        return _unusable(request, None, status=429)
    link = queries.find_link(token)
    if link is None or not services.usable(link, timezone.now()):
        ratelimit.hit(guesses, window_seconds=WINDOW)
        services.record_link_refusal(link=link, reason=_why_not(link))
        return _unusable(request, link, status=404)
    area = link.access.family.local_authority
    form = DateOfBirthForm(request.POST or None)
    try:
        done = act_on(
            request,
            form,
            lambda data: services.check_date_of_birth(
                link=link, date_of_birth=data["date_of_birth"]
            ),
        )
    except services.LinkNotUsable:  # the last try, or used meanwhile
        return _unusable(request, link, status=404)
    except services.AccessPaused:
        return render(request, "parents/paused.html", for_parents(area), status=403)
    if done:
        response = redirect("parents:home")
        remember_session(response, done.result)
        return response
    return _form_page(
        request, "parents/date_of_birth.html", area, form, "Check it is you", "Continue"
    )


def _why_not(link) -> str:
    if link is None:
        return "unknown"
    return "used" if link.used_at else "expired"


def _unusable(request, link, *, status):
    area = link.access.family.local_authority if link is not None else None
    return render(
        request, "parents/link_unusable.html", for_parents(area), status=status
    )


@parent_page("POST")
def sign_out(request, access):
    services.sign_out(session=request.family_session)
    response = redirect("parents:signed_out")
    forget_session(response)
    return response


@for_family_members
@require_http_methods(["GET"])
def signed_out(request):
    return render(request, "parents/signed_out.html", for_parents(None))


@parent_page("GET")
def home(request, access):
    return render_parent_page(
        request,
        access,
        "parents/home.html",
        practitioner=queries.lead_now(access.family),
        waiting=queries.waiting_suggestions(access.family).count(),
    )


@parent_page("GET")
def our_story(request, access):
    return render_parent_page(
        request,
        access,
        "parents/our_story.html",
        story=queries.latest_story(access.family),
        suggestions=queries.suggestions_of(access.family),
    )


@parent_page("GET", "POST")
def suggest(request, access):
    form = SuggestionForm(request.POST or None)
    if act_on(
        request,
        form,
        lambda data: services.suggest_story_change(
            access=access, kind=data["kind"], text=data["text"]
        ),
    ):
        messages.success(
            request, "Thank you. Your practitioner will read your suggestion."
        )
        return redirect("parents:our_story")
    return render_parent_page(
        request,
        access,
        "parents/suggest.html",
        form=form,
        heading="Suggest a change to your story",
        button="Send my suggestion",
    )


@parent_page("GET")
def our_plan(request, access):
    plan, actions = queries.plan_of(access.family)
    return render_parent_page(
        request, access, "parents/our_plan.html", plan=plan, actions=actions
    )


@parent_page("GET", "POST")
def action_done(request, access, action_id):
    row = queries.familys_action(access.family, action_id)
    form = ActionDoneForm(request.POST or None)
    if act_on(
        request,
        form,
        lambda data: services.mark_action_done(
            access=access, row=row, note=data["note"]
        ),
    ):
        messages.success(request, f"Marked done: {row.action.description}")
        return redirect("parents:our_plan")
    return render_parent_page(
        request,
        access,
        "parents/action_done.html",
        form=form,
        row=row,
        heading="Mark an action done",
        button="Mark as done",
    )


@parent_page("GET")
def who_can_see(request, access):
    family = access.family
    page = Paginator(queries.openings(family), 25).get_page(request.GET.get("page"))
    openings = queries.in_words(page, family.members.all())
    sharing = queries.who_can_see(family)
    template = "parents/who_can_see.html"
    context = {"sharing": sharing, "page_obj": page, "openings": openings}
    return render_parent_page(request, access, template, **context)


@parent_page("GET", "POST")
def withdraw_consent(request, access, consent_id):
    consent = queries.standing_consent(access.family, consent_id)
    form = WithdrawConsentForm(request.POST or None)
    if act_on(
        request,
        form,
        lambda data: services.withdraw_consent(
            access=access, consent=consent, note=data["note"]
        ),
    ):
        messages.success(
            request, f"{consent.organisation} can no longer see your family's record."
        )
        return redirect("parents:who_can_see")
    return render_parent_page(
        request,
        access,
        "parents/withdraw_consent.html",
        form=form,
        consent=consent,
        heading=f"Stop sharing with {consent.organisation}?",
        button="Stop sharing",
        warning_button=True,
    )


@parent_page("GET")
def our_progress(request, access):
    return render_parent_page(
        request,
        access,
        "parents/our_progress.html",
        sheets=queries.progress_of(access),
    )


@parent_page("GET")
def questionnaires(request, access):
    return render_parent_page(
        request,
        access,
        "parents/questionnaires.html",
        to_do=queries.questionnaires_to_do(access),
        today=timezone.localdate(),
    )


@parent_page("GET", "POST")
def fill_in(request, access, point_id):
    to_do = queries.review_point_to_do(access, point_id)
    form = AnswersForm(
        request.POST or None, instrument=to_do.instrument, require_all=True
    )
    if act_on(
        request,
        form,
        lambda data: services.complete_questionnaire(
            access=access, to_do=to_do, answers=form.answers()
        ),
    ):
        messages.success(
            request,
            "Thank you. Your answers have gone to your practitioner, who will "
            "talk them through with you.",
        )
        return redirect("parents:questionnaires")
    return render_parent_page(
        request,
        access,
        "parents/fill_in.html",
        form=form,
        instrument=to_do.instrument,
        to_do=to_do,
    )


@parent_page("GET")
def coming_up(request, access):
    return render_parent_page(
        request, access, "parents/coming_up.html", **queries.coming_up(access)
    )
