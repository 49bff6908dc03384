"""Texts people send each other have the API's limits through the web forms too (issue 14,
defect 5): a 5 MB message through the request form used to be stored and emailed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.core.limits import (
    ANSWER_MAX_CHARS,
    NOTE_MAX_CHARS,
    QUESTION_MAX_CHARS,
    REQUEST_MESSAGE_MAX_CHARS,
)
from mentorbridge.matching.models import MentorRequest, RequestStatus
from mentorbridge.matching.services import requests as request_services
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def test_a_request_message_over_the_limit_is_refused_by_the_web_form(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    url = f"/programs/engineering-growth/find/{focus_area.pk}/ask/{mentor.employee_id}/"
    response = client_for(mentee).post(
        url, {"message": "x" * (REQUEST_MESSAGE_MAX_CHARS + 1)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert f"at most {REQUEST_MESSAGE_MAX_CHARS} characters" in response.content.decode()
    assert not MentorRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_request_form_says_the_limit_in_the_page(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    page = client_for(mentee).get(f"/programs/engineering-growth/find/{focus_area.pk}/")
    assert f'maxlength="{REQUEST_MESSAGE_MAX_CHARS}"' in page.content.decode()


@pytest.fixture
def open_request(mentee: Person, mentor: Person, focus_area: FocusArea) -> MentorRequest:
    return request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hello"
    )


@pytest.mark.parametrize(
    ("action", "field", "limit"),
    [("decline", "note", NOTE_MAX_CHARS), ("ask", "question", QUESTION_MAX_CHARS)],
)
def test_a_mentors_note_or_question_over_the_limit_is_refused_by_the_inbox(
    client_for: Clients,
    mentor: Person,
    open_request: MentorRequest,
    action: str,
    field: str,
    limit: int,
) -> None:
    client = client_for(mentor)
    inbox = client.get("/mentoring/inbox/").content.decode()
    assert f'maxlength="{limit}"' in inbox
    response = client.post(
        f"/mentoring/requests/{open_request.pk}/{action}/",
        {"reason": "other", field: "x" * (limit + 1)},
        follow=True,
    )
    assert f"at most {limit} characters" in response.content.decode()
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN
    assert open_request.decline_note == open_request.info_question == ""


def test_a_mentees_answer_over_the_limit_is_refused(
    client_for: Clients, mentee: Person, mentor: Person, open_request: MentorRequest
) -> None:
    request_services.request_ask_info(request=open_request, by=mentor, question="Why me?")
    response = client_for(mentee).post(
        f"/mentoring/requests/{open_request.pk}/reply/",
        {"answer": "x" * (ANSWER_MAX_CHARS + 1)},
        follow=True,
    )
    assert f"at most {ANSWER_MAX_CHARS} characters" in response.content.decode()
    open_request.refresh_from_db()
    assert open_request.info_answer == ""


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("decline", {"reason": "other", "note": "x" * (NOTE_MAX_CHARS + 1)}),
        ("ask", {"question": "x" * (QUESTION_MAX_CHARS + 1)}),
    ],
)
def test_the_api_has_the_same_limits(
    client_for: Clients,
    mentor: Person,
    open_request: MentorRequest,
    action: str,
    body: dict[str, str],
) -> None:
    response = client_for(mentor).post(
        f"/api/v1/requests/{open_request.pk}/{action}", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [next(k for k in body if k != "reason")]
