"""Who is in a mentorship, for the people panel on its page (participants and the program
team alike: who is in it is its state, not its content)."""

from __future__ import annotations

import dataclasses
from typing import Any

from mentorbridge.mentorships.access import mentees
from mentorbridge.mentorships.groups.forms import GroupMemberForm
from mentorbridge.mentorships.groups.services import can_manage_group
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import places_used
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment


@dataclasses.dataclass(frozen=True)
class Member:
    person: Person
    role: str  # "Mentor" or "Mentee"
    removable: bool  # a group member (not the mentorship's first mentee or its mentor)


@dataclasses.dataclass(frozen=True)
class GroupPanel:
    people: list[Member]
    is_group: bool
    can_manage: bool
    places_left: int | None
    form: GroupMemberForm | None


def group_panel(
    mentorship: Mentorship, user: Any, form: GroupMemberForm | None = None
) -> GroupPanel:
    """Everyone in the mentorship, mentees first, and for the mentor and the program team
    the form to add a mentee (with the mentor's places left in the program)."""
    people = [Member(p, "Mentee", p.pk != mentorship.mentee_id) for p in mentees(mentorship)] + [
        Member(mentorship.mentor, "Mentor", False)
    ]
    manage = mentorship.is_live and can_manage_group(user, mentorship)
    left = None
    if manage:
        capacity = (
            Enrollment.objects.filter(program=mentorship.program, person=mentorship.mentor)
            .values_list("mentor_capacity", flat=True)
            .first()
        ) or 0
        used = places_used(mentorship.program_id, [mentorship.mentor_id]).get(
            mentorship.mentor_id, 0
        )
        left = max(capacity - used, 0)
    return GroupPanel(
        people=people,
        is_group=mentorship.is_group,
        can_manage=manage,
        places_left=left,
        form=(form or GroupMemberForm()) if manage else None,
    )
