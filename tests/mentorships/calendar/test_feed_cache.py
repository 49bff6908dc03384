"""Calendar apps poll the feed: it answers 304 to an unchanged ETag, serves an unchanged feed
from the cache in a few queries, and changes its ETag (and content) on every change that
shows in it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorbridge.mentorships.calendar.services import calendar_feed_for
from mentorbridge.mentorships.groups.services import group_member_add
from mentorbridge.mentorships.meetings import services
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_an_unchanged_feed_answers_304_and_a_change_gives_a_new_etag_and_content(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person,
) -> None:  # fmt: skip
    meeting = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    url = f"/calendar/{calendar_feed_for(person=mentee).token}.ics"
    client = client_for(None)
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    services.meeting_cancel(meeting=meeting, by=mentee)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    (event,) = icalendar.Calendar.from_ical(changed.content).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1


def test_an_unchanged_feed_is_served_from_the_cache_in_three_queries(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person,
) -> None:  # fmt: skip
    services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    url = f"/calendar/{calendar_feed_for(person=mentee).token}.ics"
    client = client_for(None)
    body = client.get(url).content
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).content == body
    assert len(captured) == 3  # the owner, the meetings' stamp, the members' stamp


def test_a_member_joining_changes_the_etag_of_everyone_elses_feed(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person,
    mentor: Person, program: object,
) -> None:  # fmt: skip
    services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    url = f"/calendar/{calendar_feed_for(person=mentee).token}.ics"
    client = client_for(None)
    etag = client.get(url)["ETag"]
    gus = PersonFactory(first_name="Gus", last_name="Member")
    FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=gus, role="mentee"))
    group_member_add(mentorship=mentorship, person=gus, by=mentor.user)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert gus.email in {str(a).removeprefix("mailto:") for a in event.get("attendee")}
