from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestory.accounts.models import FAMILY_ROLES, LocalAuthority, Role
from onestory.accounts.presenters import for_families
from onestory.core import audit, ratelimit
from onestory.core.forms import act_on, posted_id
from onestory.core.models import AuditAction
from onestory.core.permissions import public, roles_required, signed_in
from onestory.families.pages import family_view, render_family_page
from onestory.programmes import queries, services
from onestory.programmes.forms import (
    BookPlaceForm,
    FeedbackForm,
    HeadCountForm,
    QuoteFilterForm,
    RegisterForm,
    RunCourseForm,
)


@roles_required(*FAMILY_ROLES)
@require_GET
def courses(request):
    return render(
        request,
        "programmes/courses.html",
        {"courses": queries.courses_in_area(request.user)},
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def run_course(request):
    form = RunCourseForm(request.POST or None, user=request.user)
    if done := act_on(request, form, form.run_course):
        messages.success(request, "Course set up.")
        return redirect("programmes:show_course", course_id=done.result.pk)
    return render(request, "programmes/run_course.html", {"form": form})


@roles_required(*FAMILY_ROLES)
@require_GET
def show_course(request, course_id):
    course = queries.get_course(request.user, course_id)
    is_facilitator = queries.facilitates(request.user, course)
    places = queries.people_on(course, request.user, is_facilitator=is_facilitator)
    _audit_names_read(request.user, course, [p.place for p in places if p.shown])
    return render(
        request,
        "programmes/show_course.html",
        {
            "course": course,
            "is_facilitator": is_facilitator,
            "sessions": list(course.sessions.all()),
            "places": places,
        },
    )


def _audit_names_read(user, course, places) -> None:
    """Names on a course are family data: reading them is audited, with the
    families named (ids only)."""
    if places:
        audit.record(
            action=AuditAction.VIEW_COURSE,
            by=user,
            obj=course,
            detail={"families": sorted({str(p.person.family_id) for p in places})},
        )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def take_register(request, course_id, number):
    """A facilitator's register of names, or a drop-in's head count."""
    course = queries.get_facilitated_course(request.user, course_id)
    session = queries.get_session(course, number)
    form = _register_form(request, course, session)
    if done := act_on(request, form, form.record):
        messages.success(request, done.result)
        return redirect("programmes:show_course", course_id=course.pk)
    return render(
        request,
        "programmes/take_register.html",
        {
            "course": course,
            "session": session,
            "form": form,
            "not_yet": services.register_not_yet(session),
        },
    )


def _register_form(request, course, session) -> HeadCountForm | RegisterForm:
    data, user = request.POST or None, request.user
    if course.anonymous_head_count:
        return HeadCountForm(data, session=session, user=user)
    lines = queries.register(session)
    _audit_names_read(user, course, [line.place for line in lines])
    return RegisterForm(data, session=session, lines=lines, user=user)


@family_view("GET", "POST")
def book_place(request, family):
    form = BookPlaceForm(request.POST or None, family=family, user=request.user)
    if done := act_on(request, form, form.book_place):
        messages.success(request, done.result)
        return redirect("families:family_courses", family_id=family.pk)
    return render_family_page(request, family, "programmes/book_place.html", form=form)


FEEDBACK_PER_HOUR = 10


@public
@require_http_methods(["GET", "POST"])
def give_feedback(request, local_authority_id):
    """A family tells us what they think, without signing in, through their
    local authority's link: only that area's hubs are offered."""
    area = get_object_or_404(LocalAuthority, pk=local_authority_id)
    form = FeedbackForm(request.POST or None, local_authority_id=area.pk)
    if request.method == "POST" and not _feedback_allowed(request):
        limit = "programmes/feedback_limit.html"
        return render(request, limit, for_families(area), status=429)
    if act_on(request, form, form.give):
        return redirect("programmes:feedback_thanks", area.pk)
    context = {"form": form, **for_families(area)}
    return render(request, "programmes/give_feedback.html", context)


def _feedback_allowed(request) -> bool:
    """FEEDBACK_PER_HOUR posts an hour from one address."""
    key = f"feedback:{ratelimit.client_ip(request)}"
    return ratelimit.allow(key, limit=FEEDBACK_PER_HOUR, window_seconds=60 * 60)


@public
@require_GET
def feedback_thanks(request, local_authority_id=None):
    area = None
    if local_authority_id is not None:
        area = get_object_or_404(LocalAuthority, pk=local_authority_id)
    return render(request, "programmes/feedback_thanks.html", for_families(area))


@signed_in
@require_http_methods(["GET", "POST"])
def record_feedback(request):
    """Staff record what a family said in person, with its themes."""
    form = FeedbackForm(
        request.POST or None,
        local_authority_id=request.user.organisation.local_authority_id,
        themes=True,
        by=request.user,
    )
    if act_on(request, form, form.give):
        messages.success(request, "Feedback recorded.")
        return redirect("programmes:quotes")
    context = {"form": form, "families_link": _families_link(request)}
    return render(request, "programmes/record_feedback.html", context)


def _families_link(request) -> str:
    """The area's link for families to give feedback themselves."""
    base = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    area = request.user.organisation.local_authority_id
    return base + reverse("programmes:give_feedback", args=[area])


@signed_in
@require_GET
def quotes(request):
    """What families say: quotes they agreed to share, newest first, by hub and
    programme. No names, ever."""
    area = request.user.organisation.local_authority_id
    form = QuoteFilterForm(request.GET or None, local_authority_id=area)
    found = queries.quotes_shown(form.hubs, form.chosen())
    to_check = queries.quotes_to_check(request.user, form.hubs)
    context = {"form": form, "to_check": to_check, **_page_of(request, found)}
    return render(request, "programmes/quotes.html", context)


def _page_of(request, found, per_page=20) -> dict:
    """The page asked for, and the query string its links keep."""
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(found, per_page).get_page(request.GET.get("page"))
    return {"page_obj": page, "query_string": query.urlencode()}


@roles_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def check_quotes(request):
    """Quotes waiting to be read before they are shown, oldest first."""
    waiting = queries.quotes_waiting(request.user)
    if request.method == "POST":
        feedback = get_object_or_404(waiting, pk=posted_id(request.POST, "feedback"))
        show = request.POST.get("decision") == "show"
        services.check_quote(feedback=feedback, show=show, by=request.user)
        messages.success(request, QUOTE_SHOWN if show else QUOTE_KEPT_OUT)
        return redirect("programmes:check_quotes")
    oldest = waiting.order_by("given_at")[:20]
    return render(request, "programmes/check_quotes.html", {"waiting": oldest})


QUOTE_SHOWN, QUOTE_KEPT_OUT = "Quote shown.", "Quote kept out of what families say."


@roles_required(*FAMILY_ROLES)
@require_POST
def leave_course(request, course_id, place_id):
    """A facilitator records someone leaving; the first waiting gets the place."""
    course = queries.get_facilitated_course(request.user, course_id)
    place = queries.get_place(course, place_id)
    promoted = services.leave_course(place=place, by=request.user)
    messages.success(request, "Recorded as left." + (PROMOTED if promoted else ""))
    return redirect("programmes:show_course", course_id=course.pk)


PROMOTED = " The first on the waiting list now has the place."
