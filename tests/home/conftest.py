"""Mia's focus area needs System design; Max knows it (so the engine suggests him to her)."""

from __future__ import annotations

import pytest

from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills, skill_for_name
from mentorbridge.programs.models import FocusArea, Program


@pytest.fixture
def focus_area(mentee: Person, program: Program, mentor: Person) -> FocusArea:
    person_set_skills(person=mentor, skills=[SkillEntry("System design", 5)])
    area = mentee.enrollments.get(program=program).focus_areas.get()
    area.skills.set([skill_for_name("System design")])
    return area
