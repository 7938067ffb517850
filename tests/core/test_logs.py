"""Structured logs: JSON lines that cannot be forged, carry no secrets or
personal data, and record security events (security.md R40; cases 7 and 37)."""

import io
import json
import logging

import pytest
from django.conf import settings
from django.urls import reverse

from onestory.core.logs import JsonFormatter
from tests import factories
from tests.conftest import CANARY_NHS_NUMBER, CANARY_SURNAME

FORGED = "2026-01-01 INFO login success user=admin"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def captured():
    """What the console handler would write, through the same formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


def _lines(stream) -> list[dict]:
    text = stream.getvalue()
    assert "\r" not in text
    assert "\x1b" not in text
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.security_case(37)
def test_a_forged_log_line_in_a_url_stays_inside_one_json_string(lead_client, captured):
    response = lead_client.get(f"/no-such-page%0d%0a{FORGED}%1b[31m/")
    assert response.status_code == 404
    lines = _lines(captured)
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert len(not_found) == 1
    # The forged text is part of the one message (Django writes the control
    # characters out as escapes too).
    assert FORGED in not_found[0]["message"]
    assert not_found[0]["message"].startswith("Not Found: /no-such-page")
    assert not any(line["message"].startswith(FORGED) for line in lines)
    assert not_found[0]["request_id"] == response["X-Request-ID"]


@pytest.mark.security_case(37)
def test_a_forged_line_in_a_sign_in_name_is_not_logged(db, client, captured):
    client.post(
        reverse("accounts:sign_in"),
        {"email": f"bob\r\n{FORGED}", "password": "wrong"},
    )
    assert FORGED not in captured.getvalue()
    _lines(captured)


def test_no_secrets_or_personal_data_reach_the_logs(city, lead, client, captured):
    """Sign in (a wrong password, then the right one and a code), open the
    canary family and fail on a missing page: the logs name none of it."""
    wrong = "canary-password-Zz9 never valid"
    client.post(reverse("accounts:sign_in"), {"email": lead.email, "password": wrong})
    client.post(
        reverse("accounts:sign_in"), {"email": lead.email, "password": PASSWORD}
    )
    code = factories.current_code(lead)
    client.post(reverse("accounts:second_factor"), {"code": code})
    opened = client.get(reverse("families:family_record", args=[city.family.pk]))
    assert opened.status_code == 200
    client.get("/no-such-page/")
    text = captured.getvalue()
    lines = _lines(captured)
    assert any(
        line["event"]["name"] == "sign_in_failed" for line in lines if "event" in line
    )
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    for secret in [
        wrong,
        PASSWORD,
        code,
        session_id,
        CANARY_SURNAME,
        CANARY_NHS_NUMBER,
    ]:
        assert secret not in text


@pytest.mark.security_case(7)
def test_posting_fields_the_form_does_not_have_is_a_security_event(
    city, lead, other_hub_practitioner, client, captured
):
    client.force_login(lead)
    client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {
            "text": "A new version",
            "based_on": 1,
            "written_by": other_hub_practitioner.pk,
            "team": city.team_b.pk,
            "is_staff": "true",
            "local_authority_id": "anything",
        },
    )
    events = [line["event"] for line in _lines(captured) if "event" in line]
    attempt = next(e for e in events if e["name"] == "mass_assignment_attempt")
    assert attempt["fields"] == ["is_staff", "local_authority_id", "team", "written_by"]
    assert "A new version" not in captured.getvalue()


def test_an_ordinary_post_is_not_a_security_event(city, lead_client, captured):
    response = lead_client.post(
        reverse("families:edit_story", args=[city.family.pk]),
        {"text": "A new version", "based_on": 1},
    )
    assert response.status_code == 302
    assert "mass_assignment_attempt" not in captured.getvalue()


def test_the_databases_account_of_refused_values_is_withheld():
    from onestory.core.logs import withhold_values

    traceback = (
        "IntegrityError: duplicate key value violates unique constraint\n"
        "DETAIL:  Key (local_authority_id, nhs_number)=(1, 9990000026) already exists."
    )
    text = withhold_values(traceback)
    assert "9990000026" not in text
    assert "duplicate key value" in text
    assert "DETAIL: (withheld" in text
