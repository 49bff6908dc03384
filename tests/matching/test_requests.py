"""Requests: every state change and every refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentorbridge.matching import rules
from mentorbridge.matching.models import MentorRequest, PairExclusion
from mentorbridge.matching.services import requests as svc
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db


def ask(mentee: Person, mentor: Person, area: FocusArea, message: str = "Please!") -> MentorRequest:
    return svc.request_create(mentee=mentee, mentor=mentor, focus_area=area, message=message)


def test_a_request_is_open_until_the_programs_expiry(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = ask(mentee, mentor, focus_area)
    assert request.status == "open"
    assert (
        request.expires_at - request.created_at
    ).days == focus_area.enrollment.program.request_expiry_days


def test_the_mentor_is_emailed_about_a_new_request(
    mentee: Person, mentor: Person, focus_area: FocusArea, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ask(mentee, mentor, focus_area, "I admire your design reviews.")
    assert DBTaskResult.objects.count() == 1
    assert send_outbox() == ["sent"]
    [email] = mail.outbox
    assert email.to == ["max@example.com"]
    assert email.subject == "Mia Mentee would like you as a mentor"
    assert "I admire your design reviews." in email.body and "/mentoring/inbox/" in email.body


def test_a_request_needs_a_message(mentee: Person, mentor: Person, focus_area: FocusArea) -> None:
    with pytest.raises(ValidationError) as error:
        ask(mentee, mentor, focus_area, "  ")
    assert "message" in error.value.message_dict


def test_nobody_can_ask_for_someone_elses_focus_area(
    outsider: Person, mentor: Person, focus_area: FocusArea
) -> None:
    with pytest.raises(PermissionDenied):
        ask(outsider, mentor, focus_area)


def test_asking_the_same_mentor_twice_answers_with_the_open_request(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    first = ask(mentee, mentor, focus_area)
    with pytest.raises(svc.AlreadyAsked, match="already asked Max Mentor") as already:
        ask(mentee, mentor, focus_area)
    assert already.value.existing == first
    assert MentorRequest.objects.count() == 1


def test_the_open_request_limit_is_the_programs(
    mentee: Person, focus_area: FocusArea, program: Program
) -> None:
    program.max_open_requests = 2
    program.save()
    mentors = [PersonFactory() for _ in range(3)]
    for m in mentors:
        EnrollmentFactory(program=program, person=m, role="mentor", mentor_capacity=1)
    ask(mentee, mentors[0], focus_area)
    ask(mentee, mentors[1], focus_area)
    with pytest.raises(ValidationError, match="already have 2 open requests"):
        ask(mentee, mentors[2], focus_area)


def test_a_manager_in_the_reporting_line_cannot_be_asked(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    skip_level = mentor
    manager = PersonFactory(manager=skip_level)
    mentee.manager = manager
    mentee.save()
    with pytest.raises(ValidationError) as error:
        ask(mentee, skip_level, focus_area)
    assert error.value.messages == [rules.IN_REPORTING_LINE.format(mentor=mentor)]


def test_ones_own_report_cannot_be_asked(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    mentor.manager = mentee
    mentor.save()
    with pytest.raises(ValidationError, match="reports to you"):
        ask(mentee, mentor, focus_area)


def test_a_pair_that_ended_early_is_not_repeated(
    mentee: Person, mentor: Person, focus_area: FocusArea, program: Program
) -> None:
    Mentorship.objects.create(
        program=program, mentee=mentee, mentor=mentor, focus_area=focus_area, source="request",
        status="ended", ended_early=True,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="ended early"):
        ask(mentee, mentor, focus_area)


def test_an_excluded_pair_cannot_be_asked(
    mentee: Person, mentor: Person, focus_area: FocusArea, program: Program
) -> None:
    PairExclusion.objects.create(program=program, mentee=mentee, mentor=mentor)
    with pytest.raises(ValidationError, match="ruled out"):
        ask(mentee, mentor, focus_area)


def test_a_paused_or_full_mentor_cannot_be_asked(
    mentee: Person, mentor: Person, focus_area: FocusArea, program: Program
) -> None:
    enrollment = mentor.enrollments.get(program=program)
    enrollment.accepting_requests = False
    enrollment.save()
    with pytest.raises(ValidationError, match="isn't taking new requests"):
        ask(mentee, mentor, focus_area)
    enrollment.accepting_requests = True
    enrollment.mentor_capacity = 0
    enrollment.save()
    with pytest.raises(ValidationError, match="no mentee places left"):
        ask(mentee, mentor, focus_area)


def test_accepting_starts_a_mentorship_and_withdraws_the_other_requests(
    mentee: Person, mentor: Person, second_mentor: Person, focus_area: FocusArea
) -> None:
    first = ask(mentee, mentor, focus_area)
    second = ask(mentee, second_mentor, focus_area)
    mentorship = svc.request_accept(request=first, by=mentor)
    assert (mentorship.mentor, mentorship.focus_area) == (mentor, focus_area)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "accepted" and first.answered_at is not None
    assert second.status == "withdrawn" and second.closed_note == svc.WITHDRAWN_OTHER_ACCEPTED


def test_only_the_mentor_answers(
    mentee: Person, mentor: Person, second_mentor: Person, focus_area: FocusArea
) -> None:
    request = ask(mentee, mentor, focus_area)
    for person in (mentee, second_mentor):
        with pytest.raises(PermissionDenied):
            svc.request_accept(request=request, by=person)


def test_a_full_mentor_cannot_accept(
    mentee: Person, second_mentor: Person, focus_area: FocusArea, program: Program
) -> None:
    request = ask(mentee, second_mentor, focus_area)
    other = EnrollmentFactory(program=program, role="mentee")
    Mentorship.objects.create(
        program=program, mentee=other.person, mentor=second_mentor,
        focus_area=FocusAreaFactory(enrollment=other), source="request",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        svc.request_accept(request=request, by=second_mentor)
    assert refused.value.messages == [
        "You have no mentee places left in Engineering Growth: to accept Mia Mentee, first take "
        "one more mentee on the program page (up to 3), or decline."
    ]
    request.refresh_from_db()
    assert request.status == "open"


def test_a_mentor_full_at_the_program_limit_is_told_to_decline(
    mentee: Person, second_mentor: Person, focus_area: FocusArea, program: Program
) -> None:
    request = ask(mentee, second_mentor, focus_area)
    program.max_mentees_per_mentor = 1
    program.save()
    other = EnrollmentFactory(program=program, role="mentee")
    Mentorship.objects.create(
        program=program, mentee=other.person, mentor=second_mentor,
        focus_area=FocusAreaFactory(enrollment=other), source="request",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        svc.request_accept(request=request, by=second_mentor)
    assert refused.value.messages == [
        "You have no mentee places left in Engineering Growth, and 1 is the most it allows: "
        "decline, so Mia can ask someone else."
    ]


def test_declining_needs_a_reason_and_a_note_for_other(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = ask(mentee, mentor, focus_area)
    with pytest.raises(ValidationError):
        svc.request_decline(request=request, by=mentor, reason="other", note="")
    svc.request_decline(request=request, by=mentor, reason="no_time")
    request.refresh_from_db()
    assert (request.status, request.decline_reason) == ("declined", "no_time")
    with pytest.raises(ValidationError, match="already declined"):
        svc.request_accept(request=request, by=mentor)


def test_asking_for_information_then_replying_reopens_the_request(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = ask(mentee, mentor, focus_area)
    svc.request_ask_info(request=request, by=mentor, question="What have you tried?")
    request.refresh_from_db()
    assert request.status == "info_requested" and request.answered_at is not None
    with pytest.raises(PermissionDenied):
        svc.request_answer_info(request=request, by=mentor, answer="x")
    svc.request_answer_info(request=request, by=mentee, answer="Two design docs.")
    request.refresh_from_db()
    assert (request.status, request.info_answer) == ("open", "Two design docs.")


def test_a_mentee_withdraws_only_their_own_request(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = ask(mentee, mentor, focus_area)
    with pytest.raises(PermissionDenied):
        svc.request_withdraw(request=request, by=mentor)
    svc.request_withdraw(request=request, by=mentee)
    assert MentorRequest.objects.get().status == "withdrawn"


def test_unanswered_requests_expire_and_the_mentee_is_told(
    mentee: Person, mentor: Person, focus_area: FocusArea, django_capture_on_commit_callbacks
) -> None:
    request = ask(mentee, mentor, focus_area)
    assert svc.requests_expire(now=timezone.now()) == 0
    later = request.expires_at + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.requests_expire(now=later) == 1
    request.refresh_from_db()
    assert request.status == "expired"
    assert send_outbox() == ["sent", "sent"]  # the mentor's request email, then the mentee's
    assert "expired" in mail.outbox[1].subject
    assert f"/find/{focus_area.pk}/" in mail.outbox[1].body


def test_a_mentee_never_gets_the_same_mentor_for_two_focus_areas(
    mentee: Person, mentor: Person, focus_area: FocusArea, program: Program
) -> None:
    svc.request_accept(request=ask(mentee, mentor, focus_area), by=mentor)
    second_area = FocusAreaFactory(enrollment=focus_area.enrollment, title="Public speaking")
    with pytest.raises(ValidationError, match="already mentors you"):
        ask(mentee, mentor, second_area)


def test_no_request_while_a_proposal_waits_and_an_accepted_request_withdraws_proposals(
    mentee: Person, mentor: Person, second_mentor: Person, focus_area: FocusArea, program: Program,
    program_admin: Person,
) -> None:  # fmt: skip
    from mentorbridge.matching.models import Proposal
    from mentorbridge.matching.services import rounds

    request = ask(mentee, second_mentor, focus_area)
    matching_round = rounds.round_start(program=program, by=program_admin)
    rounds.round_publish(matching_round=matching_round, by=program_admin)
    with pytest.raises(ValidationError, match="answer that proposal first"):
        ask(mentee, PersonFactory(), focus_area)
    svc.request_accept(request=request, by=second_mentor)
    assert not Proposal.objects.filter(focus_area=focus_area, status="sent").exists()


def test_a_closed_program_takes_no_requests(
    mentee: Person, mentor: Person, focus_area: FocusArea, program: Program
) -> None:
    request = ask(mentee, mentor, focus_area)
    from mentorbridge.programs.services import program_set_status

    program.status = "running"
    program.save()
    program_set_status(program=program, status="closed")
    request.refresh_from_db()
    assert request.status == "withdrawn" and request.closed_note == "the program has closed"
    with pytest.raises(ValidationError, match="isn't matching people right now"):
        ask(mentee, mentor, FocusArea.objects.get(pk=focus_area.pk))


def test_a_mentor_who_left_the_company_cannot_be_asked(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    mentor.is_active = False
    mentor.save()
    with pytest.raises(ValidationError):
        ask(mentee, mentor, focus_area)
