"""Authenticator secrets at rest: AES-256-GCM (the `cryptography` library) under
a key kept outside the database, `ONESTORY_TOTP_KEY` (docs/operations.md), like
the audit key. Each secret is bound to its account: a ciphertext copied to
another account's row does not decrypt. Stored as "v1:" and base64 of the
12-byte random nonce and the ciphertext with its tag."""

import base64
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "v1:"
NONCE_BYTES = 12


def _cipher(key: bytes | None) -> AESGCM:
    material = settings.TOTP_KEY if key is None else key
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"onestory authenticator secrets",
    ).derive(material)
    return AESGCM(derived)


def encrypt(secret: str, *, user_id, key: bytes | None = None) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(key).encrypt(nonce, secret.encode(), str(user_id).encode())
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(stored: str, *, user_id, key: bytes | None = None) -> str:
    """Raises cryptography.exceptions.InvalidTag for a wrong key or account."""
    if not stored.startswith(PREFIX):
        raise ValueError("Not an encrypted authenticator secret")
    raw = base64.urlsafe_b64decode(stored.removeprefix(PREFIX))
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    return _cipher(key).decrypt(nonce, sealed, str(user_id).encode()).decode()
