"""Check-ins, feedback notes and thank-you notes in the JSON API. Participants only (program
admins 403: content is private; anyone else 404). Check-in answers the reader may not see
come back as ``null``."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from mentorbridge.core.limits import CHOICE_MAX_CHARS
from mentorbridge.core.schemas import InputSchema
from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.appreciation import services as thanks_services
from mentorbridge.mentorships.appreciation.models import ThankYouNote
from mentorbridge.mentorships.checkins import services
from mentorbridge.mentorships.checkins.models import CheckIn, FeedbackNote
from mentorbridge.mentorships.checkins.selectors import as_seen_by, checkin_due

router = Router()


class CheckInOut(Schema):
    id: int
    person: str
    mine: bool
    occasion: str
    submitted_at: datetime.datetime
    satisfaction: int | None
    progress: int | None
    working: str | None
    text: str | None


class CheckInsOut(Schema):
    due: str | None = Field(None, description="The scheduled occasion you still owe, if any.")
    items: list[CheckInOut]


class CheckInIn(InputSchema):
    occasion: str | None = Field(
        None,
        description="scheduled-N, meeting-ID or extra-YYYY-MM-DD; empty: the one due.",
        max_length=40,
    )
    satisfaction: int
    progress: int
    working: str = Field(..., description="yes, not_sure or no", max_length=CHOICE_MAX_CHARS)
    text: str = Field("", max_length=2000)
    visibility: dict[str, str] = Field(
        default_factory=dict,
        max_length=4,
        description="Per answer (satisfaction, progress, working, text): other, team or stats.",
    )


class FeedbackIn(InputSchema):
    going_well: str = Field("", max_length=2000)
    could_be_better: str = Field("", max_length=2000)


class FeedbackOut(Schema):
    id: int
    author: str
    going_well: str
    could_be_better: str
    created_at: datetime.datetime


class ThanksIn(InputSchema):
    message: str = Field(..., max_length=2000)
    occasion: str = Field("", max_length=40)
    to: str = Field(
        "", max_length=64,
        description="Employee id of the person thanked; empty: the other person of the pair "
        "(in a group, the mentor for a mentee, the first mentee for the mentor).",
    )  # fmt: skip


class ThanksOut(Schema):
    id: int
    author: str
    recipient: str
    message: str
    created_at: datetime.datetime
    on_profile: bool
    manager_can_see: bool


class DisplayIn(InputSchema):
    on_profile: bool
    manager_can_see: bool = False


def _checkin_out(checkin: CheckIn, request: HttpRequest) -> dict[str, object]:
    seen = as_seen_by(checkin, current_person(request))
    return {
        "id": checkin.pk, "person": checkin.person.employee_id, "mine": seen.mine,
        "occasion": checkin.occasion, "submitted_at": checkin.submitted_at,
        "satisfaction": seen.satisfaction, "progress": seen.progress,
        "working": checkin.working if seen.working is not None else None, "text": seen.text,
    }  # fmt: skip


def _feedback_out(note: FeedbackNote) -> dict[str, object]:
    return {
        "id": note.pk, "author": note.author.employee_id, "going_well": note.going_well,
        "could_be_better": note.could_be_better, "created_at": note.created_at,
    }  # fmt: skip


def _thanks_out(note: ThankYouNote) -> dict[str, object]:
    return {
        "id": note.pk, "author": note.author.employee_id,
        "recipient": note.recipient.employee_id, "message": note.message,
        "created_at": note.created_at, "on_profile": note.on_profile,
        "manager_can_see": note.manager_can_see,
    }  # fmt: skip


@router.get("/{pk}/check-ins", response=CheckInsOut, summary="Check-ins you may read")
def list_checkins(request: HttpRequest, pk: int) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, pk)
    due = checkin_due(mentorship, current_person(request))
    items = CheckIn.objects.filter(mentorship=mentorship).select_related("person")
    return {"due": due.name if due else None, "items": [_checkin_out(c, request) for c in items]}


@router.post("/{pk}/check-ins", response={201: CheckInOut}, summary="Check in (one per occasion)")
def create_checkin(request: HttpRequest, pk: int, body: CheckInIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    person = current_person(request)
    occasion = body.occasion
    if not occasion:
        due = checkin_due(mentorship, person)
        occasion = due.name if due else f"extra-{timezone.localdate().isoformat()}"
    checkin = services.checkin_submit(
        mentorship=mentorship, by=person, occasion=occasion, satisfaction=body.satisfaction,
        progress=body.progress, working=body.working, text=body.text,
        visibility=body.visibility,
    )  # fmt: skip
    return Status(201, _checkin_out(checkin, request))


@router.get("/{pk}/feedback", response=list[FeedbackOut], summary="Feedback notes")
def list_feedback(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    notes = FeedbackNote.objects.filter(mentorship=mentorship).select_related("author")
    return [_feedback_out(n) for n in notes]


@router.post("/{pk}/feedback", response={201: FeedbackOut}, summary="Send a feedback note")
def create_feedback(request: HttpRequest, pk: int, body: FeedbackIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    note = services.feedback_send(
        mentorship=mentorship, by=current_person(request), going_well=body.going_well,
        could_be_better=body.could_be_better,
    )  # fmt: skip
    return Status(201, _feedback_out(note))


@router.get("/{pk}/thanks", response=list[ThanksOut], summary="Thank-you notes")
def list_thanks(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    notes = ThankYouNote.objects.filter(mentorship=mentorship).select_related("author", "recipient")
    return [_thanks_out(n) for n in notes]


@router.post("/{pk}/thanks", response={201: ThanksOut}, summary="Thank someone in the mentorship")
def create_thanks(request: HttpRequest, pk: int, body: ThanksIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    note = thanks_services.thank_you_send(
        mentorship=mentorship, by=current_person(request), message=body.message,
        occasion=body.occasion, to=body.to,
    )  # fmt: skip
    return Status(201, _thanks_out(note))


@router.post(
    "/{pk}/thanks/{note_id}/display", response=ThanksOut,
    summary="Where a note you received shows (profile, manager)",
)  # fmt: skip
def display_thanks(
    request: HttpRequest, pk: int, note_id: int, body: DisplayIn
) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, pk)
    note = get_object_or_404(ThankYouNote, pk=note_id, mentorship=mentorship)
    note = thanks_services.thank_you_display(
        note=note, by=current_person(request), on_profile=body.on_profile,
        manager_can_see=body.manager_can_see,
    )  # fmt: skip
    return _thanks_out(note)
