"""Leaving a program and deciding on an enrollment at the same moment, with real PostgreSQL
row locks: one change wins, the others are refused in words."""

from __future__ import annotations

from collections.abc import Callable

from mentorbridge.people.models import Person
from mentorbridge.programs import services
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, Program
from tests.concurrency import at_once, on_postgresql
from tests.factories import ProgramFactory

pytestmark = on_postgresql()


def _withdraw(enrollment_id: int) -> Callable[[], str]:
    def job() -> str:
        services.enrollment_withdraw(enrollment=Enrollment.objects.get(pk=enrollment_id))
        return "withdrawn"

    return job


def _decide(enrollment_id: int, approve: bool) -> Callable[[], str]:
    def job() -> str:
        services.enrollment_decide(
            enrollment=Enrollment.objects.get(pk=enrollment_id), approve=approve
        )
        return "approved" if approve else "declined"

    return job


def test_leaving_a_program_three_times_at_once_withdraws_once(
    program: Program, mentee: Person
) -> None:
    enrollment = mentee.enrollments.get()
    outcomes = at_once([_withdraw(enrollment.pk)] * 3)
    assert sorted(outcomes) == ["This enrollment is already withdrawn."] * 2 + ["withdrawn"]


def test_two_admins_deciding_the_same_enrollment_at_once_make_one_decision(
    outsider: Person,
) -> None:
    program = ProgramFactory(requires_approval=True)
    enrollment = services.enrollment_join(
        program=program,
        person=outsider,
        role="mentee",
        focus_areas=[services.FocusAreaInput(title="Lead my first project")],
    )
    assert enrollment.status == EnrollmentStatus.PENDING
    outcomes = at_once([_decide(enrollment.pk, True), _decide(enrollment.pk, False)])
    assert len([o for o in outcomes if o in ("approved", "declined")]) == 1
    assert services.NOT_PENDING in outcomes
    enrollment.refresh_from_db()
    assert enrollment.status == (
        EnrollmentStatus.ACTIVE if "approved" in outcomes else EnrollmentStatus.DECLINED
    )
