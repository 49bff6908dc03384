"""Parts of a person's profile that apps above people add (thank-you notes, the history of
their mentorships): people never imports them; they register a builder here at start-up."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from mentorbridge.people.models import Person


@dataclasses.dataclass(frozen=True)
class ProfileSection:
    """One part of the profile: its anchor, heading, template and context."""

    name: str
    title: str
    template: str
    context: dict[str, Any]


#: ``(person shown, viewer or None) → section or None``, in the order the page shows them.
PROFILE_SECTIONS: list[Callable[[Person, Person | None], ProfileSection | None]] = []


def profile_sections(person: Person, viewer: Person | None) -> list[ProfileSection]:
    return [s for build in PROFILE_SECTIONS if (s := build(person, viewer)) is not None]
