"""A live mentorship between Mia (mentee) and Max (mentor) in Engineering Growth."""

from __future__ import annotations

import pytest

from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program


@pytest.fixture
def mentorship(program: Program, mentee: Person, mentor: Person) -> Mentorship:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    return mentorship_start(
        program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
    )
