"""Group members in the JSON API: who is in a mentorship (participants and the program
team), adding a mentee (the mentor and the program team), taking one out or leaving."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from mentorbridge.core.limits import IDENTIFIER_MAX_CHARS
from mentorbridge.core.schemas import InputSchema
from mentorbridge.mentorships.access import mentees, mentorship_for
from mentorbridge.mentorships.groups import services
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

router = Router()


class GroupMemberIn(InputSchema):
    person: str = Field(
        ..., description="The mentee's work email or employee ID.", max_length=IDENTIFIER_MAX_CHARS
    )


class ParticipantOut(Schema):
    employee_id: str
    name: str
    role: str = Field(..., description="mentor or mentee.")
    joined_at: datetime.datetime = Field(
        ..., description="When they joined: the mentorship's start for its first two people."
    )
    group_member: bool = Field(
        ..., description="Joined after the start (can leave or be taken out of the group)."
    )


def participants_out(mentorship: Mentorship) -> list[dict[str, object]]:
    joined = {m.person_id: m.joined_at for m in mentorship.group_members}
    rows: list[dict[str, object]] = [
        {
            "employee_id": p.employee_id, "name": p.full_name, "role": "mentee",
            "joined_at": joined.get(p.pk, mentorship.started_at), "group_member": p.pk in joined,
        }
        for p in mentees(mentorship)
    ]  # fmt: skip
    mentor = mentorship.mentor
    rows.append(
        {
            "employee_id": mentor.employee_id, "name": mentor.full_name, "role": "mentor",
            "joined_at": mentorship.started_at, "group_member": False,
        }
    )  # fmt: skip
    return rows


@router.get(
    "/{pk}/participants", response=list[ParticipantOut],
    summary="Everyone in the mentorship: mentees (group members too), then the mentor",
)  # fmt: skip
def list_participants(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship, _ = mentorship_for(request.user, pk)
    return participants_out(mentorship)


@router.post(
    "/{pk}/participants", response={201: list[ParticipantOut]},
    summary="Add a mentee to the mentorship's group (the mentor and program admins)",
)  # fmt: skip
def add_participant(request: HttpRequest, pk: int, payload: GroupMemberIn) -> Status:
    mentorship, _ = mentorship_for(request.user, pk)
    person = services.person_named(payload.person)
    services.group_member_add(mentorship=mentorship, person=person, by=request.user)
    mentorship, _ = mentorship_for(request.user, pk)
    return Status(201, participants_out(mentorship))


@router.delete(
    "/{pk}/participants/{employee_id}", response=list[ParticipantOut],
    summary="Take a group member out (the mentor and program admins), or leave the group",
)  # fmt: skip
def remove_participant(request: HttpRequest, pk: int, employee_id: str) -> list[dict[str, object]]:
    mentorship, _ = mentorship_for(request.user, pk)
    person = get_object_or_404(Person, employee_id=employee_id)
    services.group_member_remove(mentorship=mentorship, person=person, by=request.user)
    try:
        mentorship, _ = mentorship_for(request.user, pk)
    except Http404:  # the member left: they no longer see it
        return []
    return participants_out(mentorship)
