"""Skills read from a focus area's goal: stored on joining, shown to the mentee, removable."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mentorbridge.people.models import Person
from mentorbridge.programs import services
from mentorbridge.programs.models import Program
from mentorbridge.programs.services import FocusAreaInput, enrollment_join

pytestmark = pytest.mark.django_db

GOAL = FocusAreaInput(
    title="Run our Kubernetes platform",
    description="Learn site reliability engineering practices",
    skills=["Python"],
)


def test_joining_reads_the_skills_a_goal_names(program: Program, outsider: Person) -> None:
    enrollment = enrollment_join(
        program=program, person=outsider, role="mentee", focus_areas=[GOAL]
    )
    [area] = enrollment.focus_areas.all()
    assert area.read_skills == ["kubernetes", "site reliability engineering"]


def test_the_mentee_sees_what_was_read_and_removes_one(
    program: Program, outsider: Person, client_for: Callable[[Person | None], Client]
) -> None:
    enrollment = enrollment_join(
        program=program, person=outsider, role="mentee", focus_areas=[GOAL]
    )
    [area] = enrollment.focus_areas.all()
    client = client_for(outsider)
    page = client.get(program.get_absolute_url()).content.decode()
    assert "We read: Kubernetes, Site reliability engineering" in page
    url = f"/programs/{program.slug}/focus-areas/{area.pk}/read-skills/"
    assert client.post(url, {"skill": "kubernetes", "action": "remove"}).status_code == 302
    area.refresh_from_db()
    assert area.removed_read_skills == ["kubernetes"]
    page = client.get(program.get_absolute_url()).content.decode()
    assert "We read: Site reliability engineering" in page
    assert f"Kubernetes is no longer counted for “{area.title}”." in html.unescape(page)
    client.post(url, {"skill": "kubernetes", "action": "restore"})
    page = client.get(program.get_absolute_url()).content.decode()
    assert f"Kubernetes counts again for “{area.title}”." in html.unescape(page)
    assert "We read: Kubernetes, Site reliability engineering" in page


def test_someone_else_cannot_touch_a_mentees_read_skills(
    program: Program,
    outsider: Person,
    mentor: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    enrollment = enrollment_join(
        program=program, person=outsider, role="mentee", focus_areas=[GOAL]
    )
    [area] = enrollment.focus_areas.all()
    url = f"/programs/{program.slug}/focus-areas/{area.pk}/read-skills/"
    assert (
        client_for(mentor).post(url, {"skill": "kubernetes", "action": "remove"}).status_code == 404
    )
    area.refresh_from_db()
    assert area.removed_read_skills == []


def test_removing_a_skill_that_was_not_read_names_the_goal(
    program: Program, outsider: Person
) -> None:
    enrollment = enrollment_join(
        program=program, person=outsider, role="mentee", focus_areas=[GOAL]
    )
    [area] = enrollment.focus_areas.all()
    with pytest.raises(ValidationError, match="“SQL” was not read from the focus area “Run our"):
        services.focus_area_remove_read_skill(focus_area=area, slug="sql")
