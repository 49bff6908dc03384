"""Capacity holds under real concurrency: PostgreSQL row locks, two threads, one place."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from mentorbridge.matching.services import requests as svc
from mentorbridge.mentorships.models import Mentorship
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory, ProgramFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL"
    ),
]


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
    barrier = threading.Barrier(len(requests))
    outcomes: list[str] = []

    def accept(request: object) -> None:
        try:
            barrier.wait()
            svc.request_accept(request=request, by=mentor)  # type: ignore[arg-type]
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
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
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(request: object) -> None:
        try:
            barrier.wait()
            svc.request_accept(request=request, by=request.mentor)  # type: ignore[attr-defined]
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        except Exception as error:  # a deadlock or any other database error fails the test
            outcomes.append(f"ERROR {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcomes.count("accepted") == 1, outcomes
    assert not any(o.startswith("ERROR") for o in outcomes), outcomes
    assert Mentorship.objects.filter(focus_area=area).count() == 1
