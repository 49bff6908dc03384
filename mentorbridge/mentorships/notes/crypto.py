"""Encryption of private notes at rest: Fernet tokens (AES-128-CBC + HMAC-SHA256) from the
``cryptography`` package, under a MultiFernet of ``settings.NOTES_ENCRYPTION_KEYS``.

The first key encrypts; every key decrypts, so a new key can go first while old notes are
re-encrypted (``manage.py rotate_notes_key``). Without keys (development) one key is derived
from ``SECRET_KEY``; production should set its own (``manage.py check --deploy`` warns), so
that a leaked SECRET_KEY alone does not open the notes.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

BAD_KEY = "NOTES_ENCRYPTION_KEYS item {n} is not a Fernet key (32 bytes, urlsafe base64)."
UNREADABLE = "Private note {note} cannot be decrypted with the configured keys."


def dev_key() -> bytes:
    """A Fernet key derived from SECRET_KEY, for development only."""
    digest = hashlib.sha256(b"mentorbridge-private-notes:" + settings.SECRET_KEY.encode()).digest()
    return base64.urlsafe_b64encode(digest)


def keys() -> list[bytes]:
    """The configured keys, the encrypting one first."""
    configured = [k.encode() for k in getattr(settings, "NOTES_ENCRYPTION_KEYS", []) if k]
    return configured or [dev_key()]


def cipher() -> MultiFernet:
    fernets = []
    for n, key in enumerate(keys(), start=1):
        try:
            fernets.append(Fernet(key))
        except ValueError as error:
            raise ImproperlyConfigured(BAD_KEY.format(n=n)) from error
    return MultiFernet(fernets)


def encrypt(text: str) -> str:
    """The text as a Fernet token (ASCII) under the first key."""
    return cipher().encrypt(text.encode()).decode("ascii")


def decrypt(token: str, *, note: object = "") -> str:
    """The text of a token made under any configured key."""
    try:
        return cipher().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(UNREADABLE.format(note=note)) from error


def rotate(token: str) -> str:
    """The same text under the first key (a token already under it is re-encrypted too)."""
    return cipher().rotate(token.encode("ascii")).decode("ascii")
