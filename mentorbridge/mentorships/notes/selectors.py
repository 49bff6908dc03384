"""Reading notes. A private note is decrypted only for its author: every reader here takes
the viewer and returns nothing of anyone else's private notes."""

from __future__ import annotations

from django.db.models import QuerySet

from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.notes import crypto
from mentorbridge.mentorships.notes.models import PrivateNote, SharedNote
from mentorbridge.people.models import Person


def shared_notes_of(meeting: Meeting) -> QuerySet[SharedNote]:
    """The meeting's shared notes with their authors, oldest first."""
    return SharedNote.objects.filter(meeting=meeting).select_related("author")


def private_note_text(meeting: Meeting, viewer: Person) -> str:
    """The viewer's own private note on the meeting, decrypted ("" if none). Nobody else's
    note is ever read here: the query filters on the viewer as author."""
    note = PrivateNote.objects.filter(meeting=meeting, author=viewer).first()
    return crypto.decrypt(note.ciphertext, note=note.pk) if note else ""


def own_private_notes(person: Person) -> list[tuple[PrivateNote, str]]:
    """Every private note the person wrote, decrypted, newest meeting first (for the
    person's own export)."""
    notes = PrivateNote.objects.filter(author=person).select_related("meeting")
    return [
        (n, crypto.decrypt(n.ciphertext, note=n.pk))
        for n in notes.order_by("-meeting__starts_at", "pk")
    ]


def recent_shared_notes(mentorship_id: int, *, limit: int = 3) -> list[SharedNote]:
    """The latest shared notes of a mentorship with their meeting and author (one query)."""
    return list(
        SharedNote.objects.filter(meeting__mentorship_id=mentorship_id)
        .select_related("author", "meeting")
        .order_by("-created_at", "-pk")[:limit]
    )
