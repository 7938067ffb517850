"""Each form is acted on once (security case 31).

A form that creates something carries a one-time token
(`{% include "components/submission.html" %}`). The first post with it claims
the token in the same transaction as the view's own writes; a second identical
post (a double click, a resend after a slow response, the back button) waits for
the first to finish, does nothing, and goes where the first went. A post that
failed (form errors, or an error page) releases its token, so the corrected form
can be sent again.
"""

import hashlib
import uuid

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from onestory.core.models import Submission

FIELD = "submission"
REDIRECTS = {301, 302, 303}


def new_token() -> str:
    return uuid.uuid4().hex


class OnceOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not token or not request.user.is_authenticated:
            return self.get_response(request)
        key = hashlib.sha256(
            f"{request.user.pk}:{token[:64]}:{request.path}".encode()
        ).hexdigest()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = Submission.objects.create(key=key)
            except IntegrityError:
                claim = None
            if claim is None:
                return self._already_done(request, key)
            response = self.get_response(request)
            if response.status_code in REDIRECTS:
                claim.location = response["Location"][:500]
                claim.save(update_fields=["location"])
            elif response.status_code >= 500:
                transaction.set_rollback(True)
            else:
                claim.delete()
            return response

    def _already_done(self, request, key):
        """The same form was sent before and that submission has committed (the
        unique key made this one wait for it): go where it went."""
        location = (
            Submission.objects.filter(key=key)
            .values_list("location", flat=True)
            .first()
        )
        if not location or not url_has_allowed_host_and_scheme(
            location, allowed_hosts={request.get_host()}
        ):
            return HttpResponse(
                "This form was already sent. Go back and reload the page.",
                status=409,
                content_type="text/plain; charset=utf-8",
            )
        messages.info(request, "That was sent twice. It has been done once.")
        return redirect(location)
