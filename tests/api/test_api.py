"""The JSON API: OpenAPI, tokens, CSRF, validation errors that name the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.accounts.services import api_token_create
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def test_the_openapi_schema_documents_every_operation(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "MentorBridge API"
    assert "/api/v1/programs/{slug}/enrollments" in schema["paths"]
    assert "/api/v1/people/import" in schema["paths"]
    assert Client().get("/api/v1/docs").status_code == 200


def test_a_bearer_token_authenticates_a_script(mentee: Person) -> None:
    token = api_token_create(user=mentee.user, name="cli")
    response = Client().get("/api/v1/people?q=mia", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["results"][0]["employee_id"] == mentee.employee_id
    assert Client().get("/api/v1/people", HTTP_AUTHORIZATION="Bearer mb_wrong").status_code == 401


def test_session_writes_need_the_csrf_token(mentee: Person) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee.user)
    response = client.patch("/api/v1/me", {"bio": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_editing_yourself_through_the_api_resolves_skill_synonyms(
    client_for: Clients, mentee: Person
) -> None:
    response = client_for(mentee).patch(
        "/api/v1/me",
        {"bio": "Hello", "languages": ["German"], "skills": [{"name": "JS", "proficiency": 4}]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["bio"] == "Hello" and body["languages"] == ["de"]
    assert body["skills"] == [{"name": "JavaScript", "proficiency": 4}]


def test_a_bad_timezone_is_a_422_that_names_the_field(client_for: Clients, mentee: Person) -> None:
    response = client_for(mentee).patch(
        "/api/v1/me", {"timezone": "Mars/Base"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "Mars/Base" in response.json()["detail"]


def test_joining_through_the_api(client_for: Clients, outsider: Person, program: object) -> None:
    response = client_for(outsider).post(
        "/api/v1/programs/engineering-growth/enrollments",
        {"role": "mentee", "focus_areas": [{"title": "Public speaking", "skills": ["presenting"]}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["focus_areas"][0]["title"] == "Public speaking"
    again = client_for(outsider).post(
        "/api/v1/programs/engineering-growth/enrollments",
        {"role": "mentee", "focus_areas": [{"title": "Again"}]},
        content_type="application/json",
    )
    assert again.status_code == 422 and "already enrolled" in again.json()["detail"]


def test_a_mentee_without_focus_areas_gets_a_field_error(
    client_for: Clients, outsider: Person, program: object
) -> None:
    response = client_for(outsider).post(
        "/api/v1/programs/engineering-growth/enrollments",
        {"role": "mentee"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "focus_areas" in response.json()["errors"]
    assert not Enrollment.objects.filter(person=outsider).exists()


def test_inviting_unknown_people_names_them_and_invites_no_one(
    client_for: Clients, program_admin: Person, outsider: Person
) -> None:
    response = client_for(program_admin).post(
        "/api/v1/programs/engineering-growth/invitations",
        {"employee_ids": [outsider.employee_id, "GHOST"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"]["employee_ids"] == ["Unknown employee IDs: GHOST."]
    assert not Enrollment.objects.filter(person=outsider).exists()


def test_hr_imports_through_the_api_with_a_dry_run(
    client_for: Clients, program_admin: Person
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"employee_id,email,first_name,last_name\nN9,n9@acme.example,Nia,Nine\n"
    response = client_for(program_admin).post(
        "/api/v1/people/import?dry_run=true", {"file": SimpleUploadedFile("f.csv", data)}
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1 and response.json()["applied"] is False
    assert not Person.objects.filter(employee_id="N9").exists()


def test_an_unknown_person_is_a_404(client_for: Clients, mentee: Person) -> None:
    assert client_for(mentee).get("/api/v1/people/NOBODY").status_code == 404
