"""PATCH /api/v1/me changes what it names and nothing else, skills one at a time."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.core.limits import EXPERTISE_PHRASE_MAX_CHARS
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]
EIGHT = ["Python", "Go", "SQL", "Kubernetes", "Docker", "JavaScript", "Negotiation", "Mentoring"]


@pytest.fixture
def eight_skills(mentee: Person) -> Person:
    person_set_skills(person=mentee, skills=[SkillEntry(name, 3) for name in EIGHT])
    return mentee


def patch(client: Client, body: object) -> tuple[int, dict[str, object]]:
    response = client.patch("/api/v1/me", body, content_type="application/json")
    return response.status_code, response.json()


def skills(body: dict[str, object]) -> dict[str, int]:
    return {s["name"]: s["proficiency"] for s in body["skills"]}  # type: ignore[attr-defined,index]


def test_adding_one_skill_keeps_the_other_eight(client_for: Clients, eight_skills: Person) -> None:
    status, body = patch(client_for(eight_skills), {"skills": [{"name": "Rust", "proficiency": 2}]})
    assert status == 200, body
    assert len(body["skills"]) == 9  # type: ignore[arg-type]
    assert skills(body)["Rust"] == 2 and skills(body)["Python"] == 3


def test_changing_one_skill_changes_only_its_level(
    client_for: Clients, eight_skills: Person
) -> None:
    status, body = patch(client_for(eight_skills), {"skills": [{"name": "k8s", "proficiency": 5}]})
    assert status == 200, body
    assert skills(body) == {**{name: 3 for name in EIGHT}, "Kubernetes": 5}


def test_removing_one_skill_keeps_the_rest(client_for: Clients, eight_skills: Person) -> None:
    status, body = patch(client_for(eight_skills), {"skills": [{"name": "JS", "remove": True}]})
    assert status == 200, body
    assert set(skills(body)) == set(EIGHT) - {"JavaScript"}


def test_other_fields_are_untouched_by_a_skills_patch(
    client_for: Clients, eight_skills: Person
) -> None:
    Person.objects.filter(pk=eight_skills.pk).update(bio="Keep me", career_goals="Lead")
    _, body = patch(client_for(eight_skills), {"skills": [{"name": "Go", "proficiency": 4}]})
    assert body["bio"] == "Keep me" and body["career_goals"] == "Lead"


def test_removing_a_skill_you_do_not_have_names_it_and_changes_nothing(
    client_for: Clients, eight_skills: Person
) -> None:
    status, body = patch(
        client_for(eight_skills),
        {
            "bio": "new",
            "skills": [{"name": "Go", "proficiency": 5}, {"name": "Cobol", "remove": True}],
        },
    )
    assert status == 422
    assert "Cobol" in body["errors"]["skills.1.name"][0]  # type: ignore[index]
    eight_skills.refresh_from_db()
    assert (
        eight_skills.bio == "" and eight_skills.person_skills.get(skill__name="Go").proficiency == 3
    )


def test_a_skill_needs_a_level_there_is_no_default(
    client_for: Clients, eight_skills: Person
) -> None:
    status, body = patch(client_for(eight_skills), {"skills": [{"name": "Rust"}]})
    assert status == 422
    assert list(body["errors"]) == ["skills.0.proficiency"]  # type: ignore[arg-type]
    assert not eight_skills.person_skills.filter(skill__name="Rust").exists()


def test_a_skill_outside_the_catalogue_needs_custom_and_names_the_closest(
    client_for: Clients, mentee: Person
) -> None:
    client = client_for(mentee)
    status, body = patch(client, {"skills": [{"name": "Pyhton", "proficiency": 3}]})
    assert status == 422
    message = body["errors"]["skills.0.name"][0]  # type: ignore[index]
    assert "not in the skills catalogue" in message and "Python" in message
    assert '"custom": true' in message

    status, body = patch(
        client,
        {"skills": [{"name": "Underwater basket weaving", "proficiency": 2, "custom": True}]},
    )
    assert status == 200, body
    assert skills(body) == {"Underwater basket weaving": 2}
    # Once it is yours, changing its level needs no confirmation.
    status, body = patch(
        client, {"skills": [{"name": "underwater basket weaving", "proficiency": 4}]}
    )
    assert status == 200 and skills(body) == {"Underwater basket weaving": 4}


def test_expertise_has_the_same_limit_as_the_form(client_for: Clients, mentee: Person) -> None:
    status, body = patch(
        client_for(mentee), {"expertise": ["ok", "x" * (EXPERTISE_PHRASE_MAX_CHARS + 1)]}
    )
    # The schema documents the limit per phrase, so the error names the phrase at fault.
    assert status == 422 and "expertise.1" in body["errors"]  # type: ignore[operator]
