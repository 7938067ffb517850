"""Every form endpoint takes a form: a post whose body is JSON, plain text or
anything but a form encoding is answered 400 with a message (the GOV.UK 400
page), before any view reads it (security.md R23)."""

from django.http import HttpResponseBadRequest
from django.template import loader

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
        if request.method in BODY_METHODS and not _is_form(request):
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
