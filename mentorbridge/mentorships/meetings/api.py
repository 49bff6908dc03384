"""Meetings in the JSON API: list, plan (one or a series), log, one meeting with its agenda,
carried-over action items and notes, move, cancel, mark held or missed, and the agenda.
Participants only: program admins get 403 (content is private), anyone else 404. Times are
ISO 8601 with an offset; the API answers in UTC."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from mentorbridge.core.schemas import InputSchema
from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.meetings import pages, selectors, services
from mentorbridge.mentorships.meetings.models import AgendaItem, Meeting

router = Router()


class MeetingOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    minutes: int
    channel: str = Field(..., description="in_person, video or phone")
    place: str
    video_link: str
    status: str = Field(..., description="planned, held, missed or cancelled")
    status_note: str
    logged: bool = Field(..., description="Recorded after it happened, without being planned.")
    planned_by: str
    sequence: int = Field(..., description="Raised on every change (iCalendar SEQUENCE).")
    series: str | None = Field(
        None, description="The series it was planned in (moved or cancelled together)."
    )


class AgendaItemOut(Schema):
    id: int
    kind: str = Field(..., description="topic, question, challenge or win")
    text: str
    author: str
    created_at: datetime.datetime


class ActionItemOut(Schema):
    id: int
    title: str
    owner: str
    due_on: datetime.date | None
    done_at: datetime.datetime | None
    meeting_id: int | None


class SharedNoteOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    carried_over: list[ActionItemOut] = Field(
        ..., description="Open action items from earlier meetings: on this agenda until done."
    )
    action_items: list[ActionItemOut] = Field(..., description="Agreed at this meeting.")
    shared_notes: list[SharedNoteOut]
    my_private_note: str = Field(..., description="Yours only; nobody else's is ever sent.")


class PlanIn(InputSchema):
    starts_at: datetime.datetime = Field(..., description="With its offset, e.g. +01:00.")
    minutes: int | None = Field(None, description="Empty: from the agreement.")
    channel: str | None = Field(None, description="Empty: from the agreement.", max_length=10)
    place: str | None = Field(None, max_length=200)
    video_link: str | None = Field(None, max_length=500)
    count: int = Field(1, description="More than 1 plans a series at the cadence.")
    cadence: str | None = Field(
        None, description="weekly, biweekly or monthly; empty: agreed.", max_length=10
    )


class LogIn(InputSchema):
    starts_at: datetime.datetime
    minutes: int | None = None
    channel: str | None = Field(None, max_length=10)
    place: str | None = Field(None, max_length=200)
    video_link: str | None = Field(None, max_length=500)


class MoveIn(InputSchema):
    starts_at: datetime.datetime
    minutes: int
    channel: str = Field(..., max_length=10)
    place: str = Field("", max_length=200)
    video_link: str = Field("", max_length=500)
    scope: str = Field(
        "this", max_length=10,
        description="this: the meeting only; following: it and the planned meetings after it "
        "in its series, shifted by the same time.",
    )  # fmt: skip


class MeetingStatusNoteIn(InputSchema):
    note: str = Field("", description="Why it was cancelled or missed, if said.", max_length=300)


class CancelIn(MeetingStatusNoteIn):
    scope: str = Field(
        "this", max_length=10,
        description="this: the meeting only; following: it and the rest of its series.",
    )  # fmt: skip


class AgendaItemIn(InputSchema):
    text: str = Field(..., max_length=500)
    kind: str = Field("topic", max_length=10)


def meeting_out(m: Meeting) -> dict[str, object]:
    return {
        "id": m.pk, "starts_at": m.starts_at, "ends_at": m.ends_at, "minutes": m.minutes,
        "channel": m.channel, "place": m.place, "video_link": m.video_link,
        "status": m.status, "status_note": m.status_note, "logged": m.logged,
        "planned_by": m.planned_by.employee_id, "sequence": m.sequence,
        "series": str(m.series) if m.series else None,
    }  # fmt: skip


def action_out(a: ActionItem) -> dict[str, object]:
    return {
        "id": a.pk, "title": a.title, "owner": a.owner.employee_id, "due_on": a.due_on,
        "done_at": a.done_at, "meeting_id": a.meeting_id,
    }  # fmt: skip


def agenda_out(i: AgendaItem) -> dict[str, object]:
    return {
        "id": i.pk, "kind": i.kind, "text": i.text, "author": i.author.employee_id,
        "created_at": i.created_at,
    }  # fmt: skip


def _meeting(request: HttpRequest, pk: int, meeting_id: int) -> Meeting:
    mentorship = mentorship_content_for(request.user, pk)
    return get_object_or_404(
        Meeting.objects.select_related("mentorship", "planned_by"),
        pk=meeting_id, mentorship=mentorship,
    )  # fmt: skip


def _detail(request: HttpRequest, pk: int, meeting_id: int) -> dict[str, object]:
    meeting = _meeting(request, pk, meeting_id)
    page = pages.meeting_page(meeting, current_person(request))
    return {
        **meeting_out(page["meeting"]),
        "agenda": [agenda_out(i) for i in page["agenda"]],
        "carried_over": [action_out(a) for a in page["carried_over"]],
        "action_items": [action_out(a) for a in page["actions"]],
        "shared_notes": [
            {
                "id": n.pk,
                "author": n.author.employee_id,
                "text": n.text,
                "created_at": n.created_at,
                "updated_at": n.updated_at,
            }
            for n in page["shared_notes"]
        ],
        "my_private_note": page["private_note"],
    }


@router.get("/{pk}/meetings", response=list[MeetingOut], summary="Every meeting, oldest first")
def list_meetings(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    return [meeting_out(m) for m in selectors.meetings_of(mentorship).select_related("planned_by")]


@router.post(
    "/{pk}/meetings", response={201: list[MeetingOut]},
    summary="Plan a meeting, or a series at the cadence (the others get an .ics invitation)",
)  # fmt: skip
def plan_meetings(request: HttpRequest, pk: int, payload: PlanIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    by = current_person(request)
    data = payload.dict()
    count, cadence = data.pop("count"), data.pop("cadence")
    if count == 1 and cadence is None:
        meetings = [services.meeting_plan(mentorship=mentorship, by=by, **data)]
    else:
        meetings = services.meeting_plan_series(
            mentorship=mentorship, by=by, first_starts_at=data.pop("starts_at"), count=count,
            cadence=cadence, **data,
        )  # fmt: skip
    return Status(201, [meeting_out(m) for m in meetings])


@router.post(
    "/{pk}/meetings/log", response={201: MeetingOut}, summary="Log a meeting that happened"
)
def log_meeting(request: HttpRequest, pk: int, payload: LogIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    meeting = services.meeting_log(
        mentorship=mentorship, by=current_person(request), **payload.dict()
    )
    return Status(201, meeting_out(meeting))


@router.get(
    "/{pk}/meetings/{meeting_id}", response=MeetingDetailOut,
    summary="One meeting: agenda, carried-over action items, notes",
)  # fmt: skip
def get_meeting(request: HttpRequest, pk: int, meeting_id: int) -> dict[str, object]:
    return _detail(request, pk, meeting_id)


@router.put("/{pk}/meetings/{meeting_id}", response=MeetingOut, summary="Move a meeting")
def move_meeting(
    request: HttpRequest, pk: int, meeting_id: int, payload: MoveIn
) -> dict[str, object]:
    meeting = services.meeting_reschedule(
        meeting=_meeting(request, pk, meeting_id), by=current_person(request), **payload.dict()
    )
    return meeting_out(meeting)


@router.post("/{pk}/meetings/{meeting_id}/cancel", response=MeetingOut, summary="Cancel a meeting")
def cancel_meeting(
    request: HttpRequest, pk: int, meeting_id: int, payload: CancelIn
) -> dict[str, object]:
    meeting = services.meeting_cancel(
        meeting=_meeting(request, pk, meeting_id), by=current_person(request), note=payload.note,
        scope=payload.scope,
    )  # fmt: skip
    return meeting_out(meeting)


@router.post("/{pk}/meetings/{meeting_id}/held", response=MeetingOut, summary="Mark held")
def mark_held(
    request: HttpRequest, pk: int, meeting_id: int, payload: MeetingStatusNoteIn
) -> dict[str, object]:
    meeting = services.meeting_mark(
        meeting=_meeting(request, pk, meeting_id), by=current_person(request), status="held",
        note=payload.note,
    )  # fmt: skip
    return meeting_out(meeting)


@router.post("/{pk}/meetings/{meeting_id}/missed", response=MeetingOut, summary="Mark missed")
def mark_missed(
    request: HttpRequest, pk: int, meeting_id: int, payload: MeetingStatusNoteIn
) -> dict[str, object]:
    meeting = services.meeting_mark(
        meeting=_meeting(request, pk, meeting_id), by=current_person(request), status="missed",
        note=payload.note,
    )  # fmt: skip
    return meeting_out(meeting)


@router.post(
    "/{pk}/meetings/{meeting_id}/agenda", response={201: AgendaItemOut},
    summary="Add an agenda item",
)  # fmt: skip
def add_agenda_item(
    request: HttpRequest, pk: int, meeting_id: int, payload: AgendaItemIn
) -> Status:
    item = services.agenda_item_add(
        meeting=_meeting(request, pk, meeting_id), by=current_person(request), **payload.dict()
    )
    return Status(201, agenda_out(item))


@router.delete(
    "/{pk}/meetings/{meeting_id}/agenda/{item_id}", response={204: None},
    summary="Remove your agenda item",
)  # fmt: skip
def remove_agenda_item(request: HttpRequest, pk: int, meeting_id: int, item_id: int) -> Status:
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=_meeting(request, pk, meeting_id))
    services.agenda_item_remove(item=item, by=current_person(request))
    return Status(204, None)
