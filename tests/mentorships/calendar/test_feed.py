"""Each person's private iCalendar feed, parsed back with ``icalendar`` and read a second
time with ``recurring_ical_events`` (as a calendar app would), and the .ics invitations."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import icalendar
import pytest
import recurring_ical_events
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.calendar.services import calendar_feed_for, calendar_feed_rotate
from mentorbridge.mentorships.meetings import services as meetings
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def _feed(client: Client, person: Person) -> icalendar.Calendar:
    response = client.get(f"/calendar/{calendar_feed_for(person=person).token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _plan(mentorship: Mentorship, by: Person, days: int) -> datetime.datetime:
    start = (timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0)
    meetings.meeting_plan(mentorship=mentorship, by=by, starts_at=start, channel="video",
                          video_link="https://meet.example.com/mia")  # fmt: skip
    return start


def test_the_feed_has_every_meeting_with_every_field(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    start = _plan(mentorship, mentee, 3)
    cal = _feed(client_for(None), mentor)
    assert cal["VERSION"] == "2.0" and "MentorBridge" in str(cal["PRODID"])
    [event] = cal.walk("VEVENT")
    meeting = mentorship.meetings.get()
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert event.decoded("DTSTART") == start.astimezone(datetime.UTC)
    assert event.decoded("DTEND") == start.astimezone(datetime.UTC) + datetime.timedelta(
        minutes=meeting.minutes
    )
    assert event.decoded("DTSTART").tzinfo is not None
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Mentoring meeting with Mia Mentee"
    assert str(event["LOCATION"]) == "https://meet.example.com/mia"
    assert str(event["URL"]).endswith(f"/mentorships/{mentorship.pk}/meetings/{meeting.pk}/")
    assert str(event["ORGANIZER"]) == f"mailto:{mentee.email}"
    assert sorted(str(a) for a in event["ATTENDEE"]) == sorted(
        [f"mailto:{mentee.email}", f"mailto:{mentor.email}"]
    )
    assert "DTSTAMP" in event


def test_a_change_raises_the_sequence_and_a_cancellation_says_cancelled(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    _plan(mentorship, mentee, 3)
    meeting = mentorship.meetings.get()
    uid = str(_feed(client_for(None), mentee).walk("VEVENT")[0]["UID"])
    meetings.meeting_reschedule(
        meeting=meeting, by=mentee, starts_at=meeting.starts_at + datetime.timedelta(hours=1),
        minutes=meeting.minutes, channel="phone",
    )  # fmt: skip
    meetings.meeting_cancel(meeting=meeting, by=mentee)
    [event] = _feed(client_for(None), mentee).walk("VEVENT")
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (uid, 2, "CANCELLED")


def test_a_second_reader_expands_the_feed_into_the_same_meetings(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    starts = [_plan(mentorship, mentee, d) for d in (2, 9, 16)]
    cal = _feed(client_for(None), mentee)
    found = recurring_ical_events.of(cal).between(
        timezone.now(), timezone.now() + datetime.timedelta(days=30)
    )
    assert sorted(e.decoded("DTSTART") for e in found) == [
        s.astimezone(datetime.UTC) for s in starts
    ]


def test_a_new_address_kills_the_old_one(
    client_for: Callable[[Person | None], Client], mentee: Person
) -> None:
    old = calendar_feed_for(person=mentee).token
    new = calendar_feed_rotate(person=mentee).token
    assert old != new
    client = client_for(None)
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_the_calendar_page_shows_the_address_and_makes_a_new_one(
    client_for: Callable[[Person | None], Client], mentee: Person
) -> None:
    client = client_for(mentee)
    token = calendar_feed_for(person=mentee).token
    assert f"/calendar/{token}.ics" in client.get("/calendar/").content.decode()
    assert client.post("/calendar/new-address/").status_code == 302
    assert f"/calendar/{token}.ics" not in client.get("/calendar/").content.decode()


def test_invitations_parse_as_request_and_cancel_with_the_feeds_uid(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    _plan(mentorship, mentee, 3)
    meeting = mentorship.meetings.get()
    meetings.meeting_cancel(meeting=meeting, by=mentor)
    invite, cancel = OutboxMessage.objects.order_by("pk")
    assert (invite.to, cancel.to) == (mentor.email, mentee.email)
    for message, method, status in (
        (invite, "REQUEST", "CONFIRMED"),
        (cancel, "CANCEL", "CANCELLED"),
    ):
        cal = icalendar.Calendar.from_ical(message.attachments[0]["content"])
        assert str(cal["METHOD"]) == method
        [event] = cal.walk("VEVENT")
        assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
        assert str(event["STATUS"]) == status
