"""Writing meeting notes: shared notes every participant reads, and each person's private
note on a meeting, encrypted before it reaches the database."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentorbridge.mentorships.access import check_can_change
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.notes import crypto
from mentorbridge.mentorships.notes.models import PrivateNote, SharedNote
from mentorbridge.mentorships.once import lock_mentorship, refuse_twin
from mentorbridge.people.models import Person

TEXT_NEEDED = "Write the note first."
TOO_LONG = "A note holds at most {most:,} characters (this one has {count:,})."
ALREADY_NOTED = "This note is already on the meeting: it was added a moment ago."
NOT_YOURS = "Only {name}, who wrote it, can change this note."
NOTE_MOST = 20_000


def _text(text: str) -> str:
    text = text.strip()
    if len(text) > NOTE_MOST:
        raise ValidationError({"text": TOO_LONG.format(most=NOTE_MOST, count=len(text))})
    return text


@transaction.atomic
def shared_note_add(*, meeting: Meeting, by: Person, text: str) -> SharedNote:
    """Add a note to the meeting that every participant reads."""
    check_can_change(meeting.mentorship, by)
    text = _text(text)
    if not text:
        raise ValidationError({"text": TEXT_NEEDED})
    lock_mentorship(meeting.mentorship)
    refuse_twin(SharedNote.objects.filter(meeting=meeting, author=by, text=text), ALREADY_NOTED)
    return SharedNote.objects.create(meeting=meeting, author=by, text=text)


@transaction.atomic
def shared_note_update(*, note: SharedNote, by: Person, text: str) -> SharedNote:
    """Change your own shared note."""
    note = (
        SharedNote.objects.select_for_update()
        .select_related("meeting__mentorship", "author")
        .get(pk=note.pk)
    )
    check_can_change(note.meeting.mentorship, by)
    if note.author_id != by.pk:
        raise PermissionDenied(NOT_YOURS.format(name=note.author.full_name))
    text = _text(text)
    if not text:
        raise ValidationError({"text": TEXT_NEEDED})
    note.text, note.updated_at = text, timezone.now()
    note.save(update_fields=["text", "updated_at"])
    return note


@transaction.atomic
def private_note_save(*, meeting: Meeting, by: Person, text: str) -> PrivateNote | None:
    """Write (or rewrite) your private note on a meeting; empty text deletes it. Only its
    author can ever read it; it is stored encrypted."""
    check_can_change(meeting.mentorship, by)
    text = _text(text)
    # The meeting's row first: two first saves at once each found no note and both inserted
    # one (a unique-constraint error, a 500, on PostgreSQL); now the second waits and updates.
    list(Meeting.objects.select_for_update(no_key=True).filter(pk=meeting.pk).values("pk"))
    note = PrivateNote.objects.select_for_update().filter(meeting=meeting, author=by).first()
    if not text:
        if note is not None:
            note.delete()
        return None
    if note is None:
        return PrivateNote.objects.create(
            meeting=meeting, author=by, ciphertext=crypto.encrypt(text)
        )
    note.ciphertext, note.updated_at = crypto.encrypt(text), timezone.now()
    note.save(update_fields=["ciphertext", "updated_at"])
    return note


def private_notes_rotate(*, batch: int = 500) -> int:
    """Re-encrypt every private note under the first configured key; returns how many."""
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            notes = list(
                PrivateNote.objects.select_for_update().filter(pk__gt=last).order_by("pk")[:batch]
            )
            for note in notes:
                note.ciphertext = crypto.rotate(note.ciphertext)
                note.save(update_fields=["ciphertext"])
        if not notes:
            return done
        done += len(notes)
        last = notes[-1].pk
