"""People pages: directory, profile, profile editing, import upload."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

Clients = Callable[[Person | None], Client]


def test_the_directory_lists_colleagues_and_htmx_gets_only_results(
    client_for: Clients, mentee: Person, mentor: Person
) -> None:
    client = client_for(mentee)
    page = client.get("/people/?q=max")
    assert b"Max Mentor" in page.content and b"Mia Mentee" not in page.content
    assert b"<form" in page.content
    partial = client.get("/people/?q=max", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert b"Max Mentor" in partial.content and b"<form" not in partial.content


def test_an_empty_search_says_what_to_do_next(client_for: Clients, mentee: Person) -> None:
    page = client_for(mentee).get("/people/?q=nobody-by-this-name")
    assert b"No one matches these filters" in page.content
    assert b"Clear all filters" in page.content


def test_a_profile_shows_the_reporting_line(
    client_for: Clients, mentee: Person, mentor: Person
) -> None:
    mentee.manager = mentor
    mentee.save()
    page = client_for(mentor).get(f"/people/{mentee.employee_id}/")
    assert b"Reporting line" in page.content and b"Max Mentor" in page.content


def test_an_unknown_profile_is_a_friendly_404(client_for: Clients, mentee: Person) -> None:
    response = client_for(mentee).get("/people/NOPE/")
    assert response.status_code == 404
    assert b"find that person" in response.content


def test_editing_your_profile_saves_skills_and_languages(
    client_for: Clients, mentee: Person
) -> None:
    response = client_for(mentee).post(
        "/people/me/edit/",
        {
            "bio": "I build APIs.", "career_goals": "Lead a team", "expertise": "APIs\nTesting",
            "languages": "English, German", "timezone": "Europe/Berlin",
            "mentoring_hours_per_month": "3",
            "skill_name": ["Python", "k8s", ""], "skill_level": ["4", "2", "3"],
        },
    )  # fmt: skip
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.languages == ["en", "de"]
    assert mentee.expertise == ["APIs", "Testing"]
    assert {ps.skill.name: ps.proficiency for ps in mentee.person_skills.all()} == {
        "Python": 4,
        "Kubernetes": 2,
    }


def test_a_rejected_profile_edit_keeps_everything_typed(
    client_for: Clients, mentee: Person
) -> None:
    response = client_for(mentee).post(
        "/people/me/edit/",
        {
            "bio": "My careful bio", "career_goals": "", "expertise": "", "languages": "Klingon",
            "timezone": "Europe/Berlin", "mentoring_hours_per_month": "3",
            "skill_name": ["Rare Skill"], "skill_level": ["4"],
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert b"not a known language" in response.content
    assert b"My careful bio" in response.content
    assert b'value="Rare Skill"' in response.content
    mentee.refresh_from_db()
    assert mentee.bio == ""


def test_hr_can_check_then_import_a_file(client_for: Clients, program_admin: Person) -> None:
    data = b"employee_id,email,first_name,last_name\nN1,new@acme.example,New,Person\n"
    client = client_for(program_admin)
    check = client.post(
        "/people/import/", {"file": SimpleUploadedFile("hr.csv", data), "mode": "check"}
    )
    assert b"ready to import" in check.content
    assert not Person.objects.filter(employee_id="N1").exists()
    done = client.post(
        "/people/import/", {"file": SimpleUploadedFile("hr.csv", data), "mode": "import"}
    )
    assert b"Import complete" in done.content
    assert Person.objects.filter(employee_id="N1").exists()


def test_an_import_with_errors_lists_them_by_row(
    client_for: Clients, program_admin: Person
) -> None:
    data = b"employee_id,email,first_name,last_name\nN1,broken,New,Person\n"
    page = client_for(program_admin).post(
        "/people/import/", {"file": SimpleUploadedFile("hr.csv", data), "mode": "import"}
    )
    assert b"Nothing was imported" in page.content
    assert b"is not a valid email address" in page.content
