"""The address a request came from: one function for the audit trail, the logs
and every rate limit.

Behind a TLS proxy every request arrives from the proxy, so the client is named
by the proxy's `X-Forwarded-For`. That header is believed only when the request
comes from a proxy named in `ONESTORY_TRUSTED_PROXIES`, and is read from the
right: each trusted proxy appends the address it was sent from, so the first
hop from the right that is not one of our proxies is the client. Anything to
its left was written by the client and is ignored.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The client's address; REMOTE_ADDR unless that is a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    address = _parse(remote)
    if address is None or not _trusted(address):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([hop.strip() for hop in forwarded.split(",")]):
        hop_address = _parse(hop)
        if hop_address is None:
            break  # not an address: stop at the last proxy that handed it on
        address = hop_address
        if not _trusted(address):
            break
    return str(address)


def _trusted(address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def _parse(value: str):
    """An address, with a port or IPv6 brackets taken off; None if not one."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    return getattr(address, "ipv4_mapped", None) or address
