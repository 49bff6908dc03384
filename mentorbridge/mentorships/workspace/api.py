"""The mentorship itself in the JSON API: state and dates for everyone allowed to see it, the
next step for its participants."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import Access, mentees, mentorship_for
from mentorbridge.mentorships.workspace.selectors import mentorship_state, workspace_for

router = Router()


class NextStepOut(Schema):
    title: str
    detail: str
    url: str


class MentorshipOut(Schema):
    id: int
    program: str
    mentee: str = Field(..., description="The mentee it started with (employee ID).")
    mentees: list[str] = Field(
        ..., description="Every mentee, group members too (employee IDs); see …/participants."
    )
    mentor: str
    focus_area: str
    status: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    access: str = Field(..., description="participant, or state_only for program admins.")
    agreement_stage: str
    agreement_versions: int
    agreement_in_force_since: datetime.datetime | None
    goals_set: int
    goals_achieved: int
    last_goal_review: datetime.datetime | None
    meetings_planned: int
    meetings_held: int
    meetings_missed: int
    meetings_cancelled: int
    last_meeting_held: datetime.datetime | None
    next_meeting: datetime.datetime | None
    next_step: NextStepOut | None = Field(None, description="Participants only.")


@router.get("/{pk}", response=MentorshipOut, summary="A mentorship: state, dates, next step")
def get_mentorship(request: HttpRequest, pk: int) -> dict[str, object]:
    mentorship, access = mentorship_for(request.user, pk)
    state = mentorship_state(mentorship)
    step = None
    if access is Access.PARTICIPANT:
        found = workspace_for(mentorship, current_person(request)).next_step
        step = {"title": found.title, "detail": found.detail, "url": found.url}
    return {
        "id": mentorship.pk, "program": mentorship.program.slug,
        "mentee": mentorship.mentee.employee_id, "mentor": mentorship.mentor.employee_id,
        "mentees": [p.employee_id for p in mentees(mentorship)],
        "focus_area": mentorship.focus_area.title, "status": mentorship.status,
        "started_at": mentorship.started_at, "ended_at": mentorship.ended_at,
        "access": access.value, "agreement_stage": state.agreement_stage.value,
        "agreement_versions": state.agreement_versions,
        "agreement_in_force_since": state.agreement_in_force_since,
        "goals_set": state.goals_set, "goals_achieved": state.goals_achieved,
        "last_goal_review": state.last_goal_review, "next_step": step,
        "meetings_planned": state.meetings.planned, "meetings_held": state.meetings.held,
        "meetings_missed": state.meetings.missed,
        "meetings_cancelled": state.meetings.cancelled,
        "last_meeting_held": state.last_meeting_held, "next_meeting": state.next_meeting,
    }  # fmt: skip
