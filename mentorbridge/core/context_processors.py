"""Template context every page shares."""

from __future__ import annotations

from django.http import HttpRequest

from mentorbridge.core import limits as limit_numbers

LIMITS = {
    name: value
    for name, value in vars(limit_numbers).items()
    if name.isupper() and isinstance(value, int)
}


def limits(request: HttpRequest) -> dict[str, dict[str, int]]:
    """The text limits (``{{ limits.REQUEST_MESSAGE_MAX_CHARS }}``) for ``maxlength``."""
    return {"limits": LIMITS}
