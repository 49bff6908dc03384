"""A small program with a mentee (Mia), two mentors (Max, Mo) and skills that matter."""

from __future__ import annotations

import pytest

from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, PersonFactory


@pytest.fixture
def focus_area(mentee: Person, program: Program) -> FocusArea:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    from mentorbridge.people.services import skill_for_name

    area.skills.set([skill_for_name("System design"), skill_for_name("Giving feedback")])
    return area


@pytest.fixture
def second_mentor(program: Program) -> Person:
    person = PersonFactory(
        first_name="Mo", last_name="Second", user__email="mo@example.com", level=5
    )
    EnrollmentFactory(program=program, person=person, role="mentor", mentor_capacity=1)
    person_set_skills(person=person, skills=[SkillEntry("Giving feedback", 3)])
    return person


@pytest.fixture
def skilled_mentor(mentor: Person) -> Person:
    person_set_skills(person=mentor, skills=[SkillEntry("System design", 5), SkillEntry("Go", 4)])
    return mentor


@pytest.fixture
def cohort(
    program: Program,
    mentee: Person,
    skilled_mentor: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> Program:
    """The program with Mia's focus area and both mentors ready for a round."""
    return program


@pytest.fixture
def cohort_of_four(
    program: Program,
    mentee: Person,
    skilled_mentor: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> Program:
    """Mia plus three more mentees; Max (2 places) and Mo (1 place): one focus area waits."""
    from tests.factories import FocusAreaFactory

    for name in ("Nia", "Omar", "Pia"):
        enrollment = EnrollmentFactory(
            program=program, role="mentee", person=PersonFactory(first_name=name)
        )
        FocusAreaFactory(enrollment=enrollment, title=f"{name}'s goal")
    return program
