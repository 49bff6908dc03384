"""Template context every page needs: who is signed in and what they may reach."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from mentorbridge.core.permissions import can_create_programs, can_import_people
from mentorbridge.home.selectors import waiting_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person and the menu entries they are allowed to use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    me = getattr(user, "person", None)
    return {
        "me": me,
        "nav_waiting": waiting_count(me) if me is not None else 0,
        "nav_can_import": can_import_people(user),
        "nav_can_create_programs": can_create_programs(user),
    }
