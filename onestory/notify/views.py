"""GOV.UK Notify's delivery receipts (docs/notify.md).

Notify posts each message's final status as JSON, with the bearer token set in
its callback settings; nothing else reaches this view. It has no session, so no
CSRF token: the bearer token, compared in constant time, is its proof.
"""

import hmac
import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onestory.core.form_bodies import takes_json
from onestory.core.permissions import public
from onestory.notify import services


@csrf_exempt
@takes_json
@public
@require_POST
def delivery_receipt(request):
    if not _bearer_token_is_ours(request):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    try:
        receipt = json.loads(request.body)
        message = services.record_receipt(
            reference=str(receipt.get("reference") or ""),
            notify_id=str(receipt.get("id") or ""),
            status=str(receipt["status"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return JsonResponse({"error": "not a delivery receipt"}, status=400)
    except services.UnknownMessage:
        # Notify tries a receipt again later: one for a message queued on
        # another deployment, or since deleted, is not ours to keep.
        return JsonResponse({"error": "no such message"}, status=404)
    return JsonResponse({"status": message.status})


def _bearer_token_is_ours(request) -> bool:
    expected = settings.NOTIFY_CALLBACK_TOKEN
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    # With no token set, no receipt is taken.
    return bool(expected) and hmac.compare_digest(
        f"{scheme.lower()} {token.strip()}".encode(), f"bearer {expected}".encode()
    )
