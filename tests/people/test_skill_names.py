"""Skill names that grow when normalised ("ß" → "ss") are measured as stored: a clear error
instead of a database error (a 500 on PostgreSQL) in the API, the profile form and imports."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mentorbridge.people import importing
from mentorbridge.people.models import Person, Skill
from mentorbridge.people.services import SKILL_TOO_LONG, skill_for_name

pytestmark = pytest.mark.django_db
GROWING = ["ß" * 60, "ﷺ" * 6]


@pytest.mark.parametrize("name", GROWING)
def test_a_name_that_grows_past_the_limit_when_folded_is_refused(name: str) -> None:
    assert len(name) <= 100
    with pytest.raises(ValidationError, match="at most 100 characters"):
        skill_for_name(name)
    assert not Skill.objects.filter(name__startswith=name[:3]).exists()


def test_a_long_name_that_fits_once_folded_is_kept() -> None:
    assert skill_for_name("ß" * 50).slug == "ss" * 50


@pytest.mark.parametrize("name", GROWING)
def test_the_api_answers_422_not_500(
    client_for: Callable[[Person | None], Client], mentee: Person, name: str
) -> None:
    response = client_for(mentee).patch(
        "/api/v1/me",
        json.dumps({"skills": [{"name": name, "proficiency": 3, "custom": True}]}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert SKILL_TOO_LONG in response.json()["detail"]


@pytest.mark.parametrize("name", GROWING)
def test_an_import_dry_run_reports_the_cell(name: str) -> None:
    data = f"employee_id,email,first_name,last_name,skills\nE1,a@x.example,A,B,{name}:3\n"
    report = importing.import_people(data.encode(), dry_run=True)
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "skills", SKILL_TOO_LONG)]
