"""A group mentorship: Max mentors Mia (who it started with) and Gus, who joined later."""

from __future__ import annotations

import pytest

from mentorbridge.mentorships.groups.services import group_member_add
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory


@pytest.fixture
def member(program: Program) -> Person:
    person = PersonFactory(first_name="Gus", last_name="Member", user__email="gus@example.com")
    FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=person, role="mentee"))
    return person


@pytest.fixture
def group(mentorship: Mentorship, member: Person, mentor: Person) -> Mentorship:
    group_member_add(mentorship=mentorship, person=member, by=mentor.user)
    return Mentorship.objects.get(pk=mentorship.pk)
