"""What the accounts app holds about a person: the sign-in account, API tokens and sign-in
attempts (django-axes)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from mentorbridge.accounts.models import User
from mentorbridge.core.personal_data import Erasure

DESCRIPTION = (
    "Your sign-in account: email, when you joined and last signed in, groups, API tokens and "
    "sign-in attempts."
)


def erased_email(user_id: int) -> str:
    """The address an erased account keeps: unique, and never delivered (``.invalid``)."""
    return f"erased-{user_id}@erased.invalid"


def export(person: Any) -> dict[str, Any]:
    """The account and its API tokens (never the token itself, which is not stored)."""
    user = person.user
    return {
        "email": user.email,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "has_password": user.has_usable_password(),
        "site_admin": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": t.hint,
                "created_at": t.created_at,
                "last_used_at": t.last_used_at,
            }
            for t in user.api_tokens.all()
        ],
        "sign_in_attempts": [
            {"at": log.attempt_time, "ip": log.ip_address, "user_agent": log.user_agent}
            for log in AccessLog.objects.filter(username=user.email).order_by("attempt_time")
        ],
    }


def erase(erasure: Erasure) -> dict[str, int]:
    """Switch the account off for good: no password, no email, no tokens, no roles, no record
    of its sign-ins."""
    user = User.objects.get(pk=erasure.user_id)
    tokens, _ = user.api_tokens.all().delete()
    attempts = 0
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        attempts += model.objects.filter(username=erasure.email).delete()[0]
    user.groups.clear()
    user.user_permissions.clear()
    user.email = erased_email(user.pk)
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.password_link_sent_at = None
    user.save()
    return {"api_tokens_deleted": tokens, "sign_in_records_deleted": attempts}
