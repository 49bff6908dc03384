"""Action items in the JSON API: list, add, tick off, reopen. Participants only."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Status

from mentorbridge.core.schemas import InputSchema
from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.actions import selectors, services
from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.meetings.api import ActionItemOut, action_out
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.people.models import Person

router = Router()

NO_SUCH_OWNER = "No person with employee ID “{owner}” is in this mentorship."


class ActionItemIn(InputSchema):
    title: str = Field(..., max_length=300)
    owner: str = Field(..., description="The owner's employee ID.", max_length=40)
    due_on: datetime.date | None = None
    meeting_id: int | None = Field(None, description="The meeting it was agreed at.")


def _item(request: HttpRequest, pk: int, item_id: int) -> ActionItem:
    mentorship = mentorship_content_for(request.user, pk)
    return get_object_or_404(ActionItem.objects.select_related("owner"), pk=item_id,
                             mentorship=mentorship)  # fmt: skip


@router.get(
    "/{pk}/action-items", response=list[ActionItemOut],
    summary="Every action item: open ones first, earliest due first",
)  # fmt: skip
def list_action_items(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    items = list(selectors.open_action_items(mentorship))
    items += [a for a in selectors.action_items_of(mentorship) if a.done_at is not None]
    return [action_out(a) for a in items]


@router.post("/{pk}/action-items", response={201: ActionItemOut}, summary="Add an action item")
def add_action_item(request: HttpRequest, pk: int, payload: ActionItemIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    owner = Person.objects.filter(
        employee_id=payload.owner, pk__in=mentorship.participant_ids
    ).first()
    if owner is None:
        raise ValidationError({"owner": NO_SUCH_OWNER.format(owner=payload.owner)})
    meeting = None
    if payload.meeting_id is not None:
        meeting = get_object_or_404(Meeting, pk=payload.meeting_id, mentorship=mentorship)
    item = services.action_item_add(
        mentorship=mentorship, by=current_person(request), title=payload.title, owner=owner,
        due_on=payload.due_on, meeting=meeting,
    )  # fmt: skip
    return Status(201, action_out(item))


@router.post(
    "/{pk}/action-items/{item_id}/done", response=ActionItemOut, summary="Tick off an item"
)
def action_item_done(request: HttpRequest, pk: int, item_id: int) -> dict[str, object]:
    item = services.action_item_done(item=_item(request, pk, item_id), by=current_person(request))
    return action_out(ActionItem.objects.select_related("owner").get(pk=item.pk))


@router.post(
    "/{pk}/action-items/{item_id}/reopen", response=ActionItemOut, summary="Reopen an item"
)
def action_item_reopen(request: HttpRequest, pk: int, item_id: int) -> dict[str, object]:
    item = services.action_item_reopen(item=_item(request, pk, item_id), by=current_person(request))
    return action_out(ActionItem.objects.select_related("owner").get(pk=item.pk))
