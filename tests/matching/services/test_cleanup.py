"""Leaving a program ends the person's mentorships in one bulk update: their stored health
goes with them, so the program's Health page counts only live mentorships."""

from __future__ import annotations

import pytest

from mentorbridge.matching.services.requests import request_accept, request_create
from mentorbridge.mentorships.health.models import MentorshipHealth
from mentorbridge.mentorships.health.selectors import program_health
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs import services
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db


def test_leaving_a_program_removes_the_ended_mentorships_stored_health(
    program: Program, mentee: Person, mentor: Person
) -> None:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    request_accept(
        request=request_create(mentee=mentee, mentor=mentor, focus_area=area, message="Hi"),
        by=mentor,
    )
    mentorship = Mentorship.objects.get()
    assert MentorshipHealth.objects.filter(mentorship=mentorship).exists()

    services.enrollment_withdraw(enrollment=mentee.enrollments.get(program=program))

    assert Mentorship.objects.get().status == "ended"
    assert not MentorshipHealth.objects.filter(mentorship=mentorship).exists()
    found = program_health(program)
    assert found.total == 0 and sum(found.counts.values()) == 0
