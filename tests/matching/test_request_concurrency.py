"""Requests sent at once: the open-request limit holds and a double submit answers with the
request; a request accepted while it is declined, asked about or withdrawn lets one win. Under
real concurrency (PostgreSQL row locks, threads)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mentorbridge.matching.models import MentorRequest
from mentorbridge.matching.services import requests as svc
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, FocusArea, Program
from tests.concurrency import at_once, on_postgresql
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory, ProgramFactory

pytestmark = on_postgresql()


def slow_counting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the race: count the open requests, then dawdle before inserting."""
    real_count = svc._open_requests

    def slow_count(*args: object) -> int:
        count = real_count(*args)  # type: ignore[arg-type]
        time.sleep(0.3)
        return count

    monkeypatch.setattr(svc, "_open_requests", slow_count)


def test_ten_requests_at_once_never_exceed_the_open_request_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    program = ProgramFactory(max_open_requests=3)
    mentee_side = EnrollmentFactory(program=program, role="mentee")
    area = FocusAreaFactory(enrollment=mentee_side)
    mentors = [PersonFactory() for _ in range(10)]
    for mentor in mentors:
        EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=2)
    slow_counting(monkeypatch)

    def ask(mentor: object) -> Callable[[], str]:
        def job() -> str:
            try:
                svc.request_create(
                    mentee=mentee_side.person,
                    mentor=mentor,
                    focus_area=area,
                    message="Hi",  # type: ignore[arg-type]
                )
            except ValidationError as error:
                return " ".join(error.messages)
            return "sent"

        return job

    outcomes = at_once([ask(mentor) for mentor in mentors])
    assert outcomes.count("sent") == 3, outcomes
    assert all("already have 3 open requests" in o for o in outcomes if o != "sent"), outcomes
    assert MentorRequest.objects.filter(mentee=mentee_side.person).count() == 3


def a_mentee_and_a_mentor() -> tuple[Program, Enrollment, FocusArea, Person]:
    """A program with one mentee's focus area and one mentor with two places."""
    program = ProgramFactory()
    mentee_side = EnrollmentFactory(program=program, role="mentee")
    area = FocusAreaFactory(enrollment=mentee_side)
    mentor = PersonFactory()
    EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=2)
    return program, mentee_side, area, mentor


def test_a_request_form_sent_twice_at_once_answers_both_with_the_one_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    program, mentee_side, area, mentor = a_mentee_and_a_mentor()
    slow_counting(monkeypatch)
    url = f"/programs/{program.slug}/find/{area.pk}/ask/{mentor.employee_id}/"

    def submit() -> str:
        client = Client(raise_request_exception=True)
        client.force_login(mentee_side.person.user)
        response = client.post(url, {"message": "Would you mentor me?"})
        return f"{response.status_code} {response['Location']}"

    outcomes = at_once([submit, submit])
    assert outcomes == [f"302 /programs/{program.slug}/requests/"] * 2, outcomes
    assert MentorRequest.objects.filter(mentee=mentee_side.person).count() == 1


@pytest.mark.parametrize("other", ["decline", "ask", "withdraw"])
def test_accepting_a_request_while_it_is_answered_otherwise_lets_one_win_in_words(
    other: str,
) -> None:
    _, mentee_side, area, mentor = a_mentee_and_a_mentor()
    request = svc.request_create(
        mentee=mentee_side.person, mentor=mentor, focus_area=area, message="Hi"
    )
    answers: dict[str, Callable[[], object]] = {
        "accept": lambda: svc.request_accept(request=request, by=mentor),
        "decline": lambda: svc.request_decline(request=request, by=mentor, reason="no_time"),
        "ask": lambda: svc.request_ask_info(request=request, by=mentor, question="When?"),
        "withdraw": lambda: svc.request_withdraw(request=request, by=mentee_side.person),
    }

    def answer(kind: str) -> Callable[[], str]:
        def job() -> str:
            try:
                answers[kind]()
            except ValidationError as error:
                return " ".join(error.messages)
            return kind

        return job

    outcomes = at_once([answer("accept"), answer(other)])
    assert not any(o.startswith("ERROR") for o in outcomes), outcomes
    request.refresh_from_db()
    assert request.status in {"accepted", "declined", "info_requested", "withdrawn"}
