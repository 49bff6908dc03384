"""Capacity holds under real concurrency: PostgreSQL row locks, two threads, one place."""

from __future__ import annotations

import time

import pytest

from mentorbridge.matching.models import MentorRequest
from mentorbridge.matching.services import requests as svc
from mentorbridge.mentorships.models import Mentorship
from tests.concurrency import at_once, on_postgresql
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory, ProgramFactory

pytestmark = on_postgresql()


def test_two_acceptances_at_once_never_exceed_the_mentors_capacity(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    program = ProgramFactory()
    mentor = PersonFactory()
    EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=1)
    requests = []
    for _ in range(2):
        enrollment = EnrollmentFactory(program=program, role="mentee")
        area = FocusAreaFactory(enrollment=enrollment)
        requests.append(
            svc.request_create(
                mentee=enrollment.person, mentor=mentor, focus_area=area, message="Hi"
            )
        )
    # Widen the race window: count the mentor's places, then dawdle before inserting. Without
    # the row lock both threads would see a free place.
    from mentorbridge.mentorships import services as mentorship_services

    real_count = mentorship_services.places_taken

    def slow_count(*args: object) -> int:
        taken = real_count(*args)  # type: ignore[arg-type]
        time.sleep(0.5)
        return taken

    monkeypatch.setattr(mentorship_services, "places_taken", slow_count)

    def accept(request: MentorRequest) -> str:
        svc.request_accept(request=request, by=mentor)
        return "accepted"

    outcomes = at_once([lambda r=r: accept(r) for r in requests])  # type: ignore[misc]
    assert outcomes.count("accepted") == 1
    assert any("no mentee places left" in o for o in outcomes)
    assert Mentorship.objects.filter(mentor=mentor).count() == 1


def test_two_mentors_accepting_the_same_focus_area_at_once_start_one_mentorship() -> None:
    program = ProgramFactory()
    enrollment = EnrollmentFactory(program=program, role="mentee")
    area = FocusAreaFactory(enrollment=enrollment)
    requests = []
    for _ in range(2):
        mentor = PersonFactory()
        EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=2)
        requests.append(
            svc.request_create(
                mentee=enrollment.person, mentor=mentor, focus_area=area, message="Hi"
            )
        )

    def accept_by_its_mentor(request: MentorRequest) -> str:
        svc.request_accept(request=request, by=request.mentor)
        return "accepted"

    outcomes = at_once([lambda r=r: accept_by_its_mentor(r) for r in requests])  # type: ignore[misc]
    assert outcomes.count("accepted") == 1, outcomes
    assert not any(o.startswith("ERROR") for o in outcomes), outcomes
    assert Mentorship.objects.filter(focus_area=area).count() == 1
