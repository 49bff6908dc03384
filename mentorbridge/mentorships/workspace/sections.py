"""The mentorship page is a list of sections, each built by a small function of its concept,
and a next step chosen by the first rule that applies.

To add a section (meetings, action items, notes…): write a builder returning a ``Section``
in the concept's ``selectors.py``, with a template under
``templates/mentorships/<concept>/_section.html``, and add it to ``SECTION_BUILDERS`` in the
order the page shows it. To add a next step, add a rule to ``NEXT_STEP_RULES`` where it
belongs: the first rule that returns a step wins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person


@dataclasses.dataclass(frozen=True)
class Section:
    """One part of the mentorship page: its anchor name, heading, template and context."""

    name: str
    title: str
    template: str
    context: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class NextStep:
    """What the viewer should do next, in words, and where to do it."""

    title: str
    detail: str
    url: str = ""
    action: str = ""


SectionBuilder = Callable[[Mentorship, Person], Section]
NextStepRule = Callable[[Mentorship, Person, dict[str, Section]], NextStep | None]
