"""API shapes for people."""

from __future__ import annotations

import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import field_validator

from mentorbridge.core.limits import (
    BIO_MAX_CHARS,
    CAREER_GOALS_MAX_CHARS,
    CHOICE_MAX_CHARS,
    EXPERTISE_MAX_CHARS,
    EXPERTISE_PHRASE_MAX_CHARS,
    MAX_LANGUAGES,
    MAX_SKILLS,
    SKILL_NAME_MAX_CHARS,
    expertise_problem,
)
from mentorbridge.core.schemas import InputSchema, Line
from mentorbridge.people.validators import BAD_TIMEZONE, available_timezones


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
    """One change to your skills in ``PATCH /me``: add, re-level or remove ``name``."""

    name: Line = Field(
        ..., min_length=1, max_length=SKILL_NAME_MAX_CHARS,
        description="A catalogue skill or synonym (\"JS\" is JavaScript), or your own tag.",
    )  # fmt: skip
    proficiency: int | None = Field(
        None, ge=1, le=5,
        description="1 (learning) to 5 (expert). Needed to add or change a skill; there is no "
        "default level.",
    )  # fmt: skip
    remove: bool = Field(False, description="`true` removes this skill from your profile.")
    custom: bool = Field(
        False,
        description="`true` keeps a name that is not in the skills catalogue as your own "
        "skill. Without it such a name is refused (422) with the closest catalogue skills.",
    )


class ProfileIn(InputSchema):
    """Any subset of the fields a person keeps themselves; fields left out keep their values."""

    bio: str | None = Field(None, max_length=BIO_MAX_CHARS)
    career_goals: str | None = Field(None, max_length=CAREER_GOALS_MAX_CHARS)
    timezone: str | None = Field(
        None, description="An IANA timezone such as Europe/Berlin.", max_length=64
    )
    languages: list[Annotated[str, Field(max_length=CHOICE_MAX_CHARS)]] | None = Field(
        None, max_length=MAX_LANGUAGES, description="Codes or names: en, German, hi."
    )
    expertise: list[Annotated[str, Field(max_length=EXPERTISE_PHRASE_MAX_CHARS)]] | None = Field(
        None,
        max_length=EXPERTISE_MAX_CHARS // 2,
        description=f"Short phrases, each at most {EXPERTISE_PHRASE_MAX_CHARS} characters, "
        f"at most {EXPERTISE_MAX_CHARS} characters in all (one per line). Replaces the list.",
    )
    mentoring_hours_per_month: int | None = Field(None, ge=0, le=80)
    skills: list[SkillIn] | None = Field(
        None, max_length=MAX_SKILLS,
        description="Changes to your skills, merged into the ones you have: each named skill is "
        "added or gets the new level, or is removed with `\"remove\": true`; skills you do not "
        "name stay as they are.",
    )  # fmt: skip

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str | None) -> str | None:
        if value is not None and value not in available_timezones():
            raise ValueError(BAD_TIMEZONE.format(value=value))
        return value

    @field_validator("expertise")
    @classmethod
    def _expertise_fits(cls, value: list[str] | None) -> list[str] | None:
        problem = expertise_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value


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
