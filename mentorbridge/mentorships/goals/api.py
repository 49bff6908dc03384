"""Goals in the JSON API: goals with milestones and progress, changes, ticks, history and
goal reviews. Participants only: program admins get 403 (content is private), anyone else 404."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from mentorbridge.core.limits import (
    CHOICE_MAX_CHARS,
    GOAL_DESCRIPTION_MAX_CHARS,
    GOAL_WHY_MAX_CHARS,
    MAX_LIST_ITEMS,
    MAX_MILESTONES,
    MILESTONE_TITLE_MAX_CHARS,
    NOTE_MAX_CHARS,
    REVIEW_SUMMARY_MAX_CHARS,
)
from mentorbridge.core.schemas import InputSchema
from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.goals import selectors, services
from mentorbridge.mentorships.goals.models import Goal, GoalEvent, GoalReview, Milestone

router = Router()


class MilestoneOut(Schema):
    id: int
    title: str
    done_on: datetime.date | None


class GoalOut(Schema):
    id: int
    description: str
    why: str
    target_date: datetime.date | None
    status: str = Field(..., description="not_started, in_progress, achieved or dropped")
    progress: int = Field(..., description="Percent: milestones reached (achieved: 100).")
    milestones: list[MilestoneOut]
    created_by: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


DESCRIPTION = Field(..., max_length=GOAL_DESCRIPTION_MAX_CHARS)
WHY = Field("", max_length=GOAL_WHY_MAX_CHARS)
NOTE = Field("", max_length=NOTE_MAX_CHARS)


class GoalIn(InputSchema):
    description: str = DESCRIPTION
    why: str = WHY
    target_date: datetime.date | None = None
    milestones: list[Annotated[str, Field(max_length=MILESTONE_TITLE_MAX_CHARS)]] = Field(
        [], max_length=MAX_MILESTONES
    )


class GoalChangeIn(InputSchema):
    description: str = DESCRIPTION
    why: str = WHY
    target_date: datetime.date | None = None
    status: str = Field(..., max_length=CHOICE_MAX_CHARS)
    note: str = NOTE


class MilestoneIn(InputSchema):
    title: str = Field(..., max_length=MILESTONE_TITLE_MAX_CHARS)


class TickIn(InputSchema):
    done_on: datetime.date | None = Field(None, description="Empty: today.")


class GoalEventOut(Schema):
    kind: str
    text: str
    note: str
    by: str
    at: datetime.datetime
    review_id: int | None
    decision: str


class GoalDecisionIn(InputSchema):
    goal_id: int
    decision: str = Field(
        ..., description="kept, changed, achieved or dropped", max_length=CHOICE_MAX_CHARS
    )
    note: str = NOTE
    description: str | None = Field(
        None, description="For changed: the new wording.", max_length=GOAL_DESCRIPTION_MAX_CHARS
    )
    why: str | None = Field(None, max_length=GOAL_WHY_MAX_CHARS)
    target_date: datetime.date | None = Field(None, description="For changed: the new date.")


class ReviewIn(InputSchema):
    summary: str = Field("", max_length=REVIEW_SUMMARY_MAX_CHARS)
    decisions: list[GoalDecisionIn] = Field(..., max_length=MAX_LIST_ITEMS)


class ReviewOut(Schema):
    id: int
    by: str
    held_at: datetime.datetime
    summary: str
    decisions: list[GoalEventOut]


def milestone_out(m: Milestone) -> dict[str, object]:
    return {"id": m.pk, "title": m.title, "done_on": m.done_on}


def goal_out(card: selectors.GoalCard) -> dict[str, object]:
    g = card.goal
    return {
        "id": g.pk, "description": g.description, "why": g.why, "target_date": g.target_date,
        "status": g.status, "progress": card.percent,
        "milestones": [milestone_out(m) for m in card.milestones],
        "created_by": g.created_by.employee_id, "created_at": g.created_at,
        "updated_at": g.updated_at,
    }  # fmt: skip


def event_out(e: GoalEvent) -> dict[str, object]:
    return {
        "kind": e.kind, "text": e.text, "note": e.note, "by": e.by.employee_id, "at": e.at,
        "review_id": e.review_id, "decision": e.decision,
    }  # fmt: skip


def review_out(r: GoalReview) -> dict[str, object]:
    return {
        "id": r.pk, "by": r.by.employee_id, "held_at": r.held_at, "summary": r.summary,
        "decisions": [event_out(e) for e in r.events.all()],
    }  # fmt: skip


def _card(mentorship_pk: int, request: HttpRequest, goal_id: int) -> dict[str, object]:
    mentorship = mentorship_content_for(request.user, mentorship_pk)
    get_object_or_404(Goal, pk=goal_id, mentorship=mentorship)
    cards = selectors.goal_cards(mentorship)
    return goal_out(next(c for c in cards if c.goal.pk == goal_id))


def _goal(request: HttpRequest, pk: int, goal_id: int) -> Goal:
    mentorship = mentorship_content_for(request.user, pk)
    return get_object_or_404(Goal, pk=goal_id, mentorship=mentorship)


@router.get("/{pk}/goals", response=list[GoalOut], summary="Goals with milestones and progress")
def list_goals(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    return [goal_out(c) for c in selectors.goal_cards(mentorship)]


@router.post("/{pk}/goals", response={201: GoalOut}, summary="Set a goal")
def create_goal(request: HttpRequest, pk: int, payload: GoalIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    goal = services.goal_create(mentorship=mentorship, by=current_person(request), **payload.dict())
    return Status(201, _card(pk, request, goal.pk))


@router.get("/{pk}/goals/{goal_id}", response=GoalOut, summary="One goal")
def get_goal(request: HttpRequest, pk: int, goal_id: int) -> dict[str, object]:
    return _card(pk, request, goal_id)


@router.put("/{pk}/goals/{goal_id}", response=GoalOut, summary="Change a goal")
def change_goal(
    request: HttpRequest, pk: int, goal_id: int, payload: GoalChangeIn
) -> dict[str, object]:
    goal = _goal(request, pk, goal_id)
    services.goal_update(goal=goal, by=current_person(request), **payload.dict())
    return _card(pk, request, goal_id)


@router.get(
    "/{pk}/goals/{goal_id}/history", response=list[GoalEventOut], summary="A goal's history"
)
def goal_history(request: HttpRequest, pk: int, goal_id: int) -> list[dict[str, object]]:
    return [event_out(e) for e in selectors.goal_history(_goal(request, pk, goal_id))]


@router.post(
    "/{pk}/goals/{goal_id}/milestones", response={201: MilestoneOut}, summary="Add a milestone"
)
def add_milestone(request: HttpRequest, pk: int, goal_id: int, payload: MilestoneIn) -> Status:
    goal = _goal(request, pk, goal_id)
    m = services.milestone_add(goal=goal, by=current_person(request), title=payload.title)
    return Status(201, milestone_out(m))


def _milestone(request: HttpRequest, pk: int, goal_id: int, milestone_id: int) -> Milestone:
    return get_object_or_404(Milestone, pk=milestone_id, goal=_goal(request, pk, goal_id))


@router.post(
    "/{pk}/goals/{goal_id}/milestones/{milestone_id}/tick",
    response=MilestoneOut, summary="Tick a milestone off",
)  # fmt: skip
def tick_milestone(
    request: HttpRequest, pk: int, goal_id: int, milestone_id: int, payload: TickIn
) -> dict[str, object]:
    m = services.milestone_tick(
        milestone=_milestone(request, pk, goal_id, milestone_id), by=current_person(request),
        done_on=payload.done_on,
    )  # fmt: skip
    return milestone_out(m)


@router.post(
    "/{pk}/goals/{goal_id}/milestones/{milestone_id}/reopen",
    response=MilestoneOut, summary="Reopen a milestone ticked by mistake",
)  # fmt: skip
def reopen_milestone(
    request: HttpRequest, pk: int, goal_id: int, milestone_id: int
) -> dict[str, object]:
    m = services.milestone_reopen(
        milestone=_milestone(request, pk, goal_id, milestone_id), by=current_person(request)
    )
    return milestone_out(m)


@router.get("/{pk}/goal-reviews", response=list[ReviewOut], summary="Goal reviews, newest first")
def list_reviews(request: HttpRequest, pk: int) -> list[dict[str, object]]:
    mentorship = mentorship_content_for(request.user, pk)
    return [review_out(r) for r in selectors.goal_reviews(mentorship)]


@router.post("/{pk}/goal-reviews", response={201: ReviewOut}, summary="Review every open goal")
def create_review(request: HttpRequest, pk: int, payload: ReviewIn) -> Status:
    mentorship = mentorship_content_for(request.user, pk)
    review = services.goal_review_record(
        mentorship=mentorship, by=current_person(request), summary=payload.summary,
        decisions=[services.GoalDecision(**d.dict()) for d in payload.decisions],
    )  # fmt: skip
    found = next(r for r in selectors.goal_reviews(mentorship) if r.pk == review.pk)
    return Status(201, review_out(found))
