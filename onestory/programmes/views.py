import uuid
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestory.accounts.models import FAMILY_ROLES, Hub, LocalAuthority, Role, User
from onestory.accounts.presenters import for_families
from onestory.core import audit, ratelimit
from onestory.core.models import AuditAction
from onestory.core.permissions import public, roles_required, signed_in
from onestory.families.pages import render_family_page
from onestory.families.queries import get_visible_family
from onestory.programmes import queries, services
from onestory.programmes.forms import (
    BookPlaceForm,
    FeedbackForm,
    HeadCountForm,
    QuoteFilterForm,
    RegisterForm,
    RunCourseForm,
)
from onestory.programmes.models import (
    CourseSession,
    Delivery,
    Feedback,
    FeedbackTheme,
    Place,
    Programme,
)
from onestory.workforce.queries import NotAccredited


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
    form = RunCourseForm(
        request.POST or None,
        programmes=Programme.objects.filter(active=True).exclude(
            delivery=Delivery.ONE_TO_ONE
        ),
        hubs=Hub.objects.in_area_of(request.user),
        staff=User.objects.in_area_of(request.user)
        .filter(role_grants__role__in=FAMILY_ROLES)
        .distinct(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        first = timezone.make_aware(
            datetime.combine(data["first_session_on"], data["first_session_time"])
        )
        try:
            course = services.run_course(
                programme=data["programme"],
                hub=data["hub"],
                title=data["title"],
                facilitators=list(data["facilitators"]),
                first_session_at=first,
                sessions=data["sessions"],
                venue=data["venue"],
                capacity=data["capacity"],
                sessions_to_complete=data["sessions_to_complete"],
                anonymous_head_count=data["anonymous_head_count"],
                by=request.user,
            )
        except NotAccredited as refusal:
            form.add_error("facilitators", str(refusal))
        else:
            messages.success(request, "Course set up.")
            return redirect("programmes:show_course", course_id=course.pk)
    return render(request, "programmes/run_course.html", {"form": form})


@roles_required(*FAMILY_ROLES)
@require_GET
def show_course(request, course_id):
    course = queries.get_course(request.user, course_id)
    places = queries.people_on(course, request.user)
    _audit_names_read(request.user, course, [p.place for p in places if p.shown])
    return render(
        request,
        "programmes/show_course.html",
        {
            "course": course,
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
    course = queries.get_course(request.user, course_id)
    if not course.is_facilitator:
        raise PermissionDenied
    session = get_object_or_404(CourseSession, course=course, number=number)
    if course.anonymous_head_count:
        form = HeadCountForm(
            request.POST or None, initial={"head_count": session.head_count}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.record_head_count(
                    session=session,
                    count=form.cleaned_data["head_count"],
                    by=request.user,
                )
            except services.SessionNotYet as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"Head count saved for session {number}.")
                return redirect("programmes:show_course", course_id=course.pk)
    else:
        places = queries.register(session)
        _audit_names_read(request.user, course, places)
        form = RegisterForm(request.POST or None, places=places)
        if request.method == "POST" and form.is_valid():
            try:
                marked = services.take_register(
                    session=session, marks=form.marks(), by=request.user
                )
            except services.SessionNotYet as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"Register saved: {marked} marked.")
                return redirect("programmes:show_course", course_id=course.pk)
    return render(
        request,
        "programmes/take_register.html",
        {
            "course": course,
            "session": session,
            "form": form,
            "not_yet": None
            if session.register_is_open
            else services.register_not_yet_message(session),
        },
    )


@roles_required(*FAMILY_ROLES)
@require_http_methods(["GET", "POST"])
def book_place(request, family_id):
    family = get_visible_family(request.user, family_id)
    form = BookPlaceForm(
        request.POST or None,
        people=family.members.all(),
        courses=queries.courses_in_area(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            place = services.book_place(
                course=form.cleaned_data["course"],
                person=form.cleaned_data["person"],
                by=request.user,
            )
        except services.AlreadyOnCourse:
            form.add_error("course", "They already have a place on this course")
        else:
            messages.success(
                request,
                "Place booked."
                if place.status == "booked"
                else "The course is full: they are on the waiting list.",
            )
            return redirect("families:family_courses", family_id=family.pk)
    return render_family_page(request, family, "programmes/book_place.html", form=form)


FEEDBACK_PER_HOUR = 10


def _feedback_choices(local_authority_id=None):
    hubs = Hub.objects.all()
    if local_authority_id is not None:
        hubs = hubs.filter(organisation__local_authority_id=local_authority_id)
    return {"hubs": hubs, "programmes": Programme.objects.filter(active=True)}


@public
@require_http_methods(["GET", "POST"])
def give_feedback(request, local_authority_id):
    """A family tells us what they think, without signing in, through their
    local authority's link: only that area's hubs are offered."""
    area = get_object_or_404(LocalAuthority, pk=local_authority_id)
    form = FeedbackForm(request.POST or None, **_feedback_choices(area.pk))
    if request.method == "POST":
        if not ratelimit.allow(
            f"feedback:{ratelimit.client_ip(request)}",
            limit=FEEDBACK_PER_HOUR,
            window_seconds=60 * 60,
        ):
            return render(
                request,
                "programmes/feedback_limit.html",
                for_families(area),
                status=429,
            )
        if form.is_valid():
            services.give_feedback(**form.cleaned_data)
            return redirect("programmes:feedback_thanks", area.pk)
    return render(
        request,
        "programmes/give_feedback.html",
        {"form": form, **for_families(area)},
    )


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
        themes=FeedbackTheme.objects.all(),
        **_feedback_choices(request.user.organisation.local_authority_id),
    )
    if request.method == "POST" and form.is_valid():
        services.give_feedback(**form.cleaned_data, by=request.user)
        messages.success(request, "Feedback recorded.")
        return redirect("programmes:quotes")
    base = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    families_link = base + reverse(
        "programmes:give_feedback", args=[request.user.organisation.local_authority_id]
    )
    return render(
        request,
        "programmes/record_feedback.html",
        {"form": form, "families_link": families_link},
    )


@signed_in
@require_GET
def quotes(request):
    """What families say: quotes they agreed to share, newest first, by hub and
    programme. No names, ever."""
    choices = _feedback_choices(request.user.organisation.local_authority_id)
    form = QuoteFilterForm(request.GET or None, **choices)
    found = (
        Feedback.objects.filter(quote_shown=True, hub__in=choices["hubs"])
        .select_related("hub", "programme")
        .prefetch_related("themes")
    )
    if form.is_valid():
        for name in ("hub", "programme"):
            if form.cleaned_data[name]:
                found = found.filter(**{name: form.cleaned_data[name]})
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    to_check = (
        Feedback.objects.filter(
            consent_to_quote=True,
            quote_checked_at=None,
            hub__in=choices["hubs"],
        ).count()
        if Role.TEAM_MANAGER in request.user.roles
        else 0
    )
    return render(
        request,
        "programmes/quotes.html",
        {
            "form": form,
            "page_obj": page,
            "query_string": query.urlencode(),
            "to_check": to_check,
        },
    )


@roles_required(Role.TEAM_MANAGER)
@require_http_methods(["GET", "POST"])
def check_quotes(request):
    """Quotes waiting to be read before they are shown, oldest first."""
    waiting = (
        Feedback.objects.in_area_of(request.user)
        .filter(consent_to_quote=True, quote_checked_at=None)
        .select_related("hub", "programme")
    )
    if request.method == "POST":
        feedback = get_object_or_404(waiting, pk=_uuid_or_404(request.POST))
        show = request.POST.get("decision") == "show"
        services.check_quote(feedback=feedback, show=show, by=request.user)
        messages.success(
            request, "Quote shown." if show else "Quote kept out of what families say."
        )
        return redirect("programmes:check_quotes")
    return render(
        request,
        "programmes/check_quotes.html",
        {"waiting": waiting.order_by("given_at")[:20]},
    )


def _uuid_or_404(data, name="feedback"):
    """A posted reference that is not a reference finds nothing (not a 500)."""
    try:
        return uuid.UUID(data.get(name, ""))
    except ValueError:
        raise Http404 from None


@roles_required(*FAMILY_ROLES)
@require_POST
def leave_course(request, course_id, place_id):
    """A facilitator records that someone has left; the first waiting gets the
    place."""
    course = queries.get_course(request.user, course_id)
    if not course.is_facilitator:
        raise PermissionDenied
    place = get_object_or_404(Place, pk=place_id, course=course)
    promoted = services.leave_course(place=place, by=request.user)
    messages.success(
        request,
        "Recorded as left."
        + (" The first on the waiting list now has the place." if promoted else ""),
    )
    return redirect("programmes:show_course", course_id=course.pk)
