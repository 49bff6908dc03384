"""Check-ins on the program's schedule, who reads each answer, feedback and thank-you notes."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from mentorbridge.mentorships.appreciation.selectors import thanks_on_profile
from mentorbridge.mentorships.appreciation.services import thank_you_display, thank_you_send
from mentorbridge.mentorships.checkins.selectors import as_seen_by, checkin_due
from mentorbridge.mentorships.checkins.services import checkin_submit, feedback_send
from mentorbridge.mentorships.health.models import CareSettings
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.notifications.models import Notification
from mentorbridge.people.models import Person
from tests.factories import PersonFactory
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db


def _days_in(mentorship: Mentorship, days: int) -> datetime.datetime:
    return mentorship.started_at + datetime.timedelta(days=days)


def _answer(mentorship: Mentorship, by: Person, occasion: str, **visibility: str) -> object:
    return checkin_submit(
        mentorship=mentorship, by=by, occasion=occasion, satisfaction=4, progress=3,
        working="not_sure", text="Going fine", visibility=visibility,
    )  # fmt: skip


def test_the_first_check_in_is_due_on_day_30_then_every_60_days(
    mentorship: Mentorship, mentee: Person
) -> None:
    with time_machine.travel(_days_in(mentorship, 29), tick=False):
        assert checkin_due(mentorship, mentee) is None
    with time_machine.travel(_days_in(mentorship, 30), tick=False):
        due = checkin_due(mentorship, mentee)
        assert due is not None and due.name == "scheduled-1"
        _answer(mentorship, mentee, "scheduled-1")
        assert checkin_due(mentorship, mentee) is None
    with time_machine.travel(_days_in(mentorship, 90), tick=False):
        due = checkin_due(mentorship, mentee)
        assert due is not None and due.name == "scheduled-2"


def test_the_program_sets_its_own_schedule(mentorship: Mentorship, mentee: Person) -> None:
    CareSettings.objects.create(program=mentorship.program, checkin_first_day=7)
    with time_machine.travel(_days_in(mentorship, 7), tick=False):
        assert checkin_due(mentorship, mentee) is not None


def test_one_check_in_per_occasion(mentorship: Mentorship, mentee: Person) -> None:
    with time_machine.travel(_days_in(mentorship, 31), tick=False):
        _answer(mentorship, mentee, "scheduled-1")
        with pytest.raises(ValidationError, match="already checked in for check-in 1"):
            _answer(mentorship, mentee, "scheduled-1")


def test_a_check_in_not_yet_due_is_refused(mentorship: Mentorship, mentee: Person) -> None:
    with pytest.raises(ValidationError, match="“scheduled-1” is not a check-in"):
        _answer(mentorship, mentee, "scheduled-1")


def test_out_of_scale_answers_are_refused_by_name(mentorship: Mentorship, mentee: Person) -> None:
    today = datetime.date.today().isoformat()
    with pytest.raises(ValidationError) as caught:
        checkin_submit(
            mentorship=mentorship, by=mentee, occasion=f"extra-{today}", satisfaction=9,
            progress=0, working="maybe",
        )  # fmt: skip
    assert set(caught.value.message_dict) == {"satisfaction", "progress", "working"}


def test_each_answer_is_read_only_by_whom_it_was_shared_with(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    today = datetime.date.today().isoformat()
    checkin = _answer(
        mentorship, mentee, f"extra-{today}", satisfaction="other", progress="team",
        working="stats", text="team",
    )  # fmt: skip
    by_mentor = as_seen_by(checkin, mentor)  # type: ignore[arg-type]
    assert (by_mentor.satisfaction, by_mentor.progress, by_mentor.working, by_mentor.text) == (
        4, None, None, None,
    )  # fmt: skip
    by_team = as_seen_by(checkin, mentor, team=True)  # type: ignore[arg-type]
    assert (by_team.satisfaction, by_team.progress, by_team.working, by_team.text) == (
        4, 3, None, "Going fine",
    )  # fmt: skip
    assert as_seen_by(checkin, mentee).working == "Not sure"  # type: ignore[arg-type]


def test_only_participants_check_in(mentorship: Mentorship) -> None:
    with pytest.raises(PermissionDenied):
        _answer(mentorship, PersonFactory(), "extra-2026-01-01")


def test_feedback_reaches_the_other_person_once(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    feedback_send(
        mentorship=mentorship, by=mentee, going_well="Clear advice", could_be_better="Agendas"
    )
    send_outbox()
    [email] = mail.outbox
    assert email.to == [mentor.email] and "Mia Mentee sent you feedback" in email.subject


def test_empty_feedback_is_refused(mentorship: Mentorship, mentee: Person) -> None:
    with pytest.raises(ValidationError, match="going well"):
        feedback_send(mentorship=mentorship, by=mentee, going_well=" ", could_be_better="")


def test_thanks_show_on_the_profile_only_when_the_receiver_says_so(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    note = thank_you_send(mentorship=mentorship, by=mentee, message="You changed how I review")
    assert Notification.objects.get(recipient=mentor.user).kind == "thank_you"
    stranger = PersonFactory()
    assert thanks_on_profile(mentor, stranger) == []
    assert thanks_on_profile(mentor, mentor) == [note]
    thank_you_display(note=note, by=mentor, on_profile=True, manager_can_see=False)
    assert thanks_on_profile(mentor, stranger) == [note]


def test_a_mentor_lets_their_manager_see_thanks(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    manager = PersonFactory()
    mentor.manager = manager
    mentor.save(update_fields=["manager"])
    note = thank_you_send(mentorship=mentorship, by=mentee, message="Thank you")
    assert thanks_on_profile(mentor, manager) == []
    thank_you_display(note=note, by=mentor, on_profile=False, manager_can_see=True)
    assert thanks_on_profile(mentor, manager) == [note]


def test_only_the_receiver_chooses_and_only_mentors_involve_managers(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    note = thank_you_send(mentorship=mentorship, by=mentor, message="Great questions")
    with pytest.raises(PermissionDenied):
        thank_you_display(note=note, by=mentor, on_profile=True, manager_can_see=False)
    with pytest.raises(ValidationError, match="Only mentors"):
        thank_you_display(note=note, by=mentee, on_profile=True, manager_can_see=True)
