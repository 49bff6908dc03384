"""A thank-you note sent three times at once (a triple click), with real PostgreSQL row
locks: one note, the others told it was already sent."""

from __future__ import annotations

from mentorbridge.mentorships.appreciation.models import ThankYouNote
from mentorbridge.mentorships.appreciation.services import thank_you_send
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from tests.concurrency import at_once, on_postgresql

pytestmark = on_postgresql()


def test_a_thank_you_note_sent_three_times_at_once_makes_one_note(
    mentorship: Mentorship, mentee: Person
) -> None:
    def send() -> str:
        thank_you_send(mentorship=mentorship, by=mentee, message="Thank you, Max")
        return "sent"

    outcomes = at_once([send, send, send])
    assert sorted(outcomes) == ["You already sent Max this thank-you note."] * 2 + ["sent"]
    assert ThankYouNote.objects.count() == 1
