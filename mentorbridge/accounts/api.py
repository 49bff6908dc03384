"""The signed-in person in the JSON API: read and edit your own profile."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router

from mentorbridge.core.views import NO_PROFILE
from mentorbridge.people.api import person_detail
from mentorbridge.people.models import Person
from mentorbridge.people.schemas import PersonOut, ProfileIn
from mentorbridge.people.selectors import person_profile
from mentorbridge.people.services import SkillEntry, person_update_profile

router = Router()


def _me(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied(NO_PROFILE)
    return person_profile(person.employee_id)


@router.get("", response=PersonOut, summary="Your own profile")
def get_me(request: HttpRequest) -> dict[str, object]:
    return person_detail(_me(request))


@router.patch("", response=PersonOut, summary="Edit your own profile")
def patch_me(request: HttpRequest, payload: ProfileIn) -> dict[str, object]:
    """Fields left out keep their values; ``skills``, when given, replaces the list."""
    person = _me(request)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    skills = data.pop("skills", None)
    person_update_profile(
        person=person,
        bio=data.get("bio", person.bio),
        career_goals=data.get("career_goals", person.career_goals),
        timezone=data.get("timezone", person.timezone),
        languages=data.get("languages", person.languages),
        expertise=data.get("expertise", person.expertise),
        mentoring_hours_per_month=data.get(
            "mentoring_hours_per_month", person.mentoring_hours_per_month
        ),
        # From the parsed schema, not the dict: a skill sent without a proficiency gets the
        # schema's default (exclude_unset above drops it from the dict).
        skills=None
        if skills is None or payload.skills is None
        else [SkillEntry(name=s.name, proficiency=s.proficiency) for s in payload.skills],
    )
    return person_detail(person_profile(person.employee_id))
