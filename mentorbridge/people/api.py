"""People in the JSON API: directory, profiles, reporting chain, skills, HRIS import."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, UploadedFile

from mentorbridge.core.limits import SEARCH_MAX_CHARS
from mentorbridge.core.parsing import MAX_ID
from mentorbridge.core.permissions import can_import_people
from mentorbridge.people import importing
from mentorbridge.people.models import Person
from mentorbridge.people.schemas import (
    ImportReportOut,
    PeoplePageOut,
    PersonOut,
    PersonSummaryOut,
)
from mentorbridge.people.selectors import (
    DirectoryFilters,
    people_directory,
    person_profile,
    reporting_chain,
    skill_suggestions,
)

router = Router()
# Databases keep offsets in 64-bit integers; no directory is a billion people long.
MAX_OFFSET = 1_000_000_000


def person_summary(person: Person) -> dict[str, object]:
    """The directory-card fields of a person."""
    return {
        "employee_id": person.employee_id,
        "name": person.full_name,
        "job_title": person.job_title,
        "department": person.department.name if person.department else None,
        "level": person.level,
        "location": person.location,
        "timezone": person.timezone,
    }


def person_detail(person: Person) -> dict[str, object]:
    """Every profile field of a person (skills must be prefetched)."""
    return {
        **person_summary(person),
        "email": person.user.email,
        "languages": person.languages,
        "manager_employee_id": person.manager.employee_id if person.manager else None,
        "hire_date": person.hire_date,
        "skills": [
            {"name": ps.skill.name, "proficiency": ps.proficiency}
            for ps in person.person_skills.all()
        ],
        "expertise": person.expertise,
        "bio": person.bio,
        "career_goals": person.career_goals,
        "mentoring_hours_per_month": person.mentoring_hours_per_month,
        "is_active": person.is_active,
    }


@router.get("", response=PeoplePageOut, summary="Search the people directory")
def list_people(
    request: HttpRequest,
    q: str = Query("", max_length=SEARCH_MAX_CHARS),
    department_id: int | None = Query(None, ge=1, le=MAX_ID),
    skill: str = Query("", max_length=SEARCH_MAX_CHARS),
    level: int | None = Query(None, ge=1, le=20),
    location: str = Query("", max_length=SEARCH_MAX_CHARS),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, object]:
    people = people_directory(
        DirectoryFilters(
            query=q, department_id=department_id, skill=skill, level=level, location=location
        )
    )
    return {
        "count": people.count(),
        "results": [person_summary(p) for p in people[offset : offset + limit]],
    }


@router.get("/skills", response=list[str], summary="Skill names for autocomplete")
def list_skills(
    request: HttpRequest,
    q: str = Query("", max_length=SEARCH_MAX_CHARS),
    limit: int = Query(10, ge=1, le=50),
) -> list[str]:
    return skill_suggestions(q, limit=limit)


@router.post("/import", response=ImportReportOut, summary="Import people from an HRIS CSV")
def import_people(
    request: HttpRequest,
    file: UploadedFile = File(...),
    dry_run: bool = False,
    overwrite_profiles: bool = False,
) -> dict[str, object]:
    """All or nothing: a file with any error changes nothing; the report lists every error."""
    if not can_import_people(request.user):
        raise PermissionDenied("Only HR staff and site admins can import people.")
    report = importing.import_upload(file, dry_run=dry_run, overwrite_profiles=overwrite_profiles)
    return report.as_dict()


@router.get("/{employee_id}", response=PersonOut, summary="One person's profile")
def get_person(request: HttpRequest, employee_id: str) -> dict[str, object]:
    try:
        return person_detail(person_profile(employee_id))
    except Person.DoesNotExist:
        get_object_or_404(Person, employee_id=employee_id)
        raise


@router.get(
    "/{employee_id}/reporting-chain",
    response=list[PersonSummaryOut],
    summary="Manager, skip-level and up to the top",
)
def get_reporting_chain(request: HttpRequest, employee_id: str) -> list[dict[str, object]]:
    person = get_object_or_404(Person, employee_id=employee_id)
    return [person_summary(p) for p in reporting_chain(person)]
