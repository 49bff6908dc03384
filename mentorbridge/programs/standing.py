"""Where enrolled people stand in finding a mentor, told by the app that knows.

Programs know enrollments, not requests, proposals or mentorships. The app built on them that
does (matching) registers a :class:`Standing` in its ``AppConfig.ready``; the enrollment list
(its *Matching* filter) and the head-count API use it. Programs never import that app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from mentorbridge.programs.models import Enrollment, Program


@dataclass(frozen=True)
class Standing:
    """The states an enrolled person can be in, and how to filter and count by them."""

    #: state code → label, in the order pages list them
    labels: dict[str, str]
    #: (enrollments, state, role: "mentee", "mentor" or "" for either) → those in that state
    filter: Callable[[QuerySet[Enrollment], str, str], QuerySet[Enrollment]]
    #: program → {"mentee": {"enrolled": n, state: n, …}, "mentor": {…}}
    counts: Callable[[Program], dict[str, dict[str, int]]]


_registered: list[Standing] = []


def register_standing(standing: Standing) -> None:
    """Called once by the app that knows where people stand (the last call wins)."""
    _registered[:] = [standing]


def standing() -> Standing | None:
    """The registered standing, or ``None`` when no app has registered one."""
    return _registered[0] if _registered else None
