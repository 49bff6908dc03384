"""API shapes for finding a mentor."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator

from mentorbridge.core.limits import (
    ANSWER_MAX_CHARS,
    CHOICE_MAX_CHARS,
    IDENTIFIER_MAX_CHARS,
    MAX_LIST_ITEMS,
    NOTE_MAX_CHARS,
    QUESTION_MAX_CHARS,
    REQUEST_MESSAGE_MAX_CHARS,
)
from mentorbridge.core.schemas import InputSchema
from mentorbridge.matching_engine.instance import FACTORS

# The employee ID that names someone.
EMPLOYEE_ID = Field(..., max_length=IDENTIFIER_MAX_CHARS)


class ReasonOut(Schema):
    factor: str
    label: str
    text: str
    value: float
    contribution: float


class SuggestionOut(Schema):
    employee_id: str
    name: str
    job_title: str
    department: str | None
    fit: int = Field(
        ...,
        description="How well they fit, out of 100: the number the pages show (score × 100).",
    )
    score: float = Field(..., description="The engine's score, 0 to 1 (fit = score × 100).")
    summary: str
    reasons: list[ReasonOut]
    places_left: int
    capacity: int
    median_hours_to_answer: float | None
    share_answered: float | None
    last_active: datetime.datetime | None
    languages: list[str]
    timezone: str
    requested: bool


UNKNOWN_FACTOR = "no such factor: {names} (the factors are {factors})"


class RequestIn(InputSchema):
    focus_area_id: int
    mentor: str = Field(
        ..., description="The mentor's employee ID.", max_length=IDENTIFIER_MAX_CHARS
    )
    message: str = Field(..., max_length=REQUEST_MESSAGE_MAX_CHARS)


class RequestOut(Schema):
    id: int
    program: str
    mentee: str
    mentor: str
    focus_area_id: int
    focus_area: str
    message: str
    status: str
    decline_reason: str
    decline_note: str
    info_question: str
    info_answer: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    answered_at: datetime.datetime | None


class DeclineIn(InputSchema):
    reason: str = Field(
        ...,
        description="no_time, not_my_expertise, better_fit or other",
        max_length=CHOICE_MAX_CHARS,
    )
    note: str = Field("", max_length=NOTE_MAX_CHARS)


class QuestionIn(InputSchema):
    question: str = Field(..., max_length=QUESTION_MAX_CHARS)


class AnswerIn(InputSchema):
    answer: str = Field(..., max_length=ANSWER_MAX_CHARS)


class RoundIn(InputSchema):
    objective: str = Field("total", max_length=CHOICE_MAX_CHARS)
    weights: dict[str, float] = Field({}, max_length=20)

    @field_validator("weights")
    @classmethod
    def _known_factors(cls, weights: dict[str, float]) -> dict[str, float]:
        """A misspelt factor (``skill`` for ``goal_fit``) is refused, not left at its default."""
        if unknown := sorted(set(weights) - set(FACTORS)):
            raise ValueError(
                UNKNOWN_FACTOR.format(names=", ".join(unknown), factors=", ".join(FACTORS))
            )
        return weights


class PinIn(InputSchema):
    focus_area_id: int
    mentor: str = EMPLOYEE_ID


class ForbidIn(InputSchema):
    mentee: str = EMPLOYEE_ID
    mentor: str = EMPLOYEE_ID
    permanent: bool = False


class ConflictChoiceIn(InputSchema):
    focus_area_id: int
    choice: str = Field(..., description="withdraw or keep", max_length=CHOICE_MAX_CHARS)


class ConflictsIn(InputSchema):
    choices: list[ConflictChoiceIn] = Field(
        ...,
        description="What publishing does to the open requests each focus area crosses.",
        max_length=MAX_LIST_ITEMS,
    )


class LeaveOutIn(InputSchema):
    focus_area_id: int
    leave_out: bool = Field(True, description="false puts a left-out focus area back.")


class OpenRequestOut(Schema):
    id: int
    mentor: str = Field(..., description="The employee ID of the mentor asked.")
    status: str
    created_at: datetime.datetime


class ConflictOut(Schema):
    focus_area_id: int
    focus_area: str
    mentee: str
    proposed_mentor: str
    open_requests: list[OpenRequestOut]
    choice: str = Field(..., description="withdraw, keep, or empty while undecided.")


class ProposalOut(Schema):
    id: int
    mentee: str
    mentor: str
    focus_area_id: int
    focus_area: str
    fit: int = Field(
        ...,
        description="How well they fit, out of 100: the number the pages show (score × 100).",
    )
    score: float = Field(..., description="The engine's score, 0 to 1 (fit = score × 100).")
    pinned: bool
    status: str
    mentee_accepted: bool | None
    mentor_accepted: bool | None
    factors: list[dict[str, Any]]


class RoundOut(Schema):
    id: int
    program: str
    parent_id: int | None
    objective: str
    weights: dict[str, float]
    pins: list[dict[str, str]]
    forbids: list[dict[str, str]]
    status: str
    progress: int
    progress_text: str
    error: str
    stats: dict[str, Any]
    unmatched: list[dict[str, Any]]
    left_out: list[str] = Field(..., description="Focus area ids left to their open requests.")
    request_choices: dict[str, str] = Field(
        ..., description="Focus area id → withdraw or keep: what publishing does to its requests."
    )
    created_at: datetime.datetime
    published_at: datetime.datetime | None


class RoundDetailOut(RoundOut):
    proposals: list[ProposalOut]
    conflicts: list[ConflictOut] = Field(
        ..., description="Proposals that cross the mentee's open request to another mentor."
    )


class PublishOut(Schema):
    sent: int
    dropped: int
    requests_withdrawn: int = Field(
        ..., description="Open requests withdrawn because the admin chose so for a conflict."
    )


class ProposalAnswerIn(InputSchema):
    accept: bool
    note: str = Field("", max_length=NOTE_MAX_CHARS)
