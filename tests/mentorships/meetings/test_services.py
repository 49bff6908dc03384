"""Planning, moving, cancelling, marking and logging meetings, and the agenda."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentorbridge.mentorships.meetings import services
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.meetings.selectors import (
    last_held_meeting,
    meeting_terms,
    missed_in_a_row,
    next_meeting,
)
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _soon(days: int = 3, hour: int = 15) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BERLIN)


def _past(mentorship: Mentorship, by: Person, days: int, status: str) -> Meeting:
    meeting = services.meeting_log(
        mentorship=mentorship, by=by, starts_at=timezone.now() - datetime.timedelta(days=days)
    )
    if status != MeetingStatus.HELD:
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
    return meeting


def test_a_planned_meeting_takes_length_and_channel_from_the_program_and_invites_the_other(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    meeting = services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=_soon())
    terms = meeting_terms(mentorship)
    assert (meeting.minutes, meeting.channel) == (terms.minutes, terms.channel)
    assert meeting.starts_at.tzinfo == datetime.UTC
    [email] = OutboxMessage.objects.filter(key__startswith="meeting:")
    assert email.to == mentor.email
    assert "Mia Mentee planned a mentoring meeting" in email.subject
    [ics] = email.attachments
    assert ics["filename"] == "invite.ics" and "METHOD:REQUEST" in ics["content"]


def test_a_meeting_is_planned_in_the_future_and_logged_in_the_past(
    mentorship: Mentorship, mentee: Person
) -> None:
    yesterday = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="has passed"):
        services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=yesterday)
    with pytest.raises(ValidationError, match="still to come"):
        services.meeting_log(mentorship=mentorship, by=mentee, starts_at=_soon())
    logged = services.meeting_log(mentorship=mentorship, by=mentee, starts_at=yesterday)
    assert (logged.status, logged.logged) == ("held", True)
    assert not OutboxMessage.objects.exists()


def test_a_time_in_a_refusal_is_on_the_clock_of_the_person_who_asked(
    mentorship: Mentorship, mentee: Person
) -> None:
    mentee.timezone = "Asia/Tokyo"
    mentee.save(update_fields=["timezone"])
    past = (timezone.now() - datetime.timedelta(days=2)).replace(microsecond=0)
    tokyo = past.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo"))
    with pytest.raises(ValidationError) as refused:
        services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=past)
    assert f"{tokyo.day} {tokyo:%b %Y, %H:%M} JST has passed" in str(refused.value)
    mentee.timezone = "Not/AZone"  # an unknown zone reads as UTC instead of failing
    with pytest.raises(ValidationError, match=f"{past:%H:%M} UTC has passed"):
        services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=past)


def test_a_series_keeps_the_planners_wall_clock_time_across_daylight_saving(
    mentorship: Mentorship, mentor: Person
) -> None:
    year = timezone.localdate().year + 1
    first = datetime.datetime(year, 3, 19, 10, 0, tzinfo=BERLIN)  # DST starts late March
    meetings = services.meeting_plan_series(
        mentorship=mentorship, by=mentor, first_starts_at=first, count=3, cadence="weekly"
    )
    local = [m.starts_at.astimezone(BERLIN) for m in meetings]
    assert [(d.day, d.hour) for d in local] == [(19, 10), (26, 10), (2, 10)]
    assert {m.starts_at.astimezone(datetime.UTC).hour for m in meetings} == {9, 8}
    assert OutboxMessage.objects.filter(key__startswith="meeting-series:").count() == 1


def test_a_monthly_series_lands_on_the_last_day_of_short_months(
    mentorship: Mentorship, mentor: Person
) -> None:
    first = datetime.datetime(timezone.localdate().year + 1, 1, 31, 9, tzinfo=BERLIN)
    meetings = services.meeting_plan_series(
        mentorship=mentorship, by=mentor, first_starts_at=first, count=3, cadence="monthly"
    )
    assert [m.starts_at.astimezone(BERLIN).day for m in meetings][:2] == [
        31,
        28 + (first.year % 4 == 0),
    ]


def test_a_series_is_between_one_and_twenty_six_meetings(
    mentorship: Mentorship, mentor: Person
) -> None:
    with pytest.raises(ValidationError, match="between 1 and 26"):
        services.meeting_plan_series(
            mentorship=mentorship, by=mentor, first_starts_at=_soon(), count=27
        )
    assert not Meeting.objects.exists()


def test_moving_a_meeting_raises_its_sequence_and_sends_the_new_time(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    meeting = services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=_soon())
    moved = services.meeting_reschedule(
        meeting=meeting, by=mentor, starts_at=_soon(4), minutes=30, channel="phone"
    )
    assert (moved.sequence, moved.minutes, moved.channel) == (1, 30, "phone")
    email = OutboxMessage.objects.get(to=mentee.email)
    assert email.subject.startswith("Meeting moved to")
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.meeting_reschedule(
            meeting=moved, by=mentor, starts_at=_soon(4), minutes=30, channel="phone"
        )


def test_a_cancelled_meeting_sends_a_cancel_invitation_and_cannot_be_marked(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    meeting = services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=_soon())
    services.meeting_cancel(meeting=meeting, by=mentee, note="Sick")
    email = OutboxMessage.objects.get(key__contains=":cancelled:")
    assert "METHOD:CANCEL" in email.attachments[0]["content"]
    assert "STATUS:CANCELLED" in email.attachments[0]["content"]
    with pytest.raises(ValidationError, match="only a planned meeting can be cancelled"):
        services.meeting_cancel(meeting=meeting, by=mentee)
    with pytest.raises(ValidationError, match="cancelled"):
        services.meeting_mark(meeting=meeting, by=mentee, status="held")


def test_a_meeting_is_marked_held_or_missed_only_once_it_started(
    mentorship: Mentorship, mentee: Person
) -> None:
    meeting = services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=_soon())
    with pytest.raises(ValidationError, match="once it has started"):
        services.meeting_mark(meeting=meeting, by=mentee, status="held")
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now())
    marked = services.meeting_mark(meeting=meeting, by=mentee, status="missed")
    assert marked.status == "missed"
    corrected = services.meeting_mark(meeting=meeting, by=mentee, status="held")
    assert (corrected.status, corrected.sequence) == ("held", 2)


def test_only_participants_of_a_live_mentorship_plan_meetings(
    mentorship: Mentorship, outsider: Person, mentee: Person
) -> None:
    with pytest.raises(PermissionDenied):
        services.meeting_plan(mentorship=mentorship, by=outsider, starts_at=_soon())
    mentorship.status = "ended"
    mentorship.save()
    with pytest.raises(ValidationError, match="has ended"):
        services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=_soon())
    assert not Meeting.objects.exists()


def test_either_person_adds_to_the_agenda_and_only_the_author_removes_an_item(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    meeting = services.meeting_plan(mentorship=mentorship, by=mentor, starts_at=_soon())
    item = services.agenda_item_add(
        meeting=meeting, by=mentee, text="How do I say no?", kind="question"
    )
    services.agenda_item_add(meeting=meeting, by=mentor, text="Shipped the RFC", kind="win")
    with pytest.raises(PermissionDenied, match="Mia Mentee"):
        services.agenda_item_remove(item=item, by=mentor)
    with pytest.raises(ValidationError, match="topic, question"):
        services.agenda_item_add(meeting=meeting, by=mentee, text="x", kind="gossip")
    services.agenda_item_remove(item=item, by=mentee)
    assert [i.text for i in meeting.agenda_items.all()] == ["Shipped the RFC"]


def test_the_agenda_closes_once_the_meeting_is_held(mentorship: Mentorship, mentee: Person) -> None:
    meeting = _past(mentorship, mentee, 1, "held")
    with pytest.raises(ValidationError, match="its agenda no longer changes"):
        services.agenda_item_add(meeting=meeting, by=mentee, text="Late topic")


def test_the_next_meeting_is_the_first_planned_one_not_yet_over(
    mentorship: Mentorship, mentee: Person
) -> None:
    assert next_meeting(mentorship) is None
    later = services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=_soon(9))
    sooner = services.meeting_plan(mentorship=mentorship, by=mentee, starts_at=_soon(2))
    assert next_meeting(mentorship) == sooner
    services.meeting_cancel(meeting=sooner, by=mentee)
    assert next_meeting(mentorship) == later


def test_missed_in_a_row_counts_back_to_the_last_held_meeting(
    mentorship: Mentorship, mentee: Person
) -> None:
    assert (missed_in_a_row(mentorship), last_held_meeting(mentorship)) == (0, None)
    held = _past(mentorship, mentee, 30, "held")
    _past(mentorship, mentee, 20, "missed")
    _past(mentorship, mentee, 15, "cancelled")
    _past(mentorship, mentee, 10, "missed")
    assert missed_in_a_row(mentorship) == 2
    assert last_held_meeting(mentorship) == held


def test_the_planner_proposes_hours_inside_both_working_days(
    mentee: Person, mentor: Person
) -> None:
    from mentorbridge.mentorships.meetings.selectors import proposed_slots

    mentee.timezone, mentor.timezone = "Europe/Berlin", "America/New_York"
    slots, shared = proposed_slots([mentee, mentor], datetime.date(2031, 3, 4))
    assert shared
    assert [s.starts_at.astimezone(BERLIN).hour for s in slots] == [15, 16]


def test_without_overlap_the_planner_proposes_the_least_bad_hours(
    mentee: Person, mentor: Person
) -> None:
    from mentorbridge.mentorships.meetings.selectors import proposed_slots

    mentee.timezone, mentor.timezone = "Europe/Berlin", "Pacific/Auckland"
    slots, shared = proposed_slots([mentee, mentor], datetime.date(2031, 3, 4))
    assert not shared and slots
    assert all(s.outside == slots[0].outside > 0 for s in slots[:1])
