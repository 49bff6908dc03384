"""Draft programs (issue 14, defect 11). A draft is for its admins to prepare: no one can be
invited to it (an invitee could not even see it), and a program people have joined or been
invited to cannot go back to draft (it would disappear under them). Each refusal says why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program
from mentorbridge.programs.services import enrollment_invite, program_set_status
from tests.factories import EnrollmentFactory, ProgramFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


@pytest.fixture
def draft(program_admin: Person) -> Program:
    program = ProgramFactory(name="Sales Academy", slug="sales-academy", status="draft")
    program.admins.add(program_admin)
    return program


def test_no_one_is_invited_to_a_draft(
    draft: Program, program_admin: Person, outsider: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        enrollment_invite(program=draft, people=[outsider], role="mentee", invited_by=program_admin)
    assert "Sales Academy is a draft" in " ".join(refused.value.messages)
    assert not Enrollment.objects.filter(program=draft).exists()
    assert not OutboxMessage.objects.exists()


def test_the_invite_form_and_the_api_say_why(
    client_for: Clients, draft: Program, program_admin: Person, outsider: Person
) -> None:
    client = client_for(program_admin)
    page = client.post(
        "/programs/sales-academy/enrollments/",
        {"people": outsider.user.email, "role": "mentee"},
        follow=True,
    ).content.decode()
    assert "Sales Academy is a draft" in page
    api = client.post(
        "/api/v1/programs/sales-academy/invitations",
        {"employee_ids": [outsider.employee_id], "role": "mentee"},
        content_type="application/json",
    )
    assert api.status_code == 422 and "is a draft" in api.json()["detail"]
    assert not Enrollment.objects.filter(program=draft).exists()


def test_a_program_people_joined_does_not_go_back_to_draft(
    program: Program, mentee: Person
) -> None:
    with pytest.raises(ValidationError) as refused:
        program_set_status(program=program, status="draft")
    assert "1 person has joined or been invited" in " ".join(refused.value.messages)
    program.refresh_from_db()
    assert program.status == "enrolling"


def test_a_program_no_one_joined_goes_back_to_draft(db: None) -> None:
    program = ProgramFactory(status="enrolling")
    EnrollmentFactory(program=program, status="withdrawn")
    program_set_status(program=program, status="draft")
    assert program.status == "draft"


def test_the_program_page_says_why_it_stays_open(
    client_for: Clients, program: Program, program_admin: Person, mentee: Person
) -> None:
    response = client_for(program_admin).post(
        "/programs/engineering-growth/status/", {"status": "draft"}, follow=True
    )
    assert "cannot go back to draft" in response.content.decode()
    program.refresh_from_db()
    assert program.status == "enrolling"
