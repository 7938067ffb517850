"""Time-based one-time passwords (RFC 6238, on RFC 4226's HOTP): pure functions.

Six digits, 30-second steps, HMAC-SHA1, as authenticator apps expect. A code is
accepted for the step before and after the current one (clock drift), and only
for a step later than the last one used (replay refused).
"""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1


def new_secret() -> str:
    """A random 160-bit secret, base32 as apps take it (32 characters)."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_for(secret: str, step: int) -> str:
    key = base64.b32decode(secret)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def normalise(code: str) -> str:
    """What people type: spaces and hyphens are ignored."""
    return "".join(code.split()).replace("-", "")


def matching_step(
    secret: str, code: str, unix_time: float, last_used_step: int | None
) -> int | None:
    """The step `code` belongs to, if it is valid now and not used before."""
    code = normalise(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(unix_time)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(code_for(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS})
    return f"otpauth://totp/{label}?{query}"
