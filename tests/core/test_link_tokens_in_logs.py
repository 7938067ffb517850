"""A parent's questionnaire link is a password: it never reaches the logs, the
application's JSON lines or gunicorn's access log (security.md R40)."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from gunicorn.config import Config

from onestory.core.gunicorn_logs import RedactingLogger
from onestory.core.logs import RedactLinkTokens, redact_link_tokens
from tests import factories


@pytest.fixture
def token(city, lead, client):
    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    client.post(
        reverse("measures:send_questionnaire_link", args=[city.family.pk]),
        {"person": carer.pk, "instrument": "GAD7", "address": "parent@example.org"},
    )
    client.logout()
    return factories.questionnaire_link_path().split("/")[2]


@pytest.fixture
def console():
    """What the configured console handler writes (JSON lines)."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactLinkTokens) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_no_link_token_in_the_applications_logs(client, token, console):
    client.get(f"/q/{token}/")
    guessed = "guessed-token-" + "x" * 20
    client.get(f"/q/{guessed}/")  # 404: Django logs "Not Found: <path>"
    logging.getLogger("onestory.test").warning("opened /q/%s/ at last", token)
    written = console.getvalue()
    assert "Not Found: /q/[link-token]/" in written
    assert "opened /q/[link-token]/ at last" in written
    assert token not in written
    assert guessed not in written


def test_the_redaction_keeps_the_rest_of_the_path():
    assert redact_link_tokens("GET /q/abc-DEF_123/?x=1 HTTP/1.1") == (
        "GET /q/[link-token]/?x=1 HTTP/1.1"
    )
    assert redact_link_tokens("/q/done/") == "/q/done/"
    assert redact_link_tokens("/families/q/") == "/families/q/"
    assert redact_link_tokens("GET /your-family/sign-in/abc_9-Z/ HTTP/1.1") == (
        "GET /your-family/sign-in/[link-token]/ HTTP/1.1"
    )
    assert redact_link_tokens("/your-family/sign-in/sent/") == (
        "/your-family/sign-in/sent/"
    )
    assert redact_link_tokens("/your-family/sign-in/") == "/your-family/sign-in/"


def test_no_link_token_in_gunicorns_access_log(tmp_path, settings):
    from ipaddress import ip_network

    settings.TRUSTED_PROXIES = (ip_network("10.0.0.5/32"),)
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set(
        "access_log_format",
        '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %({raw_uri}e)s %({referer}i)s',
    )
    logger = RedactingLogger(config)
    secret = "s3cret-Token_" + "y" * 30
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/q/{secret}/",
        "PATH_INFO": f"/q/{secret}/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5",
        "HTTP_X_FORWARDED_FOR": "203.0.113.9",
        "HTTP_REFERER": f"https://onestory.example.gov.uk/q/{secret}/",
    }
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=5))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = (tmp_path / "access.log").read_text()
    assert line.startswith('203.0.113.9 "POST /q/[link-token]/ HTTP/1.1" 302')
    assert line.count("[link-token]") == 5
    assert secret not in line
