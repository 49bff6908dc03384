"""Who sees what of a mentorship. One place, so the pages and the API agree.

- Its participants (the mentee and the mentor) see and do everything inside it.
- Program admins of its program, and site admins, see its state and dates only: never its
  content (agreement text, goals, reviews). The page they see says so.
- Anyone else: it does not exist for them (404).
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from mentorbridge.core.permissions import is_program_admin
from mentorbridge.mentorships.models import Mentorship

NO_SUCH_MENTORSHIP = "No such mentorship."
CONTENT_IS_PRIVATE = (
    "Only the people in this mentorship see its agreement and goals; program admins see its "
    "state and dates."
)
ENDED_READ_ONLY = "This mentorship has ended: its agreement and goals can be read, not changed."


class Access(enum.Enum):
    PARTICIPANT = "participant"
    STATE_ONLY = "state_only"


def access_to(user: Any, mentorship: Mentorship) -> Access | None:
    """How much of the mentorship the user may see, or ``None`` for nothing at all."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is not None and person.pk in mentorship.participant_ids:
        return Access.PARTICIPANT
    if is_program_admin(user, mentorship.program):
        return Access.STATE_ONLY
    return None


def mentorship_for(user: Any, pk: int) -> tuple[Mentorship, Access]:
    """The mentorship and the user's access to it; 404 for anyone without access."""
    mentorship = get_object_or_404(
        Mentorship.objects.select_related(
            "program", "mentee__user", "mentor__user", "focus_area", "mentee__department",
            "mentor__department",
        ),
        pk=pk,
    )  # fmt: skip
    access = access_to(user, mentorship)
    if access is None:
        raise Http404(NO_SUCH_MENTORSHIP)
    return mentorship, access


def mentorship_content_for(user: Any, pk: int) -> Mentorship:
    """The mentorship, for reading its content: participants only (admins get a 403 that
    says why, everyone else a 404)."""
    mentorship, access = mentorship_for(user, pk)
    if access is not Access.PARTICIPANT:
        raise PermissionDenied(CONTENT_IS_PRIVATE)
    return mentorship


NOT_A_PARTICIPANT = "Only the people in this mentorship can change it."


def check_can_change(mentorship: Mentorship, by: Any) -> None:
    """Services call this first: only participants change a live mentorship's content."""
    if by is None or by.pk not in mentorship.participant_ids:
        raise PermissionDenied(NOT_A_PARTICIPANT)
    if not mentorship.is_live:
        raise ValidationError(ENDED_READ_ONLY)
