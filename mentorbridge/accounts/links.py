"""One-time links to set a password, made with Django's own token generator.

A link holds the account's id and a ``default_token_generator`` token. The token is bound to
the password hash and the last sign-in, so it stops working once the password is set (used
once), and it expires after ``PASSWORD_RESET_TIMEOUT`` seconds.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode

from mentorbridge.accounts.models import User


def safe_next(candidate: str | None) -> str:
    """A local path to go to after setting a password, or ``""`` for anything else."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=None):
        return ""
    return candidate


def password_link(user: User, next_path: str = "") -> str:
    """The full URL of a one-time link for ``user`` to set a password, then go to ``next_path``."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts-set-password", args=[uid, token])
    next_path = safe_next(next_path)
    if next_path:
        path += "?" + urlencode({"next": next_path})
    return settings.SITE_URL + path


def link_lifetime() -> str:
    """How long a link works, in words: "3 days", "1 day", "12 hours", "30 minutes"."""
    seconds = int(settings.PASSWORD_RESET_TIMEOUT)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    count = max(1, seconds // 60)
    return f"{count} minute{'' if count == 1 else 's'}"
