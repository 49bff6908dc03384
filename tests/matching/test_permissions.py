"""Who may see and do what when finding a mentor, page by page and operation by operation.

A mentee cannot see another mentee's requests or suggestions; a mentor sees only requests to
them; only program admins run rounds; proposals are visible to their two people only.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.matching.services import requests as request_services
from mentorbridge.matching.services import rounds as round_services
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "mentee", "mentor", "program_admin", "site_admin"]
LOGIN = "login"
P = "/programs/engineering-growth"

CASES: list[tuple[str, str, dict[str, object]]] = [
    ("get", P + "/find/{area}/", {"anonymous": LOGIN, "mentee": 200, "*": 404}),
    ("get", P + "/requests/", {"anonymous": LOGIN, "*": 200}),
    ("get", "/mentoring/inbox/", {"anonymous": LOGIN, "*": 200}),
    # Not a party to the request: 404, as for a request that does not exist (issue 14, 12).
    ("post", "/mentoring/requests/{request}/accept/", {"anonymous": LOGIN, "mentor": 302, "mentee": 403, "*": 404}),
    ("get", P + "/rounds/", {"anonymous": LOGIN, "program_admin": 200, "site_admin": 200, "*": 403}),
    ("get", P + "/rounds/{round}/", {"anonymous": LOGIN, "program_admin": 200, "site_admin": 200, "*": 403}),
    ("post", P + "/rounds/{round}/publish/", {"anonymous": LOGIN, "program_admin": 302, "site_admin": 302, "*": 403}),
    # The round is finished: the cancel is refused with a message (302 back to the round).
    ("post", P + "/rounds/{round}/cancel/", {"anonymous": LOGIN, "program_admin": 302, "site_admin": 302, "*": 403}),
    ("get", "/mentoring/proposals/{proposal}/", {"anonymous": LOGIN, "mentee": 200, "mentor": 200, "*": 404}),
    ("get", "/api/v1" + P + "/focus-areas/{area}/suggestions", {"anonymous": 401, "mentee": 200, "*": 404}),
    ("get", "/api/v1" + P + "/requests", {"anonymous": 401, "*": 200}),
    ("get", "/api/v1/requests/received", {"anonymous": 401, "*": 200}),
    # A request between other people answers 404, as one that does not exist (issue 14, 12).
    ("get", "/api/v1/requests/{request}", {"anonymous": 401, "mentee": 200, "mentor": 200, "*": 404}),
    ("post", "/api/v1/requests/{request}/withdraw", {"anonymous": 401, "mentee": 200, "mentor": 403, "*": 404}),
    ("get", "/api/v1" + P + "/rounds", {"anonymous": 401, "program_admin": 200, "site_admin": 200, "*": 403}),
    ("post", "/api/v1" + P + "/rounds", {"anonymous": 401, "program_admin": 201, "site_admin": 201, "*": 403}),
    ("get", "/api/v1/rounds/{round}", {"anonymous": 401, "program_admin": 200, "site_admin": 200, "*": 403}),
    # The fixture already published a re-solve, so this preview is superseded: 422 means "allowed, but not now".
    ("post", "/api/v1/rounds/{round}/publish", {"anonymous": 401, "program_admin": 422, "site_admin": 422, "*": 403}),
    ("get", "/api/v1/proposals/{proposal}", {"anonymous": 401, "mentee": 200, "mentor": 200, "*": 404}),
]  # fmt: skip


@pytest.fixture
def world(
    program: Program, mentee: Person, mentor: Person, focus_area: FocusArea, program_admin: Person
) -> dict[str, int]:
    request = request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hello"
    )
    first = round_services.round_start(program=program, by=program_admin)
    published = round_services.round_resolve(
        matching_round=first, by=program_admin, objective="total", weights={}
    )
    round_services.round_publish(matching_round=published, by=program_admin)
    proposal = published.proposals.get(focus_area=focus_area)
    return {
        "area": focus_area.pk,
        "request": request.pk,
        "round": first.pk,
        "proposal": proposal.pk,
    }


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "url", "rule"), CASES, ids=[f"{m} {u}" for m, u, _ in CASES])
def test_each_persona_gets_exactly_the_access_it_should(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    world: dict[str, int],
    persona: str,
    method: str,
    url: str,
    rule: dict[str, object],
) -> None:
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(person)
    url = url.format(**world)
    if method == "get":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.post(url, {}, content_type="application/json")
    else:
        response = client.post(url)
    expected = rule.get(persona, rule["*"])
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]


def test_a_mentee_never_sees_another_mentees_requests(
    client_for: Callable[[Person | None], Client], world: dict[str, int], outsider: Person
) -> None:
    body = client_for(outsider).get("/api/v1/programs/engineering-growth/requests").json()
    assert body == []
    inbox = client_for(outsider).get("/mentoring/inbox/")
    assert b"Mia Mentee" not in inbox.content


def test_a_mentor_sees_requests_to_them(
    client_for: Callable[[Person | None], Client], world: dict[str, int], mentor: Person
) -> None:
    assert [r["id"] for r in client_for(mentor).get("/api/v1/requests/received").json()] == [
        world["request"]
    ]


def test_a_request_between_other_people_answers_like_one_that_does_not_exist(
    client_for: Callable[[Person | None], Client], world: dict[str, int], outsider: Person
) -> None:
    client = client_for(outsider)
    theirs = client.post(f"/mentoring/requests/{world['request']}/accept/")
    missing = client.post(f"/mentoring/requests/{world['request'] + 1000}/accept/")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.templates[0].name == missing.templates[0].name == "404.html"
