"""A bad request and a failed CSRF check get GOV.UK pages of the service, not
Django's plain ones (security R21)."""

from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_a_post_without_its_csrf_token_gets_the_service_page(lead):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:sign_in"), {"email": lead.email, "password": "x"}
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "Sorry, your form could not be sent" in body
    assert "Nothing from this action was saved" in body
    assert "govuk-template" in body
    assert "CSRF" not in body  # Django's reason is logged, not shown
    assert response["X-Request-ID"] in body


def test_a_request_the_service_cannot_read_gets_the_service_400_page(lead_client):
    too_many = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = lead_client.post(reverse("families:add_family"), too_many)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Sorry, the service could not understand what was sent" in body
    assert "govuk-template" in body
    assert response["X-Request-ID"] in body
