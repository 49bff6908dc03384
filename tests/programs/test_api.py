"""The programs API: filters that name nothing are refused by field, not ignored."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db

Clients = Callable[[Person | None], Client]


@pytest.mark.parametrize("field", ["role", "status", "state"])
def test_an_unknown_enrollment_filter_is_a_422_that_names_it(
    client_for: Clients, program: Program, program_admin: Person, mentee: Person, field: str
) -> None:
    response = client_for(program_admin).get(
        f"/api/v1/programs/{program.slug}/enrollments", {field: "mentors"}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert "“mentors” is not one of" in response.json()["detail"]


def test_known_enrollment_filters_still_list(
    client_for: Clients, program: Program, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    response = client_for(program_admin).get(
        f"/api/v1/programs/{program.slug}/enrollments",
        {"role": "mentee", "status": "active"},
    )
    assert response.status_code == 200
    assert [e["employee_id"] for e in response.json()] == [mentee.employee_id]
