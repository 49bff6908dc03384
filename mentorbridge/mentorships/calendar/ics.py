"""Meetings as iCalendar (RFC 5545), built with the ``icalendar`` package: one person's feed
of every meeting, and the invitation (METHOD:REQUEST or CANCEL) an email carries.

Times are in UTC. UIDs are stable (``meeting-<id>@<host>``); SEQUENCE is the meeting's
``sequence``, raised on every change. Nothing of a meeting's content (agenda, notes) goes into
a calendar: only when, how long, where and with whom, and the link to the meeting's page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.people.models import Person
from mentorbridge.programs.models import MeetingChannel

PRODID = "-//MentorBridge//Mentorship meetings//EN"


def host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "mentorbridge.local"


def meeting_uid(meeting: Meeting) -> str:
    """The meeting's UID: the same in the feed and in every email about it."""
    return f"meeting-{meeting.pk}@{host()}"


def meeting_url(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse(
        "mentorships-meeting", args=[meeting.mentorship_id, meeting.pk]
    )


def _summary(meeting: Meeting, viewer: Person, people: list[Person]) -> str:
    others = [p.full_name for p in people if p.pk != viewer.pk] or [viewer.full_name]
    if len(others) > 1:
        return f"Mentoring meeting with {', '.join(others[:-1])} and {others[-1]}"
    return f"Mentoring meeting with {others[0]}"


def meeting_event(
    meeting: Meeting, *, viewer: Person, people: list[Person], stamp: datetime.datetime
) -> Event:
    """One VEVENT for the viewer (the summary names the other people)."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("sequence", meeting.sequence)
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("summary", _summary(meeting, viewer, people))
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if meeting.channel == MeetingChannel.IN_PERSON and meeting.place:
        event.add("location", meeting.place)
    elif meeting.channel == MeetingChannel.VIDEO and meeting.video_link:
        event.add("location", meeting.video_link)
    elif meeting.channel == MeetingChannel.PHONE:
        event.add("location", "Phone")
    url = meeting_url(meeting)
    event.add("url", url)
    event.add("description", f"{meeting.get_channel_display()}. Agenda and notes: {url}")
    organizer = next((p for p in people if p.pk == meeting.planned_by_id), None)
    if organizer is not None:
        address = vCalAddress(f"mailto:{organizer.email}")
        address.params["cn"] = vText(organizer.full_name)
        event.add("organizer", address)
    for person in people:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.full_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    return event


def _calendar(name: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    return cal


def feed_ics(person: Person, meetings: Iterable[tuple[Meeting, list[Person]]]) -> bytes:
    """The person's feed: every meeting of every mentorship they are in, each with its
    participants."""
    cal = _calendar(f"Mentoring: {person.full_name}")
    stamp = timezone.now()
    for meeting, people in meetings:
        cal.add_component(meeting_event(meeting, viewer=person, people=people, stamp=stamp))
    return cal.to_ical()


def invitation_ics(
    meetings: list[Meeting], *, recipient: Person, people: list[Person], cancel: bool = False
) -> str:
    """The ``.ics`` file an email carries: METHOD:REQUEST for new and moved meetings,
    METHOD:CANCEL for cancelled ones."""
    cal = _calendar("Mentoring", method="CANCEL" if cancel else "REQUEST")
    stamp = timezone.now()
    for meeting in meetings:
        cal.add_component(meeting_event(meeting, viewer=recipient, people=people, stamp=stamp))
    return cal.to_ical().decode()
