"""Finding mentorships from the requests and proposals that started them."""

from __future__ import annotations

from mentorbridge.mentorships.models import Mentorship


def mentorship_started_for(
    *, focus_area_id: int, mentee_id: int, mentor_id: int
) -> Mentorship | None:
    """The latest mentorship of this pair on this focus area (what an acceptance started)."""
    return (
        Mentorship.objects.filter(
            focus_area_id=focus_area_id, mentee_id=mentee_id, mentor_id=mentor_id
        )
        .order_by("-started_at", "-pk")
        .first()
    )
