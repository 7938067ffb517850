"""Session limits: absolute lifetime, signing out everywhere else, password
change and timeout warning (security.md R7, R14, R15, R17, R51; case 13)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onestory.core.models import AuditEvent


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get(reverse("families:my_caseload")).status_code == 200
    return client


def test_a_session_ends_twelve_hours_after_sign_in_however_active(lead):
    with time_machine.travel("2026-11-26 08:00Z", tick=False) as clock:
        client = _signed_in(lead)
        for _ in range(28):  # every 25 minutes for 11h40
            clock.shift(timedelta(minutes=25))
            assert client.get(reverse("families:my_caseload")).status_code == 200
        clock.shift(timedelta(minutes=25))  # 12h05 after signing in
        response = client.get(reverse("families:my_caseload"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
        assert client.get(reverse("families:my_caseload")).status_code == 302


def test_signing_out_everywhere_else_ends_the_other_sessions_only(lead):
    here, elsewhere = _signed_in(lead), _signed_in(lead)
    page = here.get(reverse("accounts:your_account")).text
    assert "Sign out everywhere else" in page
    here.post(reverse("accounts:your_account"))
    assert here.get(reverse("families:my_caseload")).status_code == 200
    response = elsewhere.get(reverse("families:my_caseload"))
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert AuditEvent.objects.filter(action="sign_out_other_sessions").count() == 1


@pytest.mark.security_case(13)
def test_a_password_change_ends_other_sessions(lead):
    elsewhere = _signed_in(lead)
    lead.set_password("a new and long passphrase for lena")
    lead.save()
    assert elsewhere.get(reverse("families:my_caseload")).status_code == 302


@pytest.mark.security_case(13)
def test_a_cookie_is_useless_after_signing_out(lead):
    client = _signed_in(lead)
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:sign_out"))
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert thief.get(reverse("families:my_caseload")).status_code == 302


def test_staying_signed_in_renews_the_session(lead):
    with time_machine.travel("2026-11-26 08:00Z", tick=False) as clock:
        client = _signed_in(lead)
        clock.shift(timedelta(minutes=29))
        assert client.post(reverse("accounts:stay_signed_in")).status_code == 204
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("families:my_caseload")).status_code == 200


def test_every_signed_in_page_carries_the_timeout_warning(lead):
    page = _signed_in(lead).get(reverse("families:my_caseload")).text
    assert 'data-module="onestory-timeout"' in page
    assert 'data-timeout-seconds="1800"' in page
    assert "You will be signed out soon" in page


def _session_saves(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return sum(query["sql"].startswith('UPDATE "django_session"') for query in captured)


def test_a_read_saves_the_session_only_when_the_idle_timer_needs_it(lead):
    """A save is a write, and reads must not queue for one: the idle timer is
    renewed once a minute while the session is used, not on every request."""
    with time_machine.travel("2026-11-26 08:00Z", tick=False) as clock:
        client = Client()
        client.force_login(lead)
        url = reverse("families:my_caseload")
        assert _session_saves(client, url) == 1  # the timer starts
        clock.shift(timedelta(seconds=59))
        assert _session_saves(client, url) == 0
        clock.shift(timedelta(seconds=1))
        assert _session_saves(client, url) == 1


def test_the_timeout_warning_counts_from_the_last_renewal(lead):
    with time_machine.travel("2026-11-26 08:00Z", tick=False) as clock:
        client = _signed_in(lead)
        clock.shift(timedelta(seconds=30))
        page = client.get(reverse("families:my_caseload")).text
        assert 'data-timeout-seconds="1770"' in page


def test_staying_signed_in_renews_the_idle_timer_at_once(lead):
    with time_machine.travel("2026-11-26 08:00Z", tick=False) as clock:
        client = _signed_in(lead)
        clock.shift(timedelta(seconds=30))
        assert client.post(reverse("accounts:stay_signed_in")).status_code == 204
        stored = Session.objects.get(session_key=client.session.session_key)
        assert stored.expire_date == timezone.now() + timedelta(
            seconds=settings.SESSION_COOKIE_AGE
        )


def test_the_idle_timer_must_be_renewed_somewhere(settings):
    from onestory.core.checks import check_invariants

    assert check_invariants(None) == []
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if not name.endswith("SessionLimitsMiddleware")
    ]
    assert [problem.id for problem in check_invariants(None)] == ["onestory.E005"]
    settings.SESSION_SAVE_EVERY_REQUEST = True
    assert check_invariants(None) == []
