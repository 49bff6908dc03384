"""The day before a meeting both people are reminded to prepare the agenda, once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mentorbridge.mentorships.meetings import services
from mentorbridge.mentorships.meetings.reminders import agenda_reminders_send
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.notifications.models import Notification
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def test_tomorrows_meeting_reminds_both_people_once(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    start = timezone.now() + datetime.timedelta(hours=20)
    services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=start)
    services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=start + datetime.timedelta(days=3)
    )
    sent = agenda_reminders_send()
    assert {n.recipient_id for n in sent} == {mentee.user.pk, mentor.user.pk}
    mine = next(n for n in sent if n.recipient_id == mentee.user.pk)
    assert mine.title.endswith("mentoring meeting with Max Mentor")
    assert "questions" in mine.body
    assert agenda_reminders_send() == []
    assert Notification.objects.filter(kind="meeting_tomorrow").count() == 2


def test_a_moved_meeting_is_reminded_again_and_a_cancelled_one_not_at_all(
    mentorship: Mentorship, mentee: Person
) -> None:
    start = timezone.now() + datetime.timedelta(hours=20)
    meeting = services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=start)
    agenda_reminders_send()
    services.meeting_reschedule(
        meeting=meeting, by=mentee, starts_at=start + datetime.timedelta(hours=1),
        minutes=meeting.minutes, channel=meeting.channel,
    )  # fmt: skip
    assert len(agenda_reminders_send()) == 2
    services.meeting_cancel(meeting=meeting, by=mentee)
    assert agenda_reminders_send() == []
