"""Writes about accounts: links to set a password, and personal API tokens."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorbridge.accounts.links import safe_next
from mentorbridge.accounts.models import ApiToken, User, hash_token, normalise_email
from mentorbridge.accounts.notifications import send_password_link
from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record

# One set-password email per account in this interval, however often someone asks.
PASSWORD_LINK_INTERVAL = datetime.timedelta(minutes=5)


@transaction.atomic
def password_link_request(*, email: str, next_path: str = "") -> bool:
    """Queue an email with a one-time link to set a password for the account with this email.

    Works for people without a password yet (imported, invited) and for those who forgot
    theirs. Returns whether an email was queued: nothing is queued for an unknown address, a
    switched-off account, or when a link went to the account less than
    ``PASSWORD_LINK_INTERVAL`` ago. Callers must answer the same way in every case.
    """
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(email=normalise_email(email))
        .first()
    )
    if user is None or not user.can_sign_in:
        return False
    now = timezone.now()
    if user.password_link_sent_at and now - user.password_link_sent_at < PASSWORD_LINK_INTERVAL:
        return False
    user.password_link_sent_at = now
    user.save(update_fields=["password_link_sent_at"])
    transaction.on_commit(
        partial(send_password_link.enqueue, user_id=user.pk, next_path=safe_next(next_path))
    )
    return True


def api_token_create(*, user: User | Any, name: str) -> str:
    """Create a token and return its raw value, which is never stored or shown again."""
    raw = ApiToken.generate_raw()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip(), key_hash=hash_token(raw), hint=raw[:10]
        )
        audit_record(
            action=AuditAction.TOKEN_CREATED,
            target=token,
            target_label=f"{token} of {user.email}",
            summary=f"API token “{token.name}” created for {user.email}",
            details={"token_id": token.pk, "hint": token.hint, "owner_id": user.pk},
        )
    return raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> None:
    """Delete a token."""
    audit_record(
        action=AuditAction.TOKEN_REVOKED,
        target=token,
        target_label=f"{token} of {token.user.email}",
        summary=f"API token “{token.name}” of {token.user.email} revoked",
        details={"token_id": token.pk, "hint": token.hint, "owner_id": token.user_id},
    )
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
