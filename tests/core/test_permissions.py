"""The permission matrix: every page and API operation, for each persona.

anonymous → sign-in only (pages redirect, the API says 401); employees see the directory and
their own data; program admins manage their programs; HR imports people and creates programs;
site admins reach everything.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "mentee", "program_admin", "site_admin"]

# (method, url, {persona: expected status}); "ok" stands for 200, "login" for a redirect to sign-in.
PAGES: list[tuple[str, str, dict[str, object]]] = [
    ("get", "/", {"anonymous": "login", "*": 200}),
    ("get", "/people/", {"anonymous": "login", "*": 200}),
    ("get", "/people/{mentee_id}/", {"anonymous": "login", "*": 200}),
    ("get", "/people/me/edit/", {"anonymous": "login", "*": 200}),
    ("get", "/people/import/", {"anonymous": "login", "outsider": 403, "mentee": 403, "*": 200}),
    ("get", "/people/skills/autocomplete/?q=pyt", {"anonymous": "login", "*": 200}),
    ("get", "/programs/", {"anonymous": "login", "*": 200}),
    ("get", "/programs/new/", {"anonymous": "login", "outsider": 403, "mentee": 403, "*": 200}),
    ("get", "/programs/engineering-growth/", {"anonymous": "login", "*": 200}),
    ("get", "/programs/engineering-growth/edit/",
     {"anonymous": "login", "outsider": 403, "mentee": 403, "*": 200}),
    ("get", "/programs/engineering-growth/enrollments/",
     {"anonymous": "login", "outsider": 403, "mentee": 403, "*": 200}),
    ("post", "/programs/engineering-growth/status/",
     {"anonymous": "login", "outsider": 403, "mentee": 403, "*": 302}),
    ("get", "/programs/engineering-growth/join/", {"anonymous": "login", "*": 200}),
    ("post", "/programs/engineering-growth/mentoring/",
     {"anonymous": "login", "outsider": 404, "program_admin": 404, "site_admin": 404, "*": 302}),
    ("post", "/programs/engineering-growth/withdraw/",
     {"anonymous": "login", "outsider": 404, "program_admin": 404, "site_admin": 404, "*": 302}),
    ("get", "/accounts/tokens/", {"anonymous": "login", "*": 200}),
    ("get", "/admin/", {"anonymous": 302, "outsider": 302, "mentee": 302, "program_admin": 302,
                        "site_admin": 200}),
    ("get", "/api/v1/me", {"anonymous": 401, "*": 200}),
    ("get", "/api/v1/people", {"anonymous": 401, "*": 200}),
    ("get", "/api/v1/people/{mentee_id}", {"anonymous": 401, "*": 200}),
    ("get", "/api/v1/people/{mentee_id}/reporting-chain", {"anonymous": 401, "*": 200}),
    ("get", "/api/v1/people/skills?q=py", {"anonymous": 401, "*": 200}),
    ("get", "/api/v1/programs", {"anonymous": 401, "*": 200}),
    ("get", "/api/v1/programs/engineering-growth", {"anonymous": 401, "*": 200}),
    ("get", "/api/v1/programs/engineering-growth/enrollments",
     {"anonymous": 401, "outsider": 403, "mentee": 403, "*": 200}),
    ("get", "/api/v1/programs/engineering-growth/counts",
     {"anonymous": 401, "outsider": 403, "mentee": 403, "*": 200}),
    ("get", "/api/v1/programs/engineering-growth/enrollments/me",
     {"anonymous": 401, "outsider": 404, "program_admin": 404, "site_admin": 404, "*": 200}),
    ("patch", "/api/v1/programs/engineering-growth",
     {"anonymous": 401, "outsider": 403, "mentee": 403, "*": 200}),
    ("post", "/api/v1/programs/engineering-growth/status",
     {"anonymous": 401, "outsider": 403, "mentee": 403, "*": 200}),
    ("post", "/api/v1/programs/engineering-growth/invitations",
     {"anonymous": 401, "outsider": 403, "mentee": 403, "*": 201}),
    ("post", "/api/v1/programs", {"anonymous": 401, "outsider": 403, "mentee": 403, "*": 201}),
]  # fmt: skip

BODIES = {
    "/api/v1/programs/engineering-growth": {"description": "Updated"},
    "/api/v1/programs/engineering-growth/status": {"status": "matching"},
    "/api/v1/programs/engineering-growth/invitations": {"employee_ids": ["{outsider_id}"]},
    "/api/v1/programs": {"name": "New Program"},
    "/programs/engineering-growth/status/": {"status": "matching"},
}


def _expected(rule: dict[str, object], persona: str) -> object:
    return rule.get(persona, rule.get("*"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "url", "rule"), PAGES, ids=[f"{m} {u}" for m, u, _ in PAGES])
def test_each_persona_gets_exactly_the_access_it_should(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    persona: str,
    method: str,
    url: str,
    rule: dict[str, object],
    mentee: Person,
    mentor: Person,
    outsider: Person,
    program_admin: Person,
) -> None:
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(person)
    ids = {"mentee_id": mentee.employee_id, "outsider_id": outsider.employee_id}
    url = url.format(**ids)
    body = BODIES.get(url.split("?")[0])
    if method == "get":
        response = client.get(url)
    elif url.startswith("/api/"):
        payload = {k: ([v2.format(**ids) for v2 in v] if isinstance(v, list) else v)
                   for k, v in (body or {}).items()}  # fmt: skip
        response = getattr(client, method)(url, payload, content_type="application/json")
    else:
        response = client.post(url, body or {})
    expected = _expected(rule, persona)
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


def test_a_mentee_cannot_see_a_draft_program_they_do_not_run(
    client_for: Callable[[Person | None], Client], mentee: Person, program_admin: Person
) -> None:
    from mentorbridge.programs.models import Program

    Program.objects.filter(slug="engineering-growth").update(status="draft")
    assert client_for(mentee).get("/programs/engineering-growth/").status_code == 404
    assert client_for(program_admin).get("/programs/engineering-growth/").status_code == 200
