"""Writes about people: profile edits, skills, manager links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorbridge.people.catalogue import fold, load_catalogue
from mentorbridge.people.models import Person, PersonSkill, Skill
from mentorbridge.people.selectors import reporting_chain_ids
from mentorbridge.people.validators import parse_language, validate_timezone

MANAGER_CYCLE = "{person} cannot report to {manager}: {manager} already reports to {person}."
MANAGER_SELF = "A person cannot be their own manager."
SKILL_EMPTY = "A skill needs a name."
SKILL_TOO_LONG = (
    "Skill names are at most 100 characters, counted as stored (ß counts as ss, ligatures as "
    "the letters they stand for)."
)
PROFICIENCY_RANGE = "Proficiency must be a whole number from 1 to 5."


SKILL_NAME_MAX = 100


def skill_name_fits(name: str) -> bool:
    """Whether a skill name fits its columns as typed *and* as stored: folding can make a name
    longer ("ß" becomes "ss", "ﷺ" a whole phrase), so the check is on every stored form."""
    if len(name) > SKILL_NAME_MAX:
        return False
    stored = (fold(name), load_catalogue().normalise(name))
    return all(len(form) <= SKILL_NAME_MAX for form in stored)


def skill_for_name(name: str) -> Skill:
    """The one ``Skill`` a typed name stands for: synonyms and case/spacing variants of a
    catalogue skill resolve to it; anything else becomes a new tidy tag."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(SKILL_EMPTY)
    if not skill_name_fits(name):
        raise ValidationError(SKILL_TOO_LONG)
    catalogue = load_catalogue()
    canonical = catalogue.canonical(name)
    if canonical is not None:
        skill, _ = Skill.objects.get_or_create(
            slug=canonical.slug, defaults={"name": canonical.name, "area": canonical.area}
        )
        return skill
    skill, _ = Skill.objects.get_or_create(
        slug=fold(name), defaults={"name": catalogue.normalise(name)}
    )
    return skill


def skills_sync_catalogue() -> int:
    """Make sure every curated catalogue skill exists as a ``Skill`` row. Returns rows added."""
    existing = set(Skill.objects.values_list("slug", flat=True))
    missing = [
        Skill(name=item.name, slug=item.slug, area=item.area)
        for item in load_catalogue()
        if item.slug not in existing
    ]
    Skill.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@dataclass(frozen=True)
class SkillEntry:
    """A skill as typed in a form or API call."""

    name: str
    proficiency: int


@transaction.atomic
def person_set_skills(*, person: Person, skills: Iterable[SkillEntry]) -> list[PersonSkill]:
    """Replace a person's skills. Duplicates (after synonyms merge) keep the highest level."""
    wanted: dict[int, tuple[Skill, int]] = {}
    for entry in skills:
        if not 1 <= entry.proficiency <= 5:
            raise ValidationError(PROFICIENCY_RANGE)
        skill = skill_for_name(entry.name)
        previous = wanted.get(skill.pk)
        if previous is None or previous[1] < entry.proficiency:
            wanted[skill.pk] = (skill, entry.proficiency)
    PersonSkill.objects.filter(person=person).exclude(skill_id__in=wanted).delete()
    current = {ps.skill_id: ps for ps in PersonSkill.objects.filter(person=person)}
    result: list[PersonSkill] = []
    for skill_id, (skill, proficiency) in wanted.items():
        row = current.get(skill_id)
        if row is None:
            row = PersonSkill.objects.create(person=person, skill=skill, proficiency=proficiency)
        elif row.proficiency != proficiency:
            row.proficiency = proficiency
            row.save(update_fields=["proficiency"])
        result.append(row)
    # Skills are part of the person: caches of people data watch ``updated_at``.
    Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
    return result


def parse_languages(values: Iterable[str]) -> list[str]:
    """Codes or names (``de``, ``German``) to a de-duplicated list of ISO 639-1 codes."""
    codes: list[str] = []
    for value in values:
        if value.strip():
            code = parse_language(value)
            if code not in codes:
                codes.append(code)
    return codes


def tidy_phrases(values: Iterable[str]) -> list[str]:
    """Trimmed, non-empty, de-duplicated phrases (case-insensitively), in the order given."""
    seen: set[str] = set()
    phrases: list[str] = []
    for value in values:
        phrase = " ".join(value.split())
        if phrase and phrase.casefold() not in seen:
            seen.add(phrase.casefold())
            phrases.append(phrase)
    return phrases


@transaction.atomic
def person_update_profile(
    *,
    person: Person,
    bio: str,
    career_goals: str,
    timezone: str,
    languages: list[str],
    expertise: list[str],
    mentoring_hours_per_month: int,
    skills: list[SkillEntry] | None = None,
) -> Person:
    """Save the parts of a profile a person keeps themselves (HR data comes from the import)."""
    validate_timezone(timezone)
    person.bio = bio.strip()
    person.career_goals = career_goals.strip()
    person.timezone = timezone
    person.languages = parse_languages(languages)
    person.expertise = tidy_phrases(expertise)
    person.mentoring_hours_per_month = mentoring_hours_per_month
    person.full_clean(exclude=["user"])
    person.save(
        update_fields=[
            "bio", "career_goals", "timezone", "languages", "expertise",
            "mentoring_hours_per_month", "updated_at",
        ]
    )  # fmt: skip
    if skills is not None:
        person_set_skills(person=person, skills=skills)
    return person


def person_set_manager(*, person: Person, manager: Person | None) -> Person:
    """Link a person to their manager, refusing links that would make a reporting cycle."""
    if manager is not None:
        if manager.pk == person.pk:
            raise ValidationError({"manager": MANAGER_SELF})
        manager_of = dict(Person.objects.values_list("pk", "manager_id"))
        if person.pk in reporting_chain_ids(manager_of, manager.pk):
            raise ValidationError({"manager": MANAGER_CYCLE.format(person=person, manager=manager)})
    person.manager = manager
    person.save(update_fields=["manager", "updated_at"])
    return person
