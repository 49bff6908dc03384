"""Forbidden characters (NUL, control characters, lone surrogates) are refused at the door,
naming the parameter, instead of reaching PostgreSQL (which answered them with a 500)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mentorbridge.core.cleaning import text_problem
from mentorbridge.matching.services import requests as request_services
from mentorbridge.matching.services import rounds as round_services
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program

pytestmark = pytest.mark.django_db
P = "/programs/engineering-growth"
Clients = Callable[[Person | None], Client]


@pytest.fixture
def world(
    program: Program, mentee: Person, mentor: Person, program_admin: Person
) -> dict[str, Any]:
    program.status = "matching"
    program.save(update_fields=["status"])
    area = FocusArea.objects.get(enrollment__person=mentee)
    request = request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=area, message="Hello"
    )
    matching_round = round_services.round_start(program=program, by=program_admin)
    return {"area": area.pk, "request": request.pk, "round": matching_round.pk}


QUERY_CASES = [
    ("site_admin", "/people/?q=a%00", "q"),
    ("site_admin", "/people/skills/autocomplete/?q=a%00", "q"),
    ("mentee", P + "/find/{area}/?q=a%00", "q"),
    ("program_admin", P + "/enrollments/?q=a%00&status=active", "q"),
    ("program_admin", P + "/enrollments/?status=act%01ive", "status"),
    ("site_admin", "/people/a%00b/", "path"),
    ("site_admin", "/people/?department=%1b", "department"),
]


@pytest.mark.parametrize(("who", "url", "name"), QUERY_CASES)
def test_a_page_asked_with_a_forbidden_character_answers_400_naming_the_parameter(
    request: pytest.FixtureRequest, client_for: Clients, world: dict[str, Any],
    who: str, url: str, name: str,
) -> None:  # fmt: skip
    response = client_for(request.getfixturevalue(who)).get(url.format(**world))
    assert response.status_code == 400
    text = response.content.decode()
    assert (f"“{name}”" in text) if name != "path" else "The address" in text


def test_the_api_answers_a_forbidden_query_parameter_with_400_in_json(
    client_for: Clients, site_admin: Person
) -> None:
    response = client_for(site_admin).get("/api/v1/people?q=%00")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["q"]
    assert "NUL" in response.json()["detail"]


def test_a_form_post_with_a_forbidden_character_is_refused_before_any_lookup(
    client_for: Clients, program_admin: Person, world: dict[str, Any]
) -> None:
    response = client_for(program_admin).post(
        f"{P}/rounds/{world['round']}/forbid/", {"mentee": "E1", "mentor": "a\x00"}
    )
    assert response.status_code == 400
    assert "Form field “mentor” must not contain a NUL byte" in response.content.decode()


BODY_CASES = [
    ("mentee", "patch", "/api/v1/me", {"bio": "a\x00"}, "bio"),
    ("mentee", "patch", "/api/v1/me", {"skills": [{"name": "Go\x00"}]}, "skills"),
    ("site_admin", "post", "/api/v1/programs", {"name": "Growth\x00"}, "name"),
    ("site_admin", "post", "/api/v1/programs", {"name": "Eve\nBcc: all@example.com"}, "name"),
    ("program_admin", "patch", "/api/v1" + P, {"description": "x\x00"}, "description"),
    ("outsider", "post", "/api/v1" + P + "/enrollments",
     {"role": "mentee", "focus_areas": [{"title": "Lead\x00"}]}, "focus_areas"),
    ("mentor", "post", "/api/v1/requests/{request}/decline", {"reason": "other", "note": "no\x00"}, "note"),
    ("mentor", "post", "/api/v1/requests/{request}/ask", {"question": "why\x00"}, "question"),
    ("mentee", "post", "/api/v1" + P + "/requests",
     {"focus_area_id": 1, "mentor": "E\x00", "message": "Hi"}, "mentor"),
    ("program_admin", "post", "/api/v1/rounds/{round}/pin", {"focus_area_id": 1, "mentor": "\x00"}, "mentor"),
    ("program_admin", "post", "/api/v1/rounds/{round}/forbid", {"mentee": "\x00", "mentor": "E2"}, "mentee"),
    ("program_admin", "post", "/api/v1" + P + "/invitations", {"employee_ids": ["E\x00"]}, "employee_ids"),
]  # fmt: skip


@pytest.mark.parametrize(("who", "method", "url", "body", "field"), BODY_CASES)
def test_an_api_body_with_a_forbidden_character_answers_422_naming_the_field(
    request: pytest.FixtureRequest, client_for: Clients, world: dict[str, Any],
    who: str, method: str, url: str, body: dict[str, Any], field: str,
) -> None:  # fmt: skip
    client = client_for(request.getfixturevalue(who))
    call = getattr(client, method)
    response = call(url.format(**world), json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content[:300]
    errors = response.json()["errors"]
    [(name, [message])] = errors.items()
    assert name.split(".")[0] == field
    assert "must not contain" in message


def test_a_lone_surrogate_in_json_is_refused(client_for: Clients, mentee: Person) -> None:
    response = client_for(mentee).patch(
        "/api/v1/me", '{"bio": "a\\ud800"}', content_type="application/json"
    )
    assert response.status_code == 422
    assert "lone surrogate" in response.json()["errors"]["bio"][0]


def test_tabs_and_line_breaks_stay_welcome_in_multi_line_text(
    client_for: Clients, mentee: Person
) -> None:
    response = client_for(mentee).patch(
        "/api/v1/me", json.dumps({"bio": "Line one\r\nLine\ttwo"}), content_type="application/json"
    )
    assert response.status_code == 200
    mentee.refresh_from_db()
    assert mentee.bio == "Line one\r\nLine\ttwo"


def test_a_program_name_with_a_line_break_is_a_form_error_naming_the_field(
    client_for: Clients, program_admin: Person
) -> None:
    response = client_for(program_admin).post(
        "/programs/new/", {"name": "Growth\nBcc: all@example.com", "kind": "traditional"}
    )
    assert response.status_code == 200
    assert "Name must not contain line breaks." in response.content.decode()
    assert not Program.objects.filter(name__startswith="Growth").exists()


@pytest.mark.parametrize(
    ("value", "single_line", "problem"),
    [
        ("plain text – ünïcode ✓", True, None),
        ("two\nlines", False, None),
        ("two\nlines", True, "must not contain line breaks"),
        ("bell\x07", False, "must not contain control characters (\\x07)"),
        (["ok", {"k": "v\x00"}], False, "must not contain a NUL byte (\\x00)"),
    ],
)
def test_the_text_rule(value: object, single_line: bool, problem: str | None) -> None:
    assert text_problem(value, single_line=single_line) == problem


def test_a_form_field_that_is_not_utf8_is_refused_naming_it_and_nothing_is_made(
    client_for: Clients, mentee: Person
) -> None:
    """An encoded lone surrogate (ED A0 80) used to become “�” and be stored (a token named
    "a���b" was made)."""
    response = client_for(mentee).post(
        "/accounts/tokens/", "name=a%ED%A0%80b", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert (
        "Form field “name” must not contain bytes that are not UTF-8 text (a lone surrogate?)."
        in response.content.decode()
    )
    assert not mentee.user.api_tokens.exists()


def post_a_nul_in_the_bio(client: Client, **headers: Any) -> Any:
    """The profile form sent with a NUL byte in its bio, with these request headers."""
    return client.post(
        "/people/me/edit/", "bio=a%00b", content_type="application/x-www-form-urlencoded",
        **headers,
    )  # fmt: skip


def test_a_refused_form_post_answers_with_the_site_page_for_the_signed_in_user(
    client_for: Clients, mentee: Person
) -> None:
    response = post_a_nul_in_the_bio(
        client_for(mentee), HTTP_REFERER="http://testserver/people/me/edit/"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Form field “bio” must not contain a NUL byte (\\x00). Nothing was saved" in page
    assert 'href="http://testserver/people/me/edit/" data-history-back' in page
    assert 'class="site-menu"' in page  # the header of a signed-in person, not a stranger's


def test_a_refusal_page_offers_no_way_back_to_another_site(
    client_for: Clients, mentee: Person
) -> None:
    response = post_a_nul_in_the_bio(
        client_for(mentee), HTTP_REFERER="https://elsewhere.example/form"
    )
    assert response.status_code == 400
    assert "elsewhere.example" not in response.content.decode()
    assert "data-history-back" not in response.content.decode()


def test_an_htmx_request_with_a_forbidden_character_gets_the_reason_as_plain_text(
    client_for: Clients, mentee: Person
) -> None:
    response = post_a_nul_in_the_bio(client_for(mentee), HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "Form field “bio” must not contain a NUL byte (\\x00)."


def test_a_query_parameter_that_is_not_utf8_is_refused_naming_it(
    client_for: Clients, mentee: Person
) -> None:
    response = client_for(mentee).get("/people/?q=caf%E9")
    assert response.status_code == 400
    assert "Query parameter “q” must not contain bytes that are not UTF-8" in (
        response.content.decode()
    )


def test_utf8_text_in_forms_and_queries_passes(client_for: Clients, mentee: Person) -> None:
    client = client_for(mentee)
    assert client.get("/people/?q=caf%C3%A9+%F0%9F%98%80").status_code == 200
    response = client.post(
        "/accounts/tokens/", "name=caf%C3%A9", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert mentee.user.api_tokens.get().name == "café"


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1, 10**30])
def test_an_api_number_no_database_column_holds_answers_422_naming_the_field(
    client_for: Clients, program_admin: Person, world: dict[str, Any], number: int
) -> None:
    """A focus area id of 10³⁰ in a preview's conflict choices was a 500 (the query overflowed)."""
    body = {"choices": [{"focus_area_id": number, "choice": "keep"}]}
    response = client_for(program_admin).post(
        f"/api/v1/rounds/{world['round']}/conflicts", json.dumps(body),
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422, response.content[:300]
    [(name, [message])] = response.json()["errors"].items()
    assert name == "choices.0.focus_area_id"
    assert "must be a whole number between" in message
