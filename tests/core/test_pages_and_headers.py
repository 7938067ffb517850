import pytest
from django.urls import reverse

from onestory.families.record_views import SECTIONS


def test_every_page_carries_a_strict_content_security_policy(client, db):
    response = client.get(reverse("accounts:sign_in"))
    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]:
        assert directive in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_script_or_style(lead_client, city):
    for url in [
        reverse("families:my_caseload"),
        *(
            reverse(f"families:{section.name}", args=[city.family.pk])
            for section in SECTIONS
        ),
        reverse("families:add_family"),
        reverse("core:accessibility_statement"),
    ]:
        body = lead_client.get(url).content.decode()
        assert "<style" not in body
        assert " style=" not in body
        for tag in body.split("<script")[1:]:
            assert " src=" in tag.split(">")[0], "inline script"


def test_signed_in_pages_are_not_cached(lead_client):
    assert (
        lead_client.get(reverse("families:my_caseload"))["Cache-Control"] == "no-store"
    )


def test_every_response_has_a_request_id(client, db):
    assert len(client.get(reverse("accounts:sign_in"))["X-Request-ID"]) == 32


def test_not_found_page_follows_the_pattern_and_echoes_nothing(lead_client):
    response = lead_client.get("/families/not-a-real-page-<script>/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert "<script>/" not in body
    assert "not-a-real-page" not in body


def test_server_error_page_shows_a_reference_and_no_detail(client, db, settings):
    from django.urls import path

    from onestory.core.permissions import public

    @public
    def broken(request):
        raise RuntimeError("secret internal detail")

    from onestory.config import urls

    settings.ROOT_URLCONF = type(
        "Urls",
        (),
        {
            "urlpatterns": [*urls.urlpatterns, path("broken/", broken)],
            "handler500": urls.handler500,
        },
    )
    client.raise_request_exception = False
    response = client.get("/broken/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert response["X-Request-ID"] in body
    assert "secret internal detail" not in body
    assert "Traceback" not in body


def test_accessibility_statement_is_public_and_linked_from_every_page(client, db):
    body = client.get(reverse("core:accessibility_statement")).content.decode()
    assert "Accessibility statement" in body
    assert "Equality Advisory and Support Service" in body
    sign_in_page = client.get(reverse("accounts:sign_in")).content.decode()
    assert reverse("core:accessibility_statement") in sign_in_page


@pytest.mark.parametrize("persona", ["commissioner", "admin"])
def test_staff_without_family_roles_see_no_family_navigation(client, city, persona):
    client.force_login(city.personas[persona])
    body = client.get("/", follow=True).content.decode()
    assert "My caseload" not in body


@pytest.mark.security_case(18)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(city, lead):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    response = client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {"text": "Forged from another site", "based_on": 1},
    )
    assert response.status_code == 403
    assert not city.family.story_versions.filter(number=2).exists()
