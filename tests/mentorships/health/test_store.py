"""Stored health: written by the daily sweep and again on every change the rules read, read by
the admins' list and the API (paginated, with reasons and the last meeting), in the same
number of queries however many mentorships; the participants' live status agrees with it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.checkins.services import checkin_submit
from mentorbridge.mentorships.goals.models import Goal
from mentorbridge.mentorships.health.models import MentorshipHealth
from mentorbridge.mentorships.health.rules import Level
from mentorbridge.mentorships.health.selectors import health_of, program_health
from mentorbridge.mentorships.health.services import care_update
from mentorbridge.mentorships.lifecycle.nudges import nudges_sweep
from mentorbridge.mentorships.lifecycle.services import mentorship_pause, mentorship_resume
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _stored(m: Mentorship) -> MentorshipHealth:
    return MentorshipHealth.objects.get(mentorship=m)


def _meeting(m: Mentorship, days_ago: int, status: str) -> Meeting:
    return Meeting.objects.create(
        mentorship=m, starts_at=timezone.now() - datetime.timedelta(days=days_ago), minutes=30,
        channel="phone", status=status, planned_by=m.mentee,
    )  # fmt: skip


def _more_mentorships(program: Program, n: int) -> list[Mentorship]:
    made = []
    for i in range(n):
        mentee = PersonFactory(first_name=f"Extra{i}")
        area = FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=mentee))
        mentor = PersonFactory(first_name=f"Guide{i}", level=6)
        EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=1)
        made.append(
            mentorship_start(
                program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
            )
        )
    return made


def test_a_new_mentorship_has_its_health_stored_at_once(mentorship: Mentorship) -> None:
    row = _stored(mentorship)
    assert row.level == Level.ON_TRACK and row.computed_on == timezone.localdate()


def test_a_check_in_saying_no_stores_at_risk_with_its_reason_and_facts(
    mentorship: Mentorship, mentee: Person
) -> None:
    checkin_submit(
        mentorship=mentorship, by=mentee, occasion=f"extra-{timezone.localdate().isoformat()}",
        satisfaction=4, progress=3, working="no",
    )  # fmt: skip
    row = _stored(mentorship)
    assert row.level == Level.AT_RISK
    assert row.reasons[0]["rule"] == "unhappy_checkin"
    assert "answered “no”" in row.reasons[0]["text"]
    assert row.facts["latest_working"] == ["no"]


def test_meetings_goals_and_action_items_store_the_health_again(mentorship: Mentorship) -> None:
    missed = [_meeting(mentorship, d, MeetingStatus.MISSED) for d in (10, 5)]
    assert [r["rule"] for r in _stored(mentorship).reasons] == ["missed_in_a_row"]
    missed[1].status = MeetingStatus.HELD
    missed[1].save()
    row = _stored(mentorship)
    assert row.level == Level.ON_TRACK
    assert row.last_meeting_on == timezone.localdate(missed[1].starts_at)
    item = ActionItem.objects.create(
        mentorship=mentorship, owner=mentorship.mentor, title="Read", created_by=mentorship.mentee,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )  # fmt: skip
    assert [r["rule"] for r in _stored(mentorship).reasons] == ["overdue_action_items"]
    item.delete()
    assert _stored(mentorship).level == Level.ON_TRACK
    Goal.objects.create(mentorship=mentorship, description="Lead a design review",
                        created_by=mentorship.mentee)  # fmt: skip
    assert _stored(mentorship).facts["goals"] == 1


def test_pausing_removes_the_row_and_resuming_stores_it_again(
    mentorship: Mentorship, mentee: Person
) -> None:
    mentorship_pause(
        mentorship=mentorship, by=mentee, reason="Leave",
        resume_on=timezone.localdate() + datetime.timedelta(days=10),
    )  # fmt: skip
    assert not MentorshipHealth.objects.filter(mentorship=mentorship).exists()
    assert program_health(mentorship.program).counts["paused"] == 1
    mentorship_resume(mentorship=mentorship, by=mentee)
    assert _stored(mentorship).level == Level.ON_TRACK


@pytest.mark.parametrize("days_later", [0, 31, 60])
def test_the_participants_live_status_agrees_with_the_stored_one(
    mentorship: Mentorship,
    mentee: Person,
    program_admin: Person,
    client_for: Callable[[Person | None], Client],
    days_later: int,
) -> None:
    _meeting(mentorship, 3, MeetingStatus.MISSED)
    _meeting(mentorship, 1, MeetingStatus.MISSED)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=days_later)):
        nudges_sweep()
        live = health_of(mentorship)
        row = _stored(mentorship)
        api = client_for(mentee).get(f"/api/v1/mentorships/{mentorship.pk}/health").json()
        listed = client_for(program_admin).get("/api/v1/programs/engineering-growth/health").json()
    assert live is not None
    assert row.level == live.level
    assert row.reasons == [
        {"rule": r.rule, "level": r.level.slug, "text": r.text, "next_step": r.next_step}
        for r in live.reasons
    ]
    assert api["status"] == live.level.slug
    assert [r["text"] for r in api["reasons"]] == [r.text for r in live.reasons]
    assert [r["text"] for r in listed["items"][0]["reasons"]] == [r.text for r in live.reasons]


def test_the_list_costs_the_same_queries_for_one_or_many_mentorships(
    mentorship: Mentorship, program: Program, client_for: Callable[[Person | None], Client],
    program_admin: Person,
) -> None:  # fmt: skip
    def cost() -> int:
        client = client_for(program_admin)
        nudges_sweep(force=True)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/programs/engineering-growth/health/").status_code == 200
        return len(queries)

    for m in [mentorship]:
        _meeting(m, 3, MeetingStatus.MISSED)
        _meeting(m, 1, MeetingStatus.MISSED)
    one = cost()
    for m in _more_mentorships(program, 30):
        _meeting(m, 3, MeetingStatus.MISSED)
        _meeting(m, 1, MeetingStatus.MISSED)
    many = cost()
    assert program_health(program).counts["at_risk"] == 31
    assert many == one


def test_the_list_is_paginated_worst_first(
    mentorship: Mentorship, program: Program, program_admin: Person,
    client_for: Callable[[Person | None], Client],
) -> None:  # fmt: skip
    extra = _more_mentorships(program, 26)
    for m in extra:
        _meeting(m, 3, MeetingStatus.MISSED)
        _meeting(m, 1, MeetingStatus.MISSED)
    ActionItem.objects.create(
        mentorship=mentorship, owner=mentorship.mentor, title="Read", created_by=mentorship.mentee,
        due_on=timezone.localdate() - datetime.timedelta(days=2),
    )  # fmt: skip
    first = program_health(program)
    assert first.page.paginator.count == 27 and len(first.rows) == 25
    assert all(r.health.level is Level.AT_RISK for r in first.rows)
    last = program_health(program, page=2)
    assert [r.mentorship for r in last.rows][-1] == mentorship
    client = client_for(program_admin)
    page = client.get("/programs/engineering-growth/health/?page=2").content.decode()
    assert "Page 2 of 2" in page and "1 action item overdue." in page
    api = client.get("/api/v1/programs/engineering-growth/health?page=2&per_page=25").json()
    assert api["listed"] == 27 and api["pages"] == 2 and len(api["items"]) == 2
    assert api["items"][-1]["reasons"][0]["rule"] == "overdue_action_items"


def test_changed_thresholds_are_followed_on_the_next_read(
    mentorship: Mentorship, program_admin: Person
) -> None:
    _meeting(mentorship, 50, MeetingStatus.HELD)
    assert _stored(mentorship).level == Level.AT_RISK
    care_update(program=mentorship.program, by=program_admin, no_meeting_days=60)
    found = program_health(mentorship.program)
    assert found.counts["at_risk"] == 0 and found.stale == 0
    assert _stored(mentorship).level == Level.ON_TRACK


def test_a_row_from_an_earlier_day_is_computed_again_when_read(
    mentorship: Mentorship,
) -> None:
    _meeting(mentorship, 40, MeetingStatus.HELD)
    assert _stored(mentorship).level == Level.ON_TRACK
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6)):
        found = program_health(mentorship.program)
        assert [r.mentorship for r in found.rows] == [mentorship]
        assert _stored(mentorship).computed_on == timezone.localdate()
