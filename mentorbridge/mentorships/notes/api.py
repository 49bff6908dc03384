"""Meeting notes in the JSON API: add a shared note, read and write your own private note.
Nobody's private note is ever sent to anyone but its author."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from mentorbridge.core.schemas import InputSchema
from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.notes import selectors, services

router = Router()


class NoteIn(InputSchema):
    text: str = Field(..., max_length=services.NOTE_MOST)


class SharedNoteOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime.datetime


class PrivateNoteOut(Schema):
    text: str


def _meeting(request: HttpRequest, pk: int, meeting_id: int) -> Meeting:
    mentorship = mentorship_content_for(request.user, pk)
    return get_object_or_404(
        Meeting.objects.select_related("mentorship"), pk=meeting_id, mentorship=mentorship
    )


@router.post(
    "/{pk}/meetings/{meeting_id}/notes", response={201: SharedNoteOut},
    summary="Add a shared note (every participant reads it)",
)  # fmt: skip
def add_shared_note(request: HttpRequest, pk: int, meeting_id: int, payload: NoteIn) -> Status:
    by = current_person(request)
    note = services.shared_note_add(
        meeting=_meeting(request, pk, meeting_id), by=by, text=payload.text
    )
    return Status(
        201,
        {"id": note.pk, "author": by.employee_id, "text": note.text, "created_at": note.created_at},
    )


@router.get(
    "/{pk}/meetings/{meeting_id}/private-note", response=PrivateNoteOut,
    summary="Your private note on the meeting (empty if none)",
)  # fmt: skip
def get_private_note(request: HttpRequest, pk: int, meeting_id: int) -> dict[str, str]:
    meeting = _meeting(request, pk, meeting_id)
    return {"text": selectors.private_note_text(meeting, current_person(request))}


@router.put(
    "/{pk}/meetings/{meeting_id}/private-note", response=PrivateNoteOut,
    summary="Write your private note (empty text deletes it); stored encrypted",
)  # fmt: skip
def put_private_note(
    request: HttpRequest, pk: int, meeting_id: int, payload: NoteIn
) -> dict[str, str]:
    meeting = _meeting(request, pk, meeting_id)
    person = current_person(request)
    services.private_note_save(meeting=meeting, by=person, text=payload.text)
    return {"text": selectors.private_note_text(meeting, person)}
