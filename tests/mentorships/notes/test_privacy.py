"""A private note is read by its author and nobody else, on every channel: the other
participant's page and API, program admins, site admins (pages, API, Django admin), the
database, emails, the calendar feed and exports. One test per channel."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.calendar.services import calendar_feed_for
from mentorbridge.mentorships.meetings import services as meetings
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.notes import services
from mentorbridge.mentorships.notes.models import PrivateNote, SharedNote
from mentorbridge.mentorships.notes.selectors import own_private_notes, private_note_text
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

SECRET = "I think my manager is leaving in March"


@pytest.fixture
def meeting(mentorship: Mentorship, mentee: Person) -> Meeting:
    held = meetings.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    services.private_note_save(meeting=held, by=mentee, text=SECRET)
    services.shared_note_add(meeting=held, by=mentee, text="We talked about delegation.")
    return held


def _url(meeting: Meeting, rest: str = "") -> str:
    return f"/mentorships/{meeting.mentorship_id}/meetings/{meeting.pk}/{rest}"


def _api(meeting: Meeting, rest: str = "") -> str:
    return f"/api/v1/mentorships/{meeting.mentorship_id}/meetings/{meeting.pk}{rest}"


def test_the_author_reads_their_note_on_the_page_and_in_the_api(
    client_for: Callable[[Person | None], Client], meeting: Meeting, mentee: Person
) -> None:
    client = client_for(mentee)
    assert SECRET in client.get(_url(meeting)).content.decode()
    assert client.get(_api(meeting, "/private-note")).json() == {"text": SECRET}
    assert client.get(_api(meeting)).json()["my_private_note"] == SECRET


def test_the_other_participant_never_sees_it_on_the_page(
    client_for: Callable[[Person | None], Client], meeting: Meeting, mentor: Person
) -> None:
    page = client_for(mentor).get(_url(meeting)).content.decode()
    assert "We talked about delegation." in page
    assert SECRET not in page


def test_the_other_participant_never_gets_it_from_the_api(
    client_for: Callable[[Person | None], Client], meeting: Meeting, mentor: Person
) -> None:
    client = client_for(mentor)
    assert client.get(_api(meeting, "/private-note")).json() == {"text": ""}
    assert SECRET not in client.get(_api(meeting)).content.decode()
    assert SECRET not in client.get(f"/api/v1/mentorships/{meeting.mentorship_id}").content.decode()


def test_writing_their_own_note_never_touches_the_authors(
    meeting: Meeting, mentor: Person, mentee: Person
) -> None:
    services.private_note_save(meeting=meeting, by=mentor, text="Mine")
    assert private_note_text(meeting, mentor) == "Mine"
    assert private_note_text(meeting, mentee) == SECRET


def test_program_admins_get_no_content_on_pages_or_the_api(
    client_for: Callable[[Person | None], Client], meeting: Meeting, program_admin: Person
) -> None:
    client = client_for(program_admin)
    for url in (_url(meeting), _api(meeting), _api(meeting, "/private-note")):
        response = client.get(url)
        assert response.status_code == 403, url
        assert SECRET not in response.content.decode()
    state = client.get(f"/mentorships/{meeting.mentorship_id}/").content.decode()
    assert SECRET not in state and "delegation" not in state


def test_site_admins_get_no_content_on_pages_or_the_api(
    client_for: Callable[[Person | None], Client], meeting: Meeting, site_admin: Person
) -> None:
    client = client_for(site_admin)
    for url in (_url(meeting), _api(meeting), _api(meeting, "/private-note")):
        assert client.get(url).status_code == 403, url


def test_django_admin_lists_no_notes_and_the_meeting_page_shows_none(
    client_for: Callable[[Person | None], Client], meeting: Meeting, site_admin: Person
) -> None:
    assert not admin.site.is_registered(PrivateNote)
    assert not admin.site.is_registered(SharedNote)
    client = client_for(site_admin)
    for url in ("/admin/", "/admin/mentorships/meeting/",
                f"/admin/mentorships/meeting/{meeting.pk}/change/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode()
    assert client.get("/admin/mentorships/privatenote/").status_code == 404


def test_the_database_holds_only_ciphertext(meeting: Meeting) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM mentorships_privatenote")
        rows = cursor.fetchall()
    dump = repr(rows)
    assert rows and SECRET not in dump
    assert "manager" not in dump.lower()
    out = io.StringIO()
    call_command("dumpdata", "mentorships", stdout=out)
    assert SECRET not in out.getvalue()


def test_emails_never_carry_it(meeting: Meeting, mentee: Person, mentor: Person) -> None:
    meetings.meeting_plan(
        mentorship=meeting.mentorship, by=mentee,
        starts_at=timezone.now() + datetime.timedelta(hours=20),
    )  # fmt: skip
    from mentorbridge.mentorships.meetings.reminders import agenda_reminders_send

    agenda_reminders_send()
    stored = list(OutboxMessage.objects.all())
    assert stored
    for message in stored:
        assert SECRET not in message.body + message.html_body + repr(message.attachments)


def test_the_calendar_feed_never_carries_it(
    client_for: Callable[[Person | None], Client], meeting: Meeting, mentee: Person
) -> None:
    token = calendar_feed_for(person=mentee).token
    body = client_for(None).get(f"/calendar/{token}.ics").content.decode()
    assert "BEGIN:VEVENT" in body and SECRET not in body


def test_the_programs_export_never_carries_it(
    client_for: Callable[[Person | None], Client], meeting: Meeting, program_admin: Person
) -> None:
    program = meeting.mentorship.program
    response = client_for(program_admin).get(f"/programs/{program.slug}/mentorships.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    assert SECRET.encode() not in body


def test_the_authors_own_export_reads_it_back(
    meeting: Meeting, mentee: Person, mentor: Person
) -> None:
    assert [text for _, text in own_private_notes(mentee)] == [SECRET]
    assert own_private_notes(mentor) == []
