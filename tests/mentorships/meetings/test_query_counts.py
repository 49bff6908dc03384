"""The mentorship page, a meeting's page, the meetings list and the calendar feed read a
fixed number of queries however many meetings, agenda items, action items and notes the
mentorship has."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorbridge.mentorships.actions.services import action_item_add
from mentorbridge.mentorships.calendar.services import calendar_feed_for
from mentorbridge.mentorships.meetings import services
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.notes.services import private_note_save, shared_note_add
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def _grow(m: Mentorship, mentee: Person, mentor: Person, n: int) -> None:
    """n more held meetings, each with agenda, notes and an open action item."""
    for _ in range(n):
        meeting = services.meeting_plan(
            mentorship=m, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=300)
        )
        for by in (mentee, mentor):
            services.agenda_item_add(meeting=meeting, by=by, text="Topic")
        done = Meeting.objects.filter(mentorship=m, status="held").count()
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - datetime.timedelta(days=200 - done), status="held"
        )
        shared_note_add(meeting=meeting, by=mentor, text="Shared")
        private_note_save(meeting=meeting, by=mentee, text="Private")
        action_item_add(mentorship=m, by=mentor, title="Do", owner=mentee, meeting=meeting)


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_page_and_feed_query_counts_do_not_grow_with_the_history(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    client = client_for(mentee)
    coming = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    token = calendar_feed_for(person=mentee).token
    urls = [
        f"/mentorships/{mentorship.pk}/",
        f"/mentorships/{mentorship.pk}/meetings/",
        f"/mentorships/{mentorship.pk}/meetings/{coming.pk}/",
        f"/calendar/{token}.ics",
        f"/api/v1/mentorships/{mentorship.pk}/meetings/{coming.pk}",
    ]
    _grow(mentorship, mentee, mentor, 1)
    small = [_count(client, url) for url in urls]
    _grow(mentorship, mentee, mentor, 6)
    assert [_count(client, url) for url in urls] == small
