"""Every form endpoint takes a form: a post whose body is JSON, plain text or
anything but a form encoding is answered 400 with a message (the GOV.UK 400
page), before any view reads it (security.md R23).

The one exception is a view marked `takes_json`, for a machine's call (GOV.UK
Notify's delivery receipts): it is posted JSON, and only JSON, and checks its
caller itself."""

from django.http import HttpResponseBadRequest
from django.template import loader
from django.urls import Resolver404, resolve

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
BODY_METHODS = ("POST", "PUT", "PATCH")
MESSAGE = (
    "This service takes what you type only from its own forms, and what was sent "
    "was not a form."
)


class FormBodiesOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in BODY_METHODS
            and not _is_form(request)
            and not _json_for_a_view_that_takes_it(request)
        ):
            body = loader.get_template("400.html").render(
                {"message": MESSAGE, "request_id": getattr(request, "request_id", "")}
            )
            return HttpResponseBadRequest(body)
        return self.get_response(request)


def _is_form(request) -> bool:
    kind = request.content_type or ""
    if kind in FORM_TYPES:
        return True
    # A post with no body at all (a button with no fields) is still a form post.
    return not kind and not request.META.get("CONTENT_LENGTH", "0").strip("0")


def takes_json(view):
    """Mark a view that is posted JSON by a machine, not a form by a person."""
    view.onestory_takes_json = True
    return view


def _json_for_a_view_that_takes_it(request) -> bool:
    if request.content_type != "application/json":
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "onestory_takes_json", False)
