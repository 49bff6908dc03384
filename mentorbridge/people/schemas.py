"""API shapes for people."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from mentorbridge.core.schemas import InputSchema, Line


class SkillOut(Schema):
    name: str
    proficiency: int


class PersonSummaryOut(Schema):
    employee_id: str
    name: str
    job_title: str
    department: str | None
    level: int
    location: str
    timezone: str


class PersonOut(PersonSummaryOut):
    email: str
    languages: list[str]
    manager_employee_id: str | None
    hire_date: datetime.date | None
    skills: list[SkillOut]
    expertise: list[str]
    bio: str
    career_goals: str
    mentoring_hours_per_month: int
    is_active: bool


class SkillIn(InputSchema):
    name: Line = Field(..., min_length=1, max_length=100)
    proficiency: int = Field(3, ge=1, le=5)


class ProfileIn(InputSchema):
    """Any subset of the fields a person keeps themselves."""

    bio: str | None = Field(None, max_length=4000)
    career_goals: str | None = Field(None, max_length=4000)
    timezone: str | None = None
    languages: list[str] | None = None
    expertise: list[str] | None = None
    mentoring_hours_per_month: int | None = Field(None, ge=0, le=80)
    skills: list[SkillIn] | None = Field(None, max_length=30)


class PeoplePageOut(Schema):
    count: int
    results: list[PersonSummaryOut]


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportReportOut(Schema):
    rows: int
    created: int
    updated: int
    unchanged: int
    applied: bool
    error_count: int
    errors: list[RowErrorOut]
    seconds: float
