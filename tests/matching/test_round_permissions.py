"""Who may use the round page's actions and the round API's conflict operations: only the
program's own admins and site admins; an admin of another program is an outsider here."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.core.setup import hr_group
from mentorbridge.matching.services import rounds as round_services
from mentorbridge.matching.services.requests import request_create
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, PersonFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "mentee", "mentor", "program_admin", "other_admin",
            "site_admin"]  # fmt: skip
LOGIN = "login"
R = "/programs/engineering-growth/rounds/"
CONFLICTS = {"choices": [{"focus_area_id": "{area}", "choice": "keep"}]}

# (method, url, body, expected status per persona; "*" is everyone not named)
CASES: list[tuple[str, str, dict[str, object], dict[str, object]]] = [
    ("get", R + "compare/?left={round}&right={other}", {},
     {"anonymous": LOGIN, "program_admin": 302, "site_admin": 302, "*": 403}),
    ("get", R + "{round}/compare/{other}/", {},
     {"anonymous": LOGIN, "program_admin": 200, "site_admin": 200, "*": 403}),
    ("post", R + "{round}/decide/", {"area": "{area}", "choice_{area}": "keep"},
     {"anonymous": LOGIN, "program_admin": 302, "site_admin": 302, "*": 403}),
    ("post", R + "{round}/leave_out/", {"focus_area": "{area}"},
     {"anonymous": LOGIN, "program_admin": 302, "site_admin": 302, "*": 403}),
    ("post", R + "{round}/put_back/", {"focus_area": "{area}"},
     {"anonymous": LOGIN, "program_admin": 302, "site_admin": 302, "*": 403}),
    ("post", R + "{round}/pin/", {"focus_area": "{area}", "mentor": "{mentor}"},
     {"anonymous": LOGIN, "program_admin": 302, "site_admin": 302, "*": 403}),
    ("post", R + "{round}/forbid/", {"mentee": "{mentee}", "mentor": "{mentor}", "permanent": "on"},
     {"anonymous": LOGIN, "program_admin": 302, "site_admin": 302, "*": 403}),
    ("post", R + "{round}/nonsense/", {},
     {"anonymous": LOGIN, "program_admin": 404, "site_admin": 404, "*": 403}),
    ("post", "/api/v1/rounds/{round}/conflicts", CONFLICTS,
     {"anonymous": 401, "program_admin": 200, "site_admin": 200, "*": 403}),
    ("post", "/api/v1/rounds/{round}/leave-out", {"focus_area_id": "{area}"},
     {"anonymous": 401, "program_admin": 201, "site_admin": 201, "*": 403}),
]  # fmt: skip


@pytest.fixture
def other_admin(db: None) -> Person:
    """Runs another program; has nothing to do with Engineering Growth."""
    person = PersonFactory(first_name="Oda", last_name="Otheradmin", user__email="oda@example.com")
    person.user.groups.add(hr_group())
    ProgramFactory(name="Reverse Mentoring", slug="reverse").admins.add(person)
    return person


@pytest.fixture
def world(
    program: Program, mentee: Person, mentor: Person, second_mentor: Person,
    focus_area: FocusArea, program_admin: Person,
) -> dict[str, object]:  # fmt: skip
    """A preview that crosses Mia's open request to whichever mentor it doesn't propose, and a
    second preview to compare it with."""
    EnrollmentFactory(program=program, role="mentee")
    first = round_services.round_start(program=program, by=program_admin)
    proposed = first.proposals.get(focus_area=focus_area).mentor
    asked = second_mentor if proposed == mentor else mentor
    request_create(mentee=mentee, mentor=asked, focus_area=focus_area, message="Hello")
    other = round_services.round_resolve(
        matching_round=first, by=program_admin, objective="fair", weights={}
    )
    return {
        "round": first.pk, "other": other.pk, "area": focus_area.pk,
        "mentee": mentee.employee_id, "mentor": asked.employee_id,
    }  # fmt: skip


def _fill(value: object, world: dict[str, object]) -> object:
    if isinstance(value, str):
        filled = value.format(**world)
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if isinstance(value, dict):
        return {k.format(**world): _fill(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "url", "body", "rule"), CASES, ids=[f"{m} {u}" for m, u, _, _ in CASES]
)
def test_each_persona_gets_exactly_the_access_it_should(
    request: pytest.FixtureRequest, client_for: Callable[[Person | None], Client],
    world: dict[str, object], persona: str, method: str, url: str, body: dict[str, object],
    rule: dict[str, object],
) -> None:  # fmt: skip
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    client = client_for(person)
    url = url.format(**world)
    data = _fill(body, world)
    if method == "get":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.post(url, data, content_type="application/json")
    else:
        response = client.post(url, data)
    expected = rule.get(persona, rule["*"])
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:300]
