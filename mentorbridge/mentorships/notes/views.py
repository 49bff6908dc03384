"""Adding shared notes and saving your private note on a meeting (the meeting page shows
both)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.notes import services
from mentorbridge.mentorships.notes.forms import NoteForm
from mentorbridge.mentorships.once import AlreadySent


def _meeting(request: HttpRequest, pk: int, meeting_id: int) -> Meeting:
    mentorship = mentorship_content_for(request.user, pk)
    return get_object_or_404(
        Meeting.objects.select_related("mentorship"), pk=meeting_id, mentorship=mentorship
    )


def _back(meeting: Meeting) -> HttpResponse:
    return redirect(f"/mentorships/{meeting.mentorship_id}/meetings/{meeting.pk}/#notes")


@require_POST
def add(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """Add a shared note on the meeting."""
    meeting = _meeting(request, pk, meeting_id)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(str(e) for e in form.errors["text"]))
        services.shared_note_add(
            meeting=meeting, by=current_person(request), text=form.cleaned_data["text"]
        )
    except AlreadySent as already:
        messages.info(request, " ".join(already.messages))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Shared note added.")
    return _back(meeting)


@require_POST
def private(request: HttpRequest, pk: int, meeting_id: int) -> HttpResponse:
    """Save (or empty) your private note on the meeting."""
    meeting = _meeting(request, pk, meeting_id)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(" ".join(str(e) for e in form.errors["text"]))
        note = services.private_note_save(
            meeting=meeting, by=current_person(request), text=form.cleaned_data["text"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Private notes saved: only you can read them." if note else "Private notes emptied.",
        )
    return _back(meeting)
