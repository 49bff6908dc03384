"""What the people app holds about a person: the profile (from HR and written by them)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mentorbridge.core.personal_data import Erasure
from mentorbridge.people.models import Person
from mentorbridge.people.signals import people_left

# What the others are told about requests and mentorships that end ("the mentor …").
ERASED = "is no longer in MentorBridge"

DESCRIPTION = (
    "Your profile: what HR imported and what you wrote (bio, goals, expertise, skills, languages)."
)


def erased_employee_id(person_id: int) -> str:
    return f"erased-{person_id}"


def export(person: Person) -> dict[str, Any]:
    """Every profile field, HR's and the person's own."""
    return {
        "employee_id": person.employee_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "job_title": person.job_title,
        "department": person.department.name if person.department else None,
        "location": person.location,
        "timezone": person.timezone,
        "languages": person.languages,
        "level": person.level,
        "manager_employee_id": person.manager.employee_id if person.manager else None,
        "hire_date": person.hire_date,
        "left_on": person.left_on,
        "active": person.is_active,
        "skills": [
            {"name": ps.skill.name, "proficiency": ps.proficiency}
            for ps in person.person_skills.select_related("skill")
        ],
        "expertise": person.expertise,
        "bio": person.bio,
        "career_goals": person.career_goals,
        "mentoring_hours_per_month": person.mentoring_hours_per_month,
        "updated_at": person.updated_at,
    }


def erase(erasure: Erasure) -> dict[str, int]:
    """Wind up everything the person takes part in (as when someone leaves: the other people
    are told, places free up), then anonymise the profile. The row stays, so every count and
    round that includes them still adds up; it is called "Erased person #<id>" from now on."""
    person = Person.objects.select_for_update().get(pk=erasure.person_id)
    people_left.send(sender=Person, people=[person], reason=ERASED)
    skills, _ = person.person_skills.all().delete()
    person.first_name, person.last_name = "Erased", f"person #{person.pk}"
    person.employee_id = erased_employee_id(person.pk)
    person.job_title = person.location = person.bio = person.career_goals = ""
    person.department = person.manager = None
    person.languages, person.expertise = [], []
    person.timezone = "UTC"
    person.hire_date = None
    person.left_on = person.left_on or timezone.localdate()
    person.is_active = False
    person.mentoring_hours_per_month = 0
    person.save()
    return {"profiles_anonymised": 1, "skills_deleted": skills}
