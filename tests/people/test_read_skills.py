"""Skills read from a profile's expertise and bio: stored, shown, removable, never over picks."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mentorbridge.people import services
from mentorbridge.people.importing import import_people
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def _write_profile(person: Person, *, expertise: list[str], bio: str) -> None:
    services.person_update_profile(
        person=person, bio=bio, career_goals="", timezone="Europe/Berlin", languages=["en"],
        expertise=expertise, mentoring_hours_per_month=2,
    )  # fmt: skip


def test_saving_a_profile_reads_its_expertise_and_bio(outsider: Person) -> None:
    _write_profile(
        outsider, expertise=["Getting started with Kubernetes"], bio="I am an SRE who likes Go."
    )
    outsider.refresh_from_db()
    assert outsider.read_skills == ["kubernetes", "site reliability engineering", "go"]


def test_a_removed_read_skill_stays_removed_after_later_edits_until_put_back(
    outsider: Person,
) -> None:
    _write_profile(outsider, expertise=["Kubernetes"], bio="")
    services.person_remove_read_skill(person=outsider, slug="kubernetes")
    _write_profile(outsider, expertise=["Kubernetes at scale"], bio="")
    outsider.refresh_from_db()
    assert outsider.read_skills == ["kubernetes"]
    assert outsider.removed_read_skills == ["kubernetes"]
    services.person_restore_read_skill(person=outsider, slug="kubernetes")
    outsider.refresh_from_db()
    assert outsider.removed_read_skills == []


def test_removing_a_skill_that_was_not_read_names_the_skill_and_the_person(
    outsider: Person,
) -> None:
    with pytest.raises(ValidationError, match="“Kubernetes” was not read from Olga Outsider"):
        services.person_remove_read_skill(person=outsider, slug="kubernetes")


def test_putting_back_a_skill_that_was_not_removed_names_it_and_changes_nothing(
    outsider: Person,
) -> None:
    _write_profile(outsider, expertise=["Kubernetes"], bio="")
    with pytest.raises(ValidationError, match="“Kubernetes” was not removed from Olga Outsider"):
        services.person_restore_read_skill(person=outsider, slug="kubernetes")
    outsider.refresh_from_db()
    assert outsider.removed_read_skills == []


def test_removing_a_skill_twice_keeps_one_entry(outsider: Person) -> None:
    _write_profile(outsider, expertise=["Kubernetes"], bio="")
    services.person_remove_read_skill(person=outsider, slug="kubernetes")
    services.person_remove_read_skill(person=outsider, slug="kubernetes")
    outsider.refresh_from_db()
    assert outsider.removed_read_skills == ["kubernetes"]


def test_the_import_reads_skills_of_new_people_and_of_changed_bios() -> None:
    header = "employee_id,email,first_name,last_name,expertise,bio\n"
    import_people((header + "E1,a@acme.example,Ann,Able,Kubernetes,Python person\n").encode())
    person = Person.objects.get(employee_id="E1")
    assert person.read_skills == ["kubernetes", "python"]
    import_people(
        (header + "E1,a@acme.example,Ann,Able,Kubernetes,SQL person\n").encode(),
        overwrite_profiles=True,
    )
    person.refresh_from_db()
    assert person.read_skills == ["kubernetes", "sql"]


def test_the_profile_shows_what_was_read_and_the_owner_can_remove_it(
    outsider: Person, mentor: Person, client_for: Callable[[Person | None], Client]
) -> None:
    _write_profile(outsider, expertise=["Kubernetes"], bio="Site reliability engineer")
    own = client_for(outsider)
    page = own.get(outsider.get_absolute_url()).content.decode()
    assert "We read: Kubernetes, Site reliability engineering" in page
    assert 'aria-label="Remove Kubernetes"' in page
    response = own.post("/people/me/read-skills/", {"skill": "kubernetes", "action": "remove"})
    assert response.status_code == 302
    page = own.get(outsider.get_absolute_url()).content.decode()
    assert "We read: Site reliability engineering" in page
    assert "Kubernetes is no longer counted on your profile." in page
    assert 'aria-label="Put back Kubernetes"' in page
    others = client_for(mentor).get(outsider.get_absolute_url()).content.decode()
    assert "Also read from the profile: Site reliability engineering" in others
    assert "Put back" not in others


def test_an_unknown_action_is_refused_and_changes_nothing(
    outsider: Person, client_for: Callable[[Person | None], Client]
) -> None:
    _write_profile(outsider, expertise=["Kubernetes"], bio="")
    response = client_for(outsider).post(
        "/people/me/read-skills/", {"skill": "kubernetes", "action": "forget"}
    )
    assert response.status_code == 400
    outsider.refresh_from_db()
    assert outsider.removed_read_skills == []
