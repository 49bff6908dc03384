"""Directory search, reporting chains and autocomplete."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorbridge.people.models import Person
from mentorbridge.people.selectors import (
    DirectoryFilters,
    people_directory,
    reporting_chain,
    skill_suggestions,
)
from mentorbridge.people.services import SkillEntry, person_set_skills
from tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_reporting_chain_runs_from_manager_to_the_top() -> None:
    ceo = PersonFactory(first_name="Ceo")
    vp = PersonFactory(manager=ceo)
    manager = PersonFactory(manager=vp)
    engineer = PersonFactory(manager=manager)
    assert reporting_chain(engineer) == [manager, vp, ceo]
    assert reporting_chain(ceo) == []


def test_the_reporting_chain_stops_at_a_cycle_instead_of_looping() -> None:
    a = PersonFactory()
    b = PersonFactory(manager=a)
    Person.objects.filter(pk=a.pk).update(manager=b)  # written behind the services' back
    a.refresh_from_db()
    assert reporting_chain(a) == [b]


def test_the_directory_finds_people_by_name_skill_and_filters() -> None:
    sales = DepartmentFactory(name="Sales")
    ana = PersonFactory(
        first_name="Ana", last_name="Lima", department=sales, level=4, location="Lisbon"
    )
    ben = PersonFactory(first_name="Ben", last_name="Okoro", level=2)
    person_set_skills(person=ana, skills=[SkillEntry("Negotiation", 4)])
    person_set_skills(person=ben, skills=[SkillEntry("Python", 4)])

    def find(**kwargs: object) -> list[Person]:
        return list(people_directory(DirectoryFilters(**kwargs)))  # type: ignore[arg-type]

    assert find(query="lima") == [ana]
    assert find(query="python") == [ben]
    assert find(skill="negotiation") == [ana]
    assert find(department_id=sales.pk) == [ana]
    assert find(level=2) == [ben]
    assert find(location="lisbon") == [ana]


def test_people_who_left_are_not_in_the_directory() -> None:
    PersonFactory(first_name="Gone", is_active=False)
    assert not people_directory(DirectoryFilters(query="Gone")).exists()


def test_directory_queries_stay_flat_as_the_company_grows() -> None:
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            for person in people_directory(DirectoryFilters())[:24]:
                _ = (person.department, person.user.email, list(person.person_skills.all()))
        return len(queries)

    for _ in range(3):
        person_set_skills(person=PersonFactory(), skills=[SkillEntry("SQL", 3)])
    small = count_queries()
    for _ in range(20):
        person_set_skills(
            person=PersonFactory(), skills=[SkillEntry("SQL", 3), SkillEntry("Go", 2)]
        )
    assert count_queries() == small


def test_skill_autocomplete_offers_catalogue_names_for_synonyms() -> None:
    assert skill_suggestions("k8s")[0] == "Kubernetes"
    assert "Python" in skill_suggestions("pyt")
    assert skill_suggestions("   ") == []


def test_the_directory_search_box_understands_skill_synonyms() -> None:
    """Issue 9: the search box promised "JS" and "k8s" but only the skill filter knew them."""
    jo = PersonFactory(first_name="Jo", last_name="Script")
    kim = PersonFactory(first_name="Kim", last_name="Cluster")
    lee = PersonFactory(first_name="Lee", last_name="Learner")
    person_set_skills(person=jo, skills=[SkillEntry("JavaScript", 4)])
    person_set_skills(person=kim, skills=[SkillEntry("Kubernetes", 3), SkillEntry("Go", 2)])
    person_set_skills(person=lee, skills=[SkillEntry("Machine learning", 2)])

    def find(query: str) -> list[Person]:
        return list(people_directory(DirectoryFilters(query=query)))

    assert find("JS") == [jo]
    assert find("k8s") == [kim]
    assert find("K8S kim") == [kim]
    assert find("ML") == [lee]
    assert find("machine learning") == [lee]
    assert find("Cluster") == [kim]
    assert find("k8s Jo") == []


def test_a_person_with_several_matching_skills_is_listed_once() -> None:
    ada = PersonFactory(first_name="Ada")
    person_set_skills(person=ada, skills=[SkillEntry("Python", 4), SkillEntry("Python testing", 3)])
    assert list(people_directory(DirectoryFilters(query="python"))) == [ada]
