"""The adapter's per-process people cache never shows stale suggestions.

Every test asks for suggestions once (filling the cache), changes something the way the product
or the HRIS import does, and asks again: the change must show at once.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from mentorbridge.matching import adapter
from mentorbridge.matching.selectors import suggestions_for
from mentorbridge.matching.services.requests import request_accept, request_create
from mentorbridge.people.models import Department, Person, PersonSkill
from mentorbridge.people.services import SkillEntry, person_set_skills, person_update_profile
from mentorbridge.programs.models import Enrollment, FocusArea, Program
from tests.factories import EnrollmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    adapter.clear_people_cache()


def ranked(area: FocusArea) -> list[str]:
    area = FocusArea.objects.select_related("enrollment__program", "enrollment__person").get(
        pk=area.pk
    )
    return [card.person.first_name for card in suggestions_for(area)]


def test_it_reuses_the_people_it_read_while_nothing_changed(
    focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person
) -> None:
    first = ranked(focus_area)
    cache = adapter._people_cache
    assert ranked(focus_area) == first
    assert adapter._people_cache is cache


def test_a_new_mentor_shows_up_at_once(
    program: Program, focus_area: FocusArea, skilled_mentor: Person
) -> None:
    assert ranked(focus_area) == ["Max"]
    newcomer = PersonFactory(first_name="Nia", user__email="nia@example.com", level=6)
    EnrollmentFactory(program=program, person=newcomer, role="mentor", mentor_capacity=1)
    assert ranked(focus_area) == ["Max", "Nia"]


def test_a_full_mentor_disappears_at_once(
    program: Program, focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person
) -> None:
    assert ranked(focus_area) == ["Max", "Mo"]
    other = PersonFactory(first_name="Ola", user__email="ola@example.com")
    enrollment = EnrollmentFactory(program=program, person=other, role="mentee")
    other_area = FocusArea.objects.create(enrollment=enrollment, title="Feedback")
    request = request_create(
        mentee=other, mentor=second_mentor, focus_area=other_area, message="Hi"
    )
    assert ranked(focus_area) == ["Max", "Mo"]  # an open request holds no place
    request_accept(request=request, by=second_mentor)  # Mo had one place
    assert ranked(focus_area) == ["Max"]


def test_a_paused_mentor_disappears_at_once(
    program: Program, focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person
) -> None:
    assert ranked(focus_area) == ["Max", "Mo"]
    from mentorbridge.programs.services import enrollment_set_mentoring

    enrollment = Enrollment.objects.get(program=program, person=skilled_mentor)
    enrollment_set_mentoring(
        enrollment=enrollment, capacity=enrollment.mentor_capacity, accepting_requests=False
    )
    assert ranked(focus_area) == ["Mo"]


def test_pausing_one_mentor_and_resuming_another_is_not_missed(
    program: Program, focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person
) -> None:
    from mentorbridge.programs.services import enrollment_set_mentoring

    def pause(person: Person, accepting: bool) -> None:
        enrollment = Enrollment.objects.get(program=program, person=person)
        enrollment_set_mentoring(
            enrollment=enrollment, capacity=enrollment.mentor_capacity, accepting_requests=accepting
        )

    pause(second_mentor, False)
    assert ranked(focus_area) == ["Max"]
    pause(skilled_mentor, False)
    pause(second_mentor, True)  # same number of paused mentors as before
    assert ranked(focus_area) == ["Mo"]


def test_a_profile_edit_shows_at_once(
    focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person
) -> None:
    assert ranked(focus_area) == ["Max", "Mo"]
    person_update_profile(
        person=second_mentor,
        bio=second_mentor.bio,
        career_goals=second_mentor.career_goals,
        timezone=second_mentor.timezone,
        languages=second_mentor.languages,
        expertise=second_mentor.expertise,
        mentoring_hours_per_month=second_mentor.mentoring_hours_per_month,
        skills=[SkillEntry("System design", 5), SkillEntry("Giving feedback", 5)],
    )
    assert ranked(focus_area) == ["Mo", "Max"]


def test_a_proficiency_changed_in_place_shows_at_once(
    focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person
) -> None:
    assert ranked(focus_area) == ["Max", "Mo"]
    person_set_skills(person=second_mentor, skills=[SkillEntry("Giving feedback", 3)])
    before = {c.person.first_name: c.score for c in _cards(focus_area)}
    # The same PersonSkill row is updated in place (no new row, no new key).
    row = PersonSkill.objects.get(person=second_mentor)
    person_set_skills(person=second_mentor, skills=[SkillEntry("Giving feedback", 5)])
    assert PersonSkill.objects.get(person=second_mentor).pk == row.pk
    after = {c.person.first_name: c.score for c in _cards(focus_area)}
    assert after["Mo"] > before["Mo"]
    assert after["Max"] == before["Max"]


def test_a_manager_link_from_the_import_shows_at_once(
    mentee: Person, focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person
) -> None:
    assert ranked(focus_area) == ["Max", "Mo"]
    # The HRIS import relinks managers with a bulk update that leaves updated_at alone.
    Person.objects.filter(pk=mentee.pk).update(manager=skilled_mentor, updated_at=timezone.now())
    assert ranked(focus_area) == ["Mo"]  # nobody is mentored by their own manager


def test_a_renamed_department_shows_at_once(
    program: Program, focus_area: FocusArea, skilled_mentor: Person
) -> None:
    ranked(focus_area)
    department = skilled_mentor.department
    assert department is not None
    Department.objects.filter(pk=department.pk).update(name="Renamed Department")
    data = adapter.program_instance(program, adapter.InstanceScope(focus_area_ids=[focus_area.pk]))
    people = {p["id"]: p for p in data["people"]}
    assert people[skilled_mentor.employee_id]["department"] == "Renamed Department"


def test_it_gives_the_same_instance_as_without_the_cache(
    program: Program, focus_area: FocusArea, skilled_mentor: Person, second_mentor: Person
) -> None:
    cached_before = adapter.program_instance(program)
    cached = adapter.program_instance(program)
    adapter.clear_people_cache()
    fresh = adapter.program_instance(program)
    assert cached == cached_before == fresh


def _cards(area: FocusArea) -> list:  # type: ignore[type-arg]
    area = FocusArea.objects.select_related("enrollment__program", "enrollment__person").get(
        pk=area.pk
    )
    return suggestions_for(area)
