"""Sent once (see :mod:`mentorbridge.core.once`): the mentorship's records (thank-you notes,
feedback, goals, action items, agenda items, shared notes, program-team emails, meetings)
lock the mentorship's row before looking for the twin."""

from __future__ import annotations

from mentorbridge.core.once import JUST_SENT, AlreadySent, refuse_twin
from mentorbridge.mentorships.models import Mentorship

__all__ = ["JUST_SENT", "AlreadySent", "lock_mentorship", "refuse_twin"]


def lock_mentorship(mentorship: Mentorship) -> None:
    """Hold the mentorship's row until the transaction ends (NO KEY UPDATE: rows that only
    point at it are not held up), so two sends at once are one after the other."""
    rows = Mentorship.objects.select_for_update(no_key=True).filter(pk=mentorship.pk)
    list(rows.values_list("pk", flat=True))
