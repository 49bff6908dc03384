"""The signed-in person in the JSON API: read and edit your own profile."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router

from mentorbridge.core.views import NO_PROFILE
from mentorbridge.people.api import person_detail
from mentorbridge.people.models import Person
from mentorbridge.people.schemas import PersonOut, ProfileIn, SkillIn
from mentorbridge.people.selectors import person_profile
from mentorbridge.people.services import (
    SkillChange,
    person_change_skills,
    person_update_profile,
    unknown_skills,
)

router = Router()

NOT_IN_CATALOGUE = (
    "“{name}” is not in the skills catalogue. {closest}To keep it as your own skill, send "
    'it again with "custom": true.'
)
CLOSEST = "Closest catalogue skills: {names}. "
NONE_CLOSE = "No catalogue skill is close. "

PATCH_ME_DESCRIPTION = """Changes only the fields you send; every other field keeps its value.

`skills` is merged into the skills you have, one entry per change:

- add a skill, or change its level: `{"skills": [{"name": "Kubernetes", "proficiency": 4}]}`
- remove one: `{"skills": [{"name": "Kubernetes", "remove": true}]}`
- keep a skill that is not in the catalogue as your own:
  `{"skills": [{"name": "Underwater basket weaving", "proficiency": 2, "custom": true}]}`

Skills you do not name stay as they are. A name that is neither in the catalogue (synonyms such
as "JS" or "k8s" count) nor already on your profile is refused with 422 and the closest
catalogue skills, unless `custom` is true. Adding or changing a skill needs a `proficiency`
(1 learning … 5 expert): there is no default level. Nothing is saved if any change is refused.
"""


def _me(request: HttpRequest) -> Person:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied(NO_PROFILE)
    return person_profile(person.employee_id)


@router.get("", response=PersonOut, summary="Your own profile")
def get_me(request: HttpRequest) -> dict[str, object]:
    return person_detail(_me(request))


def _unconfirmed(person: Person, skills: list[SkillIn]) -> dict[str, list[str]]:
    """Errors for skill names outside the catalogue that were not confirmed with ``custom``."""
    unknown = unknown_skills(
        person=person, names=[s.name for s in skills if not s.remove and not s.custom]
    )
    errors: dict[str, list[str]] = {}
    for n, skill in enumerate(skills):
        name = " ".join(skill.name.split())
        if name in unknown and not skill.remove and not skill.custom:
            closest = unknown[name]
            hint = CLOSEST.format(names=", ".join(closest)) if closest else NONE_CLOSE
            errors[f"skills.{n}.name"] = [NOT_IN_CATALOGUE.format(name=name, closest=hint)]
    return errors


@router.patch(
    "", response=PersonOut, summary="Edit your own profile", description=PATCH_ME_DESCRIPTION
)
def patch_me(request: HttpRequest, payload: ProfileIn) -> dict[str, object]:
    person = _me(request)
    data = payload.dict(exclude_unset=True, exclude_none=True)
    data.pop("skills", None)
    with transaction.atomic():
        if payload.skills:
            errors = _unconfirmed(person, payload.skills)
            if errors:
                raise ValidationError(errors)
        if data:
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
            )
        if payload.skills:
            person_change_skills(
                person=person,
                changes=[
                    SkillChange(name=s.name, proficiency=s.proficiency, remove=s.remove)
                    for s in payload.skills
                ],
            )
    return person_detail(person_profile(person.employee_id))
