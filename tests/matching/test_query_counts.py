"""The suggestion and preview pages cost the same number of queries however big the program."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mentorbridge.matching.services import rounds as round_services
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


def grow(program: Program, mentors: int, mentees: int) -> None:
    for _ in range(mentors):
        person = PersonFactory(level=6)
        person_set_skills(
            person=person, skills=[SkillEntry("System design", 4), SkillEntry("Go", 3)]
        )
        EnrollmentFactory(program=program, person=person, role="mentor", mentor_capacity=2)
    for _ in range(mentees):
        FocusAreaFactory(enrollment=EnrollmentFactory(program=program, role="mentee"))


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_suggestion_page_stays_flat(
    client_for: Callable[[Person | None], Client],
    program: Program,
    mentee: Person,
    focus_area: FocusArea,
) -> None:
    client = client_for(mentee)
    url = f"/programs/engineering-growth/find/{focus_area.pk}/"
    grow(program, mentors=3, mentees=2)
    small = queries(client, url)
    grow(program, mentors=15, mentees=10)
    assert queries(client, url) == small


def test_the_round_preview_stays_flat(
    client_for: Callable[[Person | None], Client],
    program: Program,
    program_admin: Person,
    mentee: Person,
) -> None:
    client = client_for(program_admin)
    grow(program, mentors=3, mentees=4)
    first = round_services.round_start(program=program, by=program_admin)
    small = queries(client, f"/programs/engineering-growth/rounds/{first.pk}/")
    grow(program, mentors=12, mentees=20)
    second = round_services.round_start(program=program, by=program_admin)
    assert second.proposals.count() > first.proposals.count()
    assert queries(client, f"/programs/engineering-growth/rounds/{second.pk}/") == small
