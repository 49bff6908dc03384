"""The overview's CSV exports in the API: a filter that names nothing is refused by field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db


def test_an_enrollments_export_with_an_unknown_role_is_a_422_not_everyone(
    client_for: Callable[[Person | None], Client],
    program: Program,
    program_admin: Person,
    mentee: Person,
) -> None:
    response = client_for(program_admin).get(
        f"/api/v1/programs/{program.slug}/enrollments.csv", {"role": "mentors"}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["role"]
