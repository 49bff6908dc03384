"""Health from the database: facts for many mentorships, the admins' list with reasons and
the last meeting, thresholds per program, and reaching out."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.checkins.services import checkin_submit
from mentorbridge.mentorships.health.models import ReachOut
from mentorbridge.mentorships.health.rules import Level
from mentorbridge.mentorships.health.selectors import health_of, program_health
from mentorbridge.mentorships.health.services import care_update
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db


def _meeting(m: Mentorship, days_ago: int, status: str) -> Meeting:
    return Meeting.objects.create(
        mentorship=m, starts_at=timezone.now() - datetime.timedelta(days=days_ago), minutes=30,
        channel="phone", status=status, planned_by=m.mentee,
    )  # fmt: skip


def test_a_no_in_a_check_in_puts_the_mentorship_at_risk_with_its_reason(
    mentorship: Mentorship, mentee: Person
) -> None:
    checkin_submit(
        mentorship=mentorship, by=mentee, occasion=f"extra-{timezone.localdate().isoformat()}",
        satisfaction=3, progress=2, working="no",
    )  # fmt: skip
    health = health_of(mentorship)
    assert health is not None and health.level is Level.AT_RISK
    assert "answered “no”" in health.reasons[0].text


def test_missed_meetings_count_back_to_the_last_held_one(mentorship: Mentorship) -> None:
    _meeting(mentorship, 20, MeetingStatus.MISSED)
    _meeting(mentorship, 15, MeetingStatus.HELD)
    _meeting(mentorship, 10, MeetingStatus.MISSED)
    _meeting(mentorship, 5, MeetingStatus.MISSED)
    health = health_of(mentorship)
    assert health is not None
    assert [r.text for r in health.reasons] == ["2 meetings missed in a row."]


def test_the_program_list_shows_reasons_and_the_last_meeting_worst_first(
    mentorship: Mentorship, program_admin: Person, client_for: Callable[[Person | None], Client]
) -> None:
    _meeting(mentorship, 50, MeetingStatus.HELD)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        found = program_health(mentorship.program)
        page = client_for(program_admin).get("/programs/engineering-growth/health/")
    assert [r.mentorship for r in found.rows] == [mentorship]
    assert found.counts["at_risk"] == 1
    text = page.content.decode()
    assert "No meeting for 51 days" in text and "Reach out" in text


def test_admins_change_thresholds_per_program(
    mentorship: Mentorship, program_admin: Person
) -> None:
    _meeting(mentorship, 50, MeetingStatus.HELD)
    care_update(program=mentorship.program, by=program_admin, no_meeting_days=60)
    health = health_of(mentorship)
    assert health is not None and health.level is not Level.AT_RISK


def test_the_rules_page_saves_thresholds(
    mentorship: Mentorship, program_admin: Person, client_for: Callable[[Person | None], Client]
) -> None:
    data = {
        "checkin_first_day": 14, "checkin_every_days": 30, "no_meeting_days": 30,
        "missed_in_a_row": 3, "low_satisfaction": 1, "no_goals_days": 21,
        "overdue_action_items": 2, "agreement_days": 7,
    }  # fmt: skip
    response = client_for(program_admin).post("/programs/engineering-growth/health/rules/", data)
    assert response.status_code == 302
    assert mentorship.program.care.no_meeting_days == 30


def test_participants_cannot_see_the_program_health_page(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    assert client_for(mentee).get("/programs/engineering-growth/health/").status_code == 403


def test_reaching_out_emails_both_and_is_logged(
    mentorship: Mentorship,
    program_admin: Person,
    mentee: Person,
    mentor: Person,
    client_for: Callable[[Person | None], Client],
) -> None:
    url = f"/programs/engineering-growth/health/{mentorship.pk}/reach-out/"
    response = client_for(program_admin).post(
        url, {"to": "both", "subject": "Checking in", "message": "How can we help?"}
    )
    assert response.status_code == 302
    assert ReachOut.objects.count() == 2
    send_outbox()
    assert sorted(e.to[0] for e in mail.outbox) == sorted([mentee.email, mentor.email])
    assert "Ada Admin" in mail.outbox[0].subject
    assert "Checking in" in client_for(program_admin).get(url).content.decode()


def test_the_participants_see_their_status_and_the_next_step(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        page = client_for(mentee).get(mentorship.get_absolute_url()).content.decode()
    assert "No goals 31 days after the start." in page and "Set your first goal together." in page
