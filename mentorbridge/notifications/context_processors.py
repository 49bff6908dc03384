"""The bell in the header: how many notifications wait unread."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mentorbridge.notifications.selectors import unread_count


def bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_unread": unread_count(user)}
