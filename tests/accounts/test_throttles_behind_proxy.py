"""Sign-in limits behind the documented TLS proxy (security.md R11, case 15).

Every request reaches the application from the proxy (REMOTE_ADDR), which names
the client in X-Forwarded-For. The per-address limit must fall on the attacker's
own address, never on everyone behind the proxy, and the header must be ignored
from anyone who is not the proxy.
"""

from ipaddress import ip_network

import pytest
from django.test import Client
from django.urls import reverse

from onestory.accounts.forms import ADDRESS_FAILURES
from onestory.core.models import AuditEvent

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.5"
ATTACKER, PARENT_NETWORK_USER = "203.0.113.66", "198.51.100.7"
WRONG = "Enter a correct email address and password"


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = (ip_network("10.0.0.0/29"),)


def _sign_in(client, email, password, *, peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("accounts:sign_in"), {"email": email, "password": password}, **extra
    )


def _stuff(client, *, peer, forwarded):
    for number in range(ADDRESS_FAILURES):
        _sign_in(
            client,
            f"nobody{number}@example.org",
            "guess",
            peer=peer,
            forwarded=forwarded(number) if callable(forwarded) else forwarded,
        )


@pytest.mark.security_case(15)
def test_behind_the_proxy_only_the_attackers_address_is_throttled(city, lead):
    attacker = Client()
    # The attacker forges a hop on the left; the proxy appends the real address.
    _stuff(attacker, peer=PROXY, forwarded=f"198.51.100.7, {ATTACKER}")
    refused = _sign_in(
        attacker, lead.email, PASSWORD, peer=PROXY, forwarded=f"1.1.1.1, {ATTACKER}"
    )
    assert refused.status_code == 200
    assert WRONG in refused.text

    colleague = Client()
    allowed = _sign_in(
        colleague, lead.email, PASSWORD, peer=PROXY, forwarded=PARENT_NETWORK_USER
    )
    assert allowed.status_code == 302
    assert allowed["Location"] == reverse("accounts:second_factor")
    # The audit trail names the client, not the proxy nor a forged hop.
    failures = AuditEvent.objects.filter(action="sign_in_failed")
    assert failures.count() == ADDRESS_FAILURES + 1
    assert set(failures.values_list("source_ip", flat=True)) == {ATTACKER}


@pytest.mark.security_case(15)
def test_two_proxies_in_a_row_are_walked_past_from_the_right(city, lead):
    attacker = Client()
    _stuff(attacker, peer=PROXY, forwarded=f"{ATTACKER}, 10.0.0.2")
    refused = _sign_in(
        attacker, lead.email, PASSWORD, peer=PROXY, forwarded=f"{ATTACKER}, 10.0.0.3"
    )
    assert WRONG in refused.text
    allowed = _sign_in(
        Client(), lead.email, PASSWORD, peer=PROXY, forwarded="192.0.2.44, 10.0.0.2"
    )
    assert allowed.status_code == 302


@pytest.mark.security_case(15)
def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(city, lead):
    attacker = Client()
    # Straight to the application, claiming a new address on every try.
    _stuff(attacker, peer="192.0.2.9", forwarded=lambda n: f"198.51.100.{n}")
    refused = _sign_in(
        attacker, lead.email, PASSWORD, peer="192.0.2.9", forwarded="198.51.100.200"
    )
    assert refused.status_code == 200
    assert WRONG in refused.text
    # Someone else, really elsewhere, is not held back by it.
    allowed = _sign_in(Client(), lead.email, PASSWORD, peer="192.0.2.10")
    assert allowed.status_code == 302
