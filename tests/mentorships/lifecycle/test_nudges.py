"""The daily sweep: each nudge once per occasion, to the right person, by their choice; a
second run the same day sends nothing; pauses resume and mentorships past their end close
after the reminder. Dates are set with a frozen clock."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.agreements import services as agreements
from mentorbridge.mentorships.lifecycle.nudges import nudges_sweep
from mentorbridge.mentorships.lifecycle.services import mentorship_pause
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.notifications.models import Channel, DailyRun, Notification
from mentorbridge.notifications.services import preference_set
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture
def started(mentorship: Mentorship) -> Mentorship:
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=START)
    mentorship.refresh_from_db()
    return mentorship


def _at(days: int) -> datetime.datetime:
    return START + datetime.timedelta(days=days)


def _kinds(person: Person) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person.user).values_list("kind", flat=True))


def _sweep(days: int) -> dict[str, int]:
    with time_machine.travel(_at(days), tick=False):
        counts = nudges_sweep()
        send_outbox()
    return counts


def _meeting(
    m: Mentorship, when: datetime.datetime, status: str = MeetingStatus.PLANNED
) -> Meeting:
    return Meeting.objects.create(
        mentorship=m, starts_at=when, minutes=30, channel="phone", status=status,
        planned_by=m.mentee,
    )  # fmt: skip


def test_a_second_run_the_same_day_sends_nothing(started: Mentorship, mentee: Person) -> None:
    first = _sweep(30)
    assert first["notifications"] > 0
    sent = len(mail.outbox)
    assert _sweep(30) == {}
    with time_machine.travel(_at(30), tick=False):
        assert nudges_sweep(force=True)["notifications"] == 0
    assert len(mail.outbox) == sent


def test_check_in_due_goes_to_both_once(
    started: Mentorship, mentee: Person, mentor: Person
) -> None:
    _sweep(30)
    _sweep(31)
    due = Notification.objects.filter(kind="checkin_due")
    assert {n.recipient_id for n in due} == {mentee.user.pk, mentor.user.pk}
    assert len([e for e in mail.outbox if "check-in is due" in e.subject]) == 2


def test_a_person_who_turned_a_kind_off_gets_none_of_it(
    started: Mentorship, mentee: Person, mentor: Person
) -> None:
    preference_set(user=mentee.user, kind="checkin_due", channel=Channel.OFF)
    preference_set(user=mentor.user, kind="checkin_due", channel=Channel.IN_APP)
    _sweep(30)
    assert "checkin_due" not in _kinds(mentee)
    assert "checkin_due" in _kinds(mentor)
    assert not [e for e in mail.outbox if "check-in" in e.subject]


def test_prepare_the_agenda_two_days_ahead_and_log_yesterdays_meeting(
    started: Mentorship, mentee: Person
) -> None:
    ahead = _meeting(started, _at(12) + datetime.timedelta(hours=1))
    _sweep(10)
    assert "prepare_agenda" in _kinds(mentee)
    _sweep(11)
    assert _kinds(mentee).count("prepare_agenda") == 1
    _sweep(13)
    assert "log_meeting" in _kinds(mentee)
    ahead.status = MeetingStatus.HELD
    ahead.save()
    _sweep(14)
    assert _kinds(mentee).count("log_meeting") == 1


def test_no_meeting_for_45_days(started: Mentorship, mentee: Person) -> None:
    _meeting(started, _at(5), MeetingStatus.HELD)
    _sweep(49)
    assert "no_meeting" not in _kinds(mentee)
    _sweep(50)
    _sweep(51)
    assert _kinds(mentee).count("no_meeting") == 1


def test_an_overdue_action_item_reminds_its_owner_only(
    started: Mentorship, mentee: Person, mentor: Person
) -> None:
    ActionItem.objects.create(
        mentorship=started, owner=mentor, title="Send the article", created_by=mentee,
        due_on=_at(20).date(),
    )  # fmt: skip
    _sweep(21)
    assert "action_items_overdue" in _kinds(mentor)
    assert "action_items_overdue" not in _kinds(mentee)


def test_the_agreement_waits_for_whoever_has_not_confirmed(
    started: Mentorship, mentee: Person, mentor: Person
) -> None:
    with time_machine.travel(_at(1), tick=False):
        first = agreements.agreement_draft(mentorship=started, by=mentee)
        terms = dataclasses.replace(
            agreements.AgreementTerms.of(first), video_link="https://meet.example.com/x"
        )
        agreements.agreement_change(mentorship=started, by=mentee, terms=terms)
        agreements.agreement_confirm(mentorship=started, by=mentee, number=2)
    _sweep(3)
    assert "agreement_waiting" in _kinds(mentor) and "agreement_waiting" not in _kinds(mentee)


def test_ending_soon_then_closing_after_the_end_date(
    started: Mentorship, mentee: Person, mentor: Person
) -> None:
    with time_machine.travel(_at(1), tick=False):
        agreements.agreement_draft(mentorship=started, by=mentee)
    ends_on = started.agreement_versions.order_by("-number").first().ends_on  # type: ignore[union-attr]
    days_to_end = (ends_on - START.date()).days
    _sweep(days_to_end - 15)
    assert "ending_soon" not in _kinds(mentee)
    _sweep(days_to_end - 14)
    assert "ending_soon" in _kinds(mentee) and "ending_soon" in _kinds(mentor)
    _sweep(days_to_end)
    started.refresh_from_db()
    assert started.status == MentorshipStatus.ACTIVE
    _sweep(days_to_end + 1)
    started.refresh_from_db()
    assert started.status == MentorshipStatus.ENDED and not started.ended_early
    assert "closure" in _kinds(mentee)


def test_a_pause_ends_with_a_reminder_then_a_question_then_resumes_unanswered(
    started: Mentorship, mentee: Person, mentor: Person
) -> None:
    with time_machine.travel(_at(10), tick=False):
        mentorship_pause(mentorship=started, by=mentee, reason="Travel", resume_on=_at(20).date())
    _sweep(19)
    assert "pause_ending" in _kinds(mentor)
    _sweep(20)
    started.refresh_from_db()
    assert started.status == MentorshipStatus.PAUSED
    assert started.resume_asked_on == _at(20).date()
    assert "resume_or_extend" in _kinds(mentee) and "resume_or_extend" not in _kinds(mentor)
    _sweep(26)
    started.refresh_from_db()
    assert started.status == MentorshipStatus.PAUSED
    _sweep(27)
    started.refresh_from_db()
    assert started.status == MentorshipStatus.ACTIVE and started.resume_asked_on is None
    assert _kinds(mentee).count("resume_or_extend") == 1


def _sweep_queries(days: int) -> list[str]:
    DailyRun.objects.all().delete()  # each measured run is the day's first
    with time_machine.travel(_at(days), tick=False), CaptureQueriesContext(connection) as queries:
        nudges_sweep(force=True)
    return [q["sql"] for q in queries]


def _busy(m: Mentorship) -> None:
    """A history that makes every kind of nudge fire: a meeting two days ahead without an
    agenda, one yesterday nobody logged, an action item due yesterday, a check-in due."""
    _meeting(m, _at(32) + datetime.timedelta(hours=1))
    _meeting(m, _at(29) + datetime.timedelta(hours=1))
    ActionItem.objects.create(
        mentorship=m, owner=m.mentee, title="Read", created_by=m.mentee, due_on=_at(29).date()
    )


def test_the_sweep_costs_the_same_queries_for_one_or_many_mentorships(
    started: Mentorship, program: Program
) -> None:
    _busy(started)
    one = _sweep_queries(30)
    for i in range(15):
        mentee = PersonFactory(first_name=f"Extra{i}")
        area = FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=mentee))
        mentor = PersonFactory(first_name=f"Guide{i}", level=6)
        EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=1)
        m = mentorship_start(
            program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
        )
        Mentorship.objects.filter(pk=m.pk).update(started_at=START)
        _busy(m)
    Notification.objects.all().delete()
    many = _sweep_queries(30)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"prepare_agenda", "log_meeting", "action_items_overdue", "checkin_due"} <= kinds
    assert Notification.objects.filter(kind="checkin_due").count() == 32
    if connection.vendor != "postgresql":
        # SQLite caps a statement at 999 variables, so its bulk inserts split every ~90
        # notifications whatever the code does; PostgreSQL inserts 1,000 rows a statement.
        many = [q for q in many if not q.startswith("INSERT")]
        one = [q for q in one if not q.startswith("INSERT")]
    assert len(many) == len(one)


def test_every_member_of_a_group_is_nudged_and_named_with_the_others(
    started: Mentorship, mentee: Person, mentor: Person, program: Program
) -> None:
    from mentorbridge.mentorships.groups.services import group_member_add

    gus = PersonFactory(first_name="Gus", last_name="Member")
    FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=gus, role="mentee"))
    group_member_add(mentorship=started, person=gus, by=mentor.user)
    _meeting(started, _at(12) + datetime.timedelta(hours=1))
    ActionItem.objects.create(
        mentorship=started, title="Draft the proposal", owner=gus, created_by=mentor,
        due_on=_at(9).date(),
    )  # fmt: skip
    _sweep(10)
    for person in (mentee, mentor, gus):
        assert "prepare_agenda" in _kinds(person)
    title = Notification.objects.get(recipient=gus.user, kind="prepare_agenda").title
    assert title == "Prepare your meeting with Mia and Max"
    overdue = Notification.objects.filter(kind="action_items_overdue")
    assert [n.recipient_id for n in overdue] == [gus.user.pk]
    _sweep(30)
    due = Notification.objects.filter(kind="checkin_due")
    assert {n.recipient_id for n in due} == {mentee.user.pk, mentor.user.pk, gus.user.pk}
