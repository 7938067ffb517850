"""The one way to declare and render a page of the family's own view.

A page is for an adult signed in to it: their family session is found from
its own cookie (never the staff session's), it lasts while it is used
(domain.SESSION_IDLE) and ends when their access is paused. Without one the
page answers with the sign-in page. Each page read is audited with the adult
as the actor before it is rendered.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onestory.accounts.presenters import for_families
from onestory.core.permissions import for_family_members
from onestory.parents import domain, queries, services


def parent_page(*methods: str):
    """Declare a page of the family's own view; the view is called with the
    adult's access (their person and family) in place of the request's user:

        @parent_page("GET")
        def our_story(request, access): ...
    """

    def decorator(view):
        @for_family_members
        @require_http_methods(methods)
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            key = request.COOKIES.get(cookie_name(), "")
            session = queries.session_for(key)
            if session is None:
                response = redirect("parents:sign_in")
                if key:
                    forget_session(response)
                return response
            services.touch(session, timezone.now())
            request.family_session = session
            return view(request, session.access, *args, **kwargs)

        return wrapped

    return decorator


def render_parent_page(request, access, template, *, status=200, **context):
    """Audit the read (the page's name, from its template), then render it."""
    page = template.rsplit("/", 1)[-1].removesuffix(".html")
    services.record_page(access=access, page=page)
    return render(
        request,
        template,
        {
            **for_parents(access.family.local_authority),
            "access": access,
            "family_member_name": access.person.full_name,
            "family_sign_out_url": reverse("parents:sign_out"),
            **context,
        },
        status=status,
    )


def for_parents(area) -> dict:
    """What every page for parents has: the area's name in the header, its
    contact, and no staff account in the header even if a member of staff is
    signed in on the same phone."""
    return {**for_families(area), "signed_in_user": None, "primary_navigation": []}


def cookie_name() -> str:
    """Its own cookie, never the staff session's; with the __Host- prefix
    (secure, for this host, path /) wherever cookies are secure."""
    secure = settings.SESSION_COOKIE_SECURE
    return f"__Host-{domain.SESSION_COOKIE}" if secure else domain.SESSION_COOKIE


def remember_session(response, key: str) -> None:
    response.set_cookie(
        cookie_name(),
        key,
        max_age=int(domain.SESSION_LONGEST.total_seconds()),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_session(response) -> None:
    response.delete_cookie(cookie_name(), path="/", samesite="Lax")


def sign_in_url(request) -> str:
    """Where an invited adult starts: the sign-in page (in their invitation)."""
    base = settings.PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    return base + reverse("parents:sign_in")
