"""Skills read from a goal's words count like picked ones, so the reasons say so: a goal with
no picked skills but "Kubernetes" in its words is told the mentor *knows Kubernetes*, never
that "the goal names no skills" while the breakdown scores the skill."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.matching.services import requests as request_services
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs import services as program_services
from mentorbridge.programs.models import FocusArea, Program

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


@pytest.fixture
def read_goal(mentee: Person, program: Program) -> FocusArea:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    area.title = "Run our Kubernetes clusters"
    area.description = "I want to keep our Kubernetes services healthy."
    area.read_skills = ["kubernetes"]
    area.save()
    area.skills.clear()
    return area


def test_a_goals_wanted_skills_are_its_picked_then_its_read_skills_minus_removed_ones(
    read_goal: FocusArea,
) -> None:
    from mentorbridge.people.services import skill_for_name

    read_goal.read_skills = ["kubernetes", "python"]
    read_goal.save()
    read_goal.skills.set([skill_for_name("Go")])
    program_services.focus_area_remove_read_skill(focus_area=read_goal, slug="python")
    read_goal.refresh_from_db()
    assert list(read_goal.wanted_skills().values()) == ["Go", "Kubernetes"]


def test_the_find_page_says_the_mentor_knows_a_skill_read_from_the_goal(
    client_for: Clients, mentee: Person, mentor: Person, read_goal: FocusArea
) -> None:
    person_set_skills(person=mentor, skills=[SkillEntry("Kubernetes", 4)])
    page = client_for(mentee).get(f"/programs/engineering-growth/find/{read_goal.pk}/")
    body = page.content.decode()
    assert "knows Kubernetes (4/5)" in body
    assert "the goal names no skills" not in body


def test_the_mentors_inbox_says_they_know_a_skill_read_from_the_goal(
    client_for: Clients, mentee: Person, mentor: Person, read_goal: FocusArea
) -> None:
    person_set_skills(person=mentor, skills=[SkillEntry("Kubernetes", 4)])
    request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=read_goal, message="Would you?"
    )
    body = client_for(mentor).get("/mentoring/inbox/").content.decode()
    assert "knows Kubernetes (4/5)" in body
    assert "the goal names no skills" not in body


@pytest.fixture
def read_mentor(mentor: Person) -> Person:
    """A mentor whose Kubernetes is only read from their expertise (scored at level 3)."""
    mentor.person_skills.all().delete()
    mentor.expertise = ["Running Kubernetes clusters"]
    mentor.read_skills = ["kubernetes"]
    mentor.save()
    return mentor


def test_the_find_page_says_the_mentor_knows_a_skill_read_from_their_expertise(
    client_for: Clients, mentee: Person, read_mentor: Person, read_goal: FocusArea
) -> None:
    page = client_for(mentee).get(f"/programs/engineering-growth/find/{read_goal.pk}/")
    body = page.content.decode()
    assert "knows Kubernetes (3/5)" in body
    assert "lists none" not in body


def test_a_skill_the_mentor_picked_keeps_its_level_over_the_same_skill_read(
    client_for: Clients, mentee: Person, read_mentor: Person, read_goal: FocusArea
) -> None:
    person_set_skills(person=read_mentor, skills=[SkillEntry("Kubernetes", 5)])
    body = client_for(mentee).get(f"/programs/engineering-growth/find/{read_goal.pk}/")
    assert "knows Kubernetes (5/5)" in body.content.decode()


def test_the_inbox_says_the_mentor_knows_a_skill_read_from_their_expertise(
    client_for: Clients, mentee: Person, read_mentor: Person, read_goal: FocusArea
) -> None:
    request_services.request_create(
        mentee=mentee, mentor=read_mentor, focus_area=read_goal, message="Would you?"
    )
    body = client_for(read_mentor).get("/mentoring/inbox/").content.decode()
    assert "knows Kubernetes (3/5)" in body
    assert "lists none" not in body
