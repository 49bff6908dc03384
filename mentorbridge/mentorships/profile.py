"""What mentorships add to a person's profile: thank-you notes they chose to show (and those
their manager may read), and the history of their mentorships."""

from __future__ import annotations

from mentorbridge.mentorships.appreciation.selectors import thanks_on_profile
from mentorbridge.mentorships.lifecycle.selectors import history_of
from mentorbridge.people.models import Person
from mentorbridge.people.profile_sections import ProfileSection


def thanks_profile_section(person: Person, viewer: Person | None) -> ProfileSection | None:
    notes = thanks_on_profile(person, viewer)
    if not notes:
        return None
    return ProfileSection(
        "thanks", "Thank-you notes", "mentorships/profile/_thanks.html",
        {"notes": notes, "is_me": viewer is not None and viewer.pk == person.pk},
    )  # fmt: skip


def history_profile_section(person: Person, viewer: Person | None) -> ProfileSection | None:
    """The person's mentorships, as mentee and as mentor, with dates and goals reached: for
    themselves only (others see that they mentor, not with whom)."""
    if viewer is None or viewer.pk != person.pk:
        return None
    lines = history_of(person)
    return ProfileSection(
        "mentorships", "Your mentorships", "mentorships/profile/_history.html",
        {"lines": lines},
    )  # fmt: skip
