"""The health API: a level that names nothing is refused by field, not read as "all"."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("level", ["at-risk", "on_track"])
def test_a_program_health_list_with_an_unknown_level_is_a_422(
    client_for: Callable[[Person | None], Client],
    program: Program,
    program_admin: Person,
    level: str,
) -> None:
    response = client_for(program_admin).get(
        f"/api/v1/programs/{program.slug}/health", {"level": level}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["level"]


def test_a_program_health_list_by_a_known_level_answers(
    client_for: Callable[[Person | None], Client], program: Program, program_admin: Person
) -> None:
    response = client_for(program_admin).get(
        f"/api/v1/programs/{program.slug}/health", {"level": "at_risk"}
    )
    assert response.status_code == 200
