"""Read skills reach the engine: goals want them, mentors have them, picks and removals win."""

from __future__ import annotations

import pytest

from mentorbridge.matching.adapter import program_instance
from mentorbridge.people import services as people_services
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.people.skill_reading import READ_LEVEL
from mentorbridge.programs import services as program_services
from mentorbridge.programs.models import FocusArea, Program

pytestmark = pytest.mark.django_db


def _mentor_skills(program: Program, person: Person) -> dict[str, int]:
    data = program_instance(program)
    return next(p for p in data["people"] if p["id"] == person.employee_id)["skills"]


def test_a_mentors_read_skills_count_at_the_read_level_and_picked_levels_win(
    program: Program, mentee: Person, mentor: Person
) -> None:
    people_services.person_update_profile(
        person=mentor, bio="SRE", career_goals="", timezone="Europe/Berlin", languages=["en"],
        expertise=["Getting started with Kubernetes", "Python"], mentoring_hours_per_month=2,
    )  # fmt: skip
    person_set_skills(person=mentor, skills=[SkillEntry("Python", 5)])
    skills = _mentor_skills(program, mentor)
    assert skills == {
        "kubernetes": READ_LEVEL, "python": 5, "site reliability engineering": READ_LEVEL,
    }  # fmt: skip
    people_services.person_remove_read_skill(person=mentor, slug="kubernetes")
    assert "kubernetes" not in _mentor_skills(program, mentor)


def test_a_goal_wants_its_picked_and_read_skills_but_not_removed_ones(
    program: Program, mentee: Person, mentor: Person
) -> None:
    area = FocusArea.objects.get(enrollment__person=mentee)
    area.read_skills = ["kubernetes", "site reliability engineering"]
    area.save()
    area.skills.set([people_services.skill_for_name("Python")])
    program_services.focus_area_remove_read_skill(focus_area=area, slug="kubernetes")
    data = program_instance(program)
    [wanted] = [fa["skills"] for m in data["mentees"] for fa in m["focus_areas"]]
    assert wanted == ["python", "site reliability engineering"]
