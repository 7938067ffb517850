"""Public pages: not kept by browsers or shared caches, features switched off,
and no parent's link token in the logs (security.md R19, R20)."""

import pytest
from django.urls import reverse

POLICY_PARTS = ("camera=()", "microphone=()", "geolocation=()", "payment=()")


@pytest.mark.parametrize(
    "url",
    [
        reverse("accounts:sign_in"),
        reverse("core:accessibility_statement"),
        reverse("measures:complete_questionnaire", args=["no-such-token"]),
        reverse("measures:questionnaire_done"),
        reverse("programmes:feedback_thanks"),
    ],
)
def test_public_pages_are_not_stored_and_switch_features_off(client, db, url):
    response = client.get(url)
    assert response.status_code < 500
    assert response["Cache-Control"] == "no-store"
    for part in POLICY_PARTS:
        assert part in response["Permissions-Policy"]


def test_static_files_and_not_found_pages_carry_the_permissions_policy(client, db):
    static = client.get("/static/onestory/app.css")
    assert static.status_code == 200
    missing = client.get("/no-such-page/")
    assert missing.status_code in (302, 404)
    for response in (static, missing):
        assert "camera=()" in response["Permissions-Policy"]
