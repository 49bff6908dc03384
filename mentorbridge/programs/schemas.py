"""API shapes for programs and enrollment."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema

from mentorbridge.core.limits import (
    CHOICE_MAX_CHARS,
    FOCUS_AREA_DESCRIPTION_MAX_CHARS,
    FOCUS_AREA_TITLE_MAX_CHARS,
    IDENTIFIER_MAX_CHARS,
    MAX_LIST_ITEMS,
    MAX_SKILLS,
    MOTIVATION_MAX_CHARS,
    PROGRAM_DESCRIPTION_MAX_CHARS,
    SKILL_NAME_MAX_CHARS,
)
from mentorbridge.core.schemas import InputSchema, Line


class ProgramOut(Schema):
    slug: str
    name: str
    description: str
    kind: str
    status: str
    always_open: bool
    cohort_starts_on: datetime.date | None
    cohort_ends_on: datetime.date | None
    enrollment_opens_on: datetime.date | None
    enrollment_closes_on: datetime.date | None
    enrollment_open: bool
    default_cadence: str
    default_duration_weeks: int
    max_mentees_per_mentor: int
    max_mentors_per_mentee: int
    max_open_requests: int
    request_expiry_days: int
    requires_approval: bool
    accepts_requests: bool
    waitlist_auto_match: bool
    eligible_min_level: int | None
    eligible_max_level: int | None
    eligible_departments: list[str]
    admins: list[str] = Field(..., description="Employee IDs of the program admins.")


class ProgramIn(InputSchema):
    name: Line = Field(..., min_length=1, max_length=150)
    description: str = Field("", max_length=PROGRAM_DESCRIPTION_MAX_CHARS)
    kind: str = Field("traditional", max_length=CHOICE_MAX_CHARS)
    always_open: bool = False
    cohort_starts_on: datetime.date | None = None
    cohort_ends_on: datetime.date | None = None
    enrollment_opens_on: datetime.date | None = None
    enrollment_closes_on: datetime.date | None = None
    default_cadence: str = Field("biweekly", max_length=CHOICE_MAX_CHARS)
    default_duration_weeks: int = 26
    max_mentees_per_mentor: int = 2
    max_mentors_per_mentee: int = 1
    max_open_requests: int = 3
    request_expiry_days: int = 10
    requires_approval: bool = False
    accepts_requests: bool = True
    waitlist_auto_match: bool = False
    eligible_min_level: int | None = None
    eligible_max_level: int | None = None


class ProgramPatch(InputSchema):
    """Any subset of a program's settings."""

    name: Line | None = Field(None, min_length=1, max_length=150)
    description: str | None = Field(None, max_length=PROGRAM_DESCRIPTION_MAX_CHARS)
    kind: str | None = Field(None, max_length=CHOICE_MAX_CHARS)
    always_open: bool | None = None
    cohort_starts_on: datetime.date | None = None
    cohort_ends_on: datetime.date | None = None
    enrollment_opens_on: datetime.date | None = None
    enrollment_closes_on: datetime.date | None = None
    default_cadence: str | None = Field(None, max_length=CHOICE_MAX_CHARS)
    default_duration_weeks: int | None = None
    max_mentees_per_mentor: int | None = None
    max_mentors_per_mentee: int | None = None
    max_open_requests: int | None = None
    request_expiry_days: int | None = None
    requires_approval: bool | None = None
    accepts_requests: bool | None = None
    waitlist_auto_match: bool | None = None
    eligible_min_level: int | None = None
    eligible_max_level: int | None = None


class StatusIn(InputSchema):
    status: str = Field(..., max_length=CHOICE_MAX_CHARS)


class FocusAreaIn(InputSchema):
    title: Line = Field(..., min_length=1, max_length=FOCUS_AREA_TITLE_MAX_CHARS)
    description: str = Field("", max_length=FOCUS_AREA_DESCRIPTION_MAX_CHARS)
    skills: list[Annotated[str, Field(max_length=SKILL_NAME_MAX_CHARS)]] = Field(
        [], max_length=MAX_SKILLS
    )


class FocusAreaOut(Schema):
    title: str
    description: str
    skills: list[str]


class JoinIn(InputSchema):
    role: str = Field(..., max_length=CHOICE_MAX_CHARS)
    mentor_capacity: int = Field(0, ge=0, le=50)
    department_preference: str = Field("any", max_length=CHOICE_MAX_CHARS)
    meeting_preference: str = Field("either", max_length=CHOICE_MAX_CHARS)
    motivation: str = Field("", max_length=MOTIVATION_MAX_CHARS)
    focus_areas: list[FocusAreaIn] = Field([], max_length=10)


class EnrollmentOut(Schema):
    id: int
    program: str
    employee_id: str
    name: str
    role: str
    status: str
    mentor_capacity: int
    department_preference: str
    meeting_preference: str
    focus_areas: list[FocusAreaOut]


class InviteIn(InputSchema):
    employee_ids: list[Annotated[str, Field(max_length=IDENTIFIER_MAX_CHARS)]] = Field(
        ..., min_length=1, max_length=MAX_LIST_ITEMS
    )
    role: str = Field("mentee", max_length=CHOICE_MAX_CHARS)


class DecisionIn(InputSchema):
    approve: bool


class RoleCountsOut(Schema):
    """Active enrollments in one role and where they stand (each person counted once)."""

    enrolled: int
    matched: int = Field(description="Mentees: every focus area has a mentor. Mentors: 1+ mentee.")
    proposed: int = Field(description="A matching round's proposal is waiting for answers.")
    waiting: int = Field(description="A mentee's request is waiting for the mentor's answer.")
    unmatched: int


class CountsOut(Schema):
    mentees: int
    mentors: int
    pending: int
    invited: int
    capacity: int
    focus_areas: int
    by_role: dict[str, RoleCountsOut] = Field(
        description="Keys `mentee` and `mentor`; people enrolled as both count in each."
    )
