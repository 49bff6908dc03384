"""Two first saves of one private note at once (a double click), with PostgreSQL row locks."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from mentorbridge.mentorships.meetings import services as meetings
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.notes import crypto, services
from mentorbridge.mentorships.notes.models import PrivateNote
from mentorbridge.mentorships.notes.selectors import private_note_text
from mentorbridge.people.models import Person
from tests.concurrency import at_once, on_postgresql

pytestmark = on_postgresql()


def test_two_first_saves_of_a_private_note_at_once_keep_one_note_without_an_error(
    mentorship: Mentorship, mentee: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = meetings.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    real_encrypt = crypto.encrypt

    def slow_encrypt(text: str) -> str:  # widen the race: look for the note, then dawdle
        time.sleep(0.3)
        return real_encrypt(text)

    monkeypatch.setattr(crypto, "encrypt", slow_encrypt)

    def save(text: str) -> str:
        services.private_note_save(meeting=meeting, by=mentee, text=text)
        return "saved"

    outcomes = at_once([lambda: save("first"), lambda: save("second")])
    assert outcomes == ["saved", "saved"]
    assert PrivateNote.objects.filter(meeting=meeting, author=mentee).count() == 1
    assert private_note_text(meeting, mentee) in {"first", "second"}
