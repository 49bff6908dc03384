"""Writes about accounts: personal API tokens."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mentorbridge.accounts.models import ApiToken, User, hash_token


def api_token_create(*, user: User | Any, name: str) -> str:
    """Create a token and return its raw value, which is never stored or shown again."""
    raw = ApiToken.generate_raw()
    ApiToken.objects.create(user=user, name=name.strip(), key_hash=hash_token(raw), hint=raw[:10])
    return raw


def api_token_revoke(*, token: ApiToken) -> None:
    """Delete a token."""
    token.delete()


def api_token_user(raw: str) -> User | None:
    """The active user a raw token belongs to (and note when it was used), or ``None``."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw.strip())).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
    return token.user
