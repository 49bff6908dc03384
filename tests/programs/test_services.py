"""Programs and enrollment: every state change and every refusal."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentorbridge.core.once import JUST_SENT, AlreadySent
from mentorbridge.people.models import Person
from mentorbridge.programs import services
from mentorbridge.programs.models import EnrollmentStatus, Program
from mentorbridge.programs.services import FocusAreaInput, enrollment_join
from tests.factories import DepartmentFactory, EnrollmentFactory, PersonFactory, ProgramFactory
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db

GOAL = FocusAreaInput(title="Lead my first project", skills=["System design", "JS"])


def test_joining_as_a_mentee_records_focus_areas_with_canonical_skills(
    program: Program, outsider: Person
) -> None:
    enrollment = enrollment_join(
        program=program, person=outsider, role="mentee", focus_areas=[GOAL]
    )
    assert enrollment.status == EnrollmentStatus.ACTIVE
    [focus_area] = enrollment.focus_areas.all()
    assert sorted(s.name for s in focus_area.skills.all()) == ["JavaScript", "System design"]


def test_a_mentee_must_name_a_focus_area(program: Program, outsider: Person) -> None:
    with pytest.raises(ValidationError) as error:
        enrollment_join(program=program, person=outsider, role="mentee")
    assert error.value.message_dict == {"focus_areas": [services.NEEDS_FOCUS_AREA]}


def test_a_mentee_cannot_name_more_focus_areas_than_the_program_allows(
    program: Program, outsider: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        enrollment_join(program=program, person=outsider, role="mentee", focus_areas=[GOAL] * 3)
    assert "at most 2 focus area" in error.value.message_dict["focus_areas"][0]


def test_a_mentor_must_offer_capacity_within_the_program_limit(
    program: Program, outsider: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=0)
    assert error.value.message_dict == {"mentor_capacity": [services.NEEDS_CAPACITY]}
    with pytest.raises(ValidationError):
        enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=9)


def test_nobody_joins_a_program_that_is_not_enrolling(outsider: Person) -> None:
    program = ProgramFactory(status="running")
    with pytest.raises(ValidationError, match="not open for enrollment"):
        enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=1)


def test_an_always_open_running_program_takes_new_people(outsider: Person) -> None:
    program = ProgramFactory(status="running", always_open=True)
    enrollment = enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=1)
    assert enrollment.status == EnrollmentStatus.ACTIVE


def test_the_enrollment_window_is_respected(outsider: Person) -> None:
    program = ProgramFactory(enrollment_closes_on=datetime.date(2000, 1, 1))
    with pytest.raises(ValidationError):
        enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=1)


def test_people_outside_the_eligible_levels_are_refused(outsider: Person) -> None:
    program = ProgramFactory(eligible_min_level=5)
    with pytest.raises(PermissionDenied, match="levels 5 to any; you are level 3"):
        enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=1)


def test_people_outside_the_eligible_departments_are_refused(outsider: Person) -> None:
    program = ProgramFactory()
    program.eligible_departments.add(DepartmentFactory(name="Sales"))
    with pytest.raises(PermissionDenied, match="open to Sales only"):
        enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=1)


def test_joining_twice_is_refused(program: Program, mentee: Person) -> None:
    with pytest.raises(ValidationError, match="already enrolled"):
        enrollment_join(program=program, person=mentee, role="mentee", focus_areas=[GOAL])


def test_peer_programs_enroll_everyone_as_both(outsider: Person) -> None:
    program = ProgramFactory(kind="peer")
    with pytest.raises(ValidationError) as error:
        enrollment_join(program=program, person=outsider, role="mentee", focus_areas=[GOAL])
    assert error.value.message_dict["role"] == [services.ROLE_NOT_ALLOWED]


def test_programs_that_require_approval_hold_enrollments_until_an_admin_decides(
    outsider: Person,
) -> None:
    program = ProgramFactory(requires_approval=True)
    enrollment = enrollment_join(
        program=program, person=outsider, role="mentee", focus_areas=[GOAL]
    )
    assert enrollment.status == EnrollmentStatus.PENDING
    services.enrollment_decide(enrollment=enrollment, approve=True)
    assert enrollment.status == EnrollmentStatus.ACTIVE
    with pytest.raises(ValidationError, match="awaiting approval"):
        services.enrollment_decide(enrollment=enrollment, approve=False)


def test_an_invitation_is_emailed_through_the_task_queue(
    program: Program, outsider: Person, program_admin: Person, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        [enrollment] = services.enrollment_invite(
            program=program, people=[outsider], role="mentee", invited_by=program_admin
        )
    assert enrollment.status == EnrollmentStatus.INVITED
    assert DBTaskResult.objects.count() == 1
    assert send_outbox() == ["sent"]
    [message] = mail.outbox
    assert message.to == [outsider.user.email]
    assert "Ada Admin has invited you to join Engineering Growth" in message.body
    assert "/programs/engineering-growth/join/" in message.body


def test_invited_people_skip_approval_and_the_window(
    program_admin: Person, outsider: Person
) -> None:
    program = ProgramFactory(requires_approval=True, status="matching")
    services.enrollment_invite(
        program=program, people=[outsider], role="mentor", invited_by=program_admin
    )
    enrollment = enrollment_join(program=program, person=outsider, role="mentor", mentor_capacity=1)
    assert enrollment.status == EnrollmentStatus.ACTIVE


def test_inviting_someone_already_enrolled_leaves_them_as_they_are(
    program: Program, mentee: Person, program_admin: Person
) -> None:
    invited = services.enrollment_invite(
        program=program, people=[mentee], role="mentor", invited_by=program_admin
    )
    assert invited == []


def test_people_who_left_cannot_be_invited(program: Program, program_admin: Person) -> None:
    gone = PersonFactory(is_active=False)
    with pytest.raises(ValidationError, match="has left the company"):
        services.enrollment_invite(
            program=program, people=[gone], role="mentee", invited_by=program_admin
        )


def test_withdrawing_twice_is_refused(program: Program, mentee: Person) -> None:
    enrollment = mentee.enrollments.get()
    services.enrollment_withdraw(enrollment=enrollment)
    assert enrollment.status == EnrollmentStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.enrollment_withdraw(enrollment=enrollment)


def test_someone_who_withdrew_can_join_again(program: Program, mentee: Person) -> None:
    services.enrollment_withdraw(enrollment=mentee.enrollments.get())
    again = enrollment_join(program=program, person=mentee, role="mentee", focus_areas=[GOAL])
    assert again.status == EnrollmentStatus.ACTIVE
    assert [fa.title for fa in again.focus_areas.all()] == [GOAL.title]


def test_programs_move_only_along_their_lifecycle(program: Program) -> None:
    services.program_set_status(program=program, status="matching")
    services.program_set_status(program=program, status="running")
    with pytest.raises(ValidationError, match="running cannot become draft"):
        services.program_set_status(program=program, status="draft")


def test_creating_a_program_makes_its_creator_an_admin(outsider: Person) -> None:
    program = services.program_create(creator=outsider, name="Sales Mentoring", kind="reverse")
    assert program.slug == "sales-mentoring"
    assert list(program.admins.all()) == [outsider]
    with time_machine.travel(timezone.now() + JUST_SENT + datetime.timedelta(seconds=1)):
        second = services.program_create(creator=outsider, name="Sales Mentoring")
    assert second.slug == "sales-mentoring-2"


def test_a_program_created_twice_at_once_is_created_once_and_the_second_is_told(
    outsider: Person,
) -> None:
    first = services.program_create(creator=outsider, name="Sales Mentoring", kind="reverse")
    with pytest.raises(
        AlreadySent, match="sales mentoring was already created a moment ago"
    ) as already:
        services.program_create(creator=outsider, name="sales mentoring ")
    assert already.value.existing == first
    assert Program.objects.filter(name__iexact="Sales Mentoring").count() == 1


def test_a_program_with_a_bad_kind_is_refused(outsider: Person) -> None:
    with pytest.raises(ValidationError) as error:
        services.program_create(creator=outsider, name="X", kind="telepathic")
    assert "kind" in error.value.message_dict


def test_enrollment_counts_add_up(program: Program, mentee: Person, mentor: Person) -> None:
    from mentorbridge.programs.selectors import enrollment_counts

    EnrollmentFactory(program=program, role="both", mentor_capacity=1)
    EnrollmentFactory(program=program, status="pending")
    counts = enrollment_counts(program)
    assert (counts.mentees, counts.mentors, counts.pending, counts.capacity) == (2, 2, 1, 3)
    assert counts.focus_areas == 1


def test_rejoining_keeps_the_history_of_old_focus_areas(
    program: Program, mentee: Person, mentor: Person
) -> None:
    from mentorbridge.matching.services.requests import request_accept, request_create
    from mentorbridge.mentorships.models import Mentorship

    old_area = mentee.enrollments.get(program=program).focus_areas.get()
    request_accept(
        request=request_create(mentee=mentee, mentor=mentor, focus_area=old_area, message="Hi"),
        by=mentor,
    )
    services.enrollment_withdraw(enrollment=mentee.enrollments.get(program=program))
    again = enrollment_join(program=program, person=mentee, role="mentee", focus_areas=[GOAL])
    assert [fa.title for fa in again.focus_areas.all()] == [GOAL.title]
    mentorship = Mentorship.objects.get()
    assert mentorship.focus_area == old_area and mentorship.status == "ended"


def test_leaving_a_program_closes_requests_both_ways_and_ends_mentorships(
    program: Program, mentee: Person, mentor: Person, django_capture_on_commit_callbacks
) -> None:
    from mentorbridge.matching.models import MentorRequest
    from mentorbridge.matching.services.requests import request_create

    area = mentee.enrollments.get(program=program).focus_areas.get()
    request = request_create(mentee=mentee, mentor=mentor, focus_area=area, message="Hi")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.enrollment_withdraw(enrollment=mentor.enrollments.get(program=program))
    request.refresh_from_db()
    assert request.status == "withdrawn"
    assert request.closed_note == "the mentor left the program"
    assert len(callbacks) == 1  # the mentee is told
    assert not MentorRequest.objects.filter(status="open").exists()


def test_inviting_with_an_unknown_role_is_refused(
    program: Program, outsider: Person, program_admin: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        services.enrollment_invite(
            program=program, people=[outsider], role="overlord", invited_by=program_admin
        )
    assert "role" in error.value.message_dict


def test_program_settings_out_of_order_are_refused_everywhere(program: Program) -> None:
    with pytest.raises(ValidationError) as error:
        services.program_update(program=program, eligible_min_level=15, eligible_max_level=2)
    assert "eligible_max_level" in error.value.message_dict


def test_an_enrollment_withdrawn_after_the_admin_loaded_it_is_not_approved_back_to_active(
    outsider: Person,
) -> None:
    program = ProgramFactory(requires_approval=True)
    as_the_admin_saw_it = enrollment_join(
        program=program, person=outsider, role="mentee", focus_areas=[GOAL]
    )
    services.enrollment_withdraw(enrollment=outsider.enrollments.get())
    with pytest.raises(ValidationError, match="awaiting approval"):
        services.enrollment_decide(enrollment=as_the_admin_saw_it, approve=True)
    assert outsider.enrollments.get().status == EnrollmentStatus.WITHDRAWN


def test_withdrawing_from_a_page_loaded_before_another_withdrawal_is_refused(
    program: Program, mentee: Person
) -> None:
    as_the_second_tab_saw_it = mentee.enrollments.get()
    services.enrollment_withdraw(enrollment=mentee.enrollments.get())
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.enrollment_withdraw(enrollment=as_the_second_tab_saw_it)
