"""Who may open a program's overview and download its CSV exports: its own admins and site
admins; never anonymous people, outsiders, participants or the admins of another program."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.core.setup import hr_group
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.factories import PersonFactory, ProgramFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "mentee", "mentor", "other_admin", "program_admin",
            "site_admin"]  # fmt: skip
ALLOWED = {"program_admin", "site_admin"}

PAGES = [
    "/programs/engineering-growth/overview/",
    "/programs/engineering-growth/overview/?reason=free",
    "/programs/engineering-growth/enrollments.csv",
    "/programs/engineering-growth/enrollments.csv?role=mentee&state=unmatched",
    "/programs/engineering-growth/mentorships.csv",
]
API = [
    "/api/v1/programs/engineering-growth/counts",
    "/api/v1/programs/engineering-growth/enrollments.csv",
    "/api/v1/programs/engineering-growth/mentorships.csv",
]


@pytest.fixture
def other_admin(program: Program) -> Person:
    """Runs another program (and is in HR), but not this one."""
    person = PersonFactory(first_name="Otto", last_name="Otheradmin")
    person.user.groups.add(hr_group())
    ProgramFactory(name="Sales Growth", slug="sales-growth").admins.add(person)
    return person


def _client(
    request: pytest.FixtureRequest, client_for: Callable[[Person | None], Client], persona: str
) -> Client:
    return client_for(None if persona == "anonymous" else request.getfixturevalue(persona))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", PAGES)
def test_only_this_programs_admins_and_site_admins_see_the_pages(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    persona: str,
    url: str,
    mentee: Person,
    mentor: Person,
    program_admin: Person,
) -> None:
    response = _client(request, client_for, persona).get(url)
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif persona in ALLOWED:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", API)
def test_only_this_programs_admins_and_site_admins_use_the_api(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    persona: str,
    url: str,
    mentee: Person,
    mentor: Person,
    program_admin: Person,
) -> None:
    response = _client(request, client_for, persona).get(url)
    expected = 401 if persona == "anonymous" else 200 if persona in ALLOWED else 403
    assert response.status_code == expected


@pytest.mark.parametrize("persona", ["outsider", "mentee", "other_admin"])
def test_a_draft_programs_overview_does_not_exist_for_others(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    persona: str,
    program: Program,
    mentee: Person,
    program_admin: Person,
) -> None:
    Program.objects.filter(pk=program.pk).update(status="draft")
    client = _client(request, client_for, persona)
    assert client.get("/programs/engineering-growth/overview/").status_code == 404
    assert client.get("/programs/engineering-growth/mentorships.csv").status_code == 404
