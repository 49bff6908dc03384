"""Writes about people: profile edits, skills, manager links."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorbridge.core.limits import MAX_SKILLS, SKILL_NAME_MAX_CHARS
from mentorbridge.people.catalogue import fold, load_catalogue
from mentorbridge.people.models import Person, PersonSkill, Skill
from mentorbridge.people.selectors import reporting_chain_ids
from mentorbridge.people.skill_reading import read_skills, skill_name
from mentorbridge.people.validators import parse_language, validate_timezone

MANAGER_CYCLE = "{person} cannot report to {manager}: {manager} already reports to {person}."
MANAGER_SELF = "A person cannot be their own manager."
SKILL_EMPTY = "A skill needs a name."
SKILL_TOO_LONG = (
    f"Skill names are at most {SKILL_NAME_MAX_CHARS} characters, counted as stored (ß counts "
    "as ss, ligatures as the letters they stand for)."
)
PROFICIENCY_RANGE = "Proficiency must be a whole number from 1 to 5."
SKILL_LEVEL_MISSING = "Choose a level from 1 (learning) to 5 (expert) for “{name}”."
SKILL_NOT_ON_PROFILE = "“{name}” is not on your profile, so there is nothing to remove."
TOO_MANY_SKILLS = f"List at most {MAX_SKILLS} skills: the ones you use most."
READ_SKILL_UNKNOWN = "“{skill}” was not read from {owner}'s profile, so there is nothing to remove."
READ_SKILL_NOT_REMOVED = "“{skill}” was not removed from {owner}'s read skills."


SKILL_NAME_MAX = SKILL_NAME_MAX_CHARS


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


@dataclass(frozen=True)
class SkillChange:
    """One change to a person's skills: add or re-level ``name``, or remove it."""

    name: str
    proficiency: int | None = None
    remove: bool = False


def _write_skills(*, person: Person, wanted: dict[int, tuple[Skill, int]]) -> list[PersonSkill]:
    """Make the person's skill rows exactly ``wanted`` (skill id → (skill, proficiency))."""
    if len(wanted) > MAX_SKILLS:
        raise ValidationError({"skills": [TOO_MANY_SKILLS]})
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
    return _write_skills(person=person, wanted=wanted)


def existing_skill(name: str) -> Skill | None:
    """The ``Skill`` a typed name stands for, if it exists (never creates one)."""
    canonical = load_catalogue().canonical(name)
    return Skill.objects.filter(slug=canonical.slug if canonical else fold(name)).first()


@transaction.atomic
def person_change_skills(*, person: Person, changes: Iterable[SkillChange]) -> list[PersonSkill]:
    """Add, re-level or remove the named skills; every other skill stays as it is.

    Errors name the change by position (``skills.2.name``), as the API's ``skills`` list.
    """
    wanted = {
        ps.skill_id: (ps.skill, ps.proficiency)
        for ps in PersonSkill.objects.filter(person=person).select_related("skill")
    }
    errors: dict[str, list[str]] = {}
    for n, change in enumerate(changes):
        if change.remove:
            skill = existing_skill(change.name)
            if skill is None or skill.pk not in wanted:
                errors[f"skills.{n}.name"] = [SKILL_NOT_ON_PROFILE.format(name=change.name)]
            else:
                del wanted[skill.pk]
            continue
        if change.proficiency is None or not 1 <= change.proficiency <= 5:
            errors[f"skills.{n}.proficiency"] = [SKILL_LEVEL_MISSING.format(name=change.name)]
            continue
        try:
            skill = skill_for_name(change.name)
        except ValidationError as error:
            errors[f"skills.{n}.name"] = error.messages
            continue
        wanted[skill.pk] = (skill, change.proficiency)
    if errors:
        raise ValidationError(errors)
    return _write_skills(person=person, wanted=wanted)


def unknown_skills(*, person: Person, names: Iterable[str]) -> dict[str, list[str]]:
    """Typed skill names that are neither in the catalogue nor already on the person's
    profile, each with the closest catalogue skills (possibly none), in the order given."""
    catalogue = load_catalogue()
    own = set(PersonSkill.objects.filter(person=person).values_list("skill__slug", flat=True))
    unknown: dict[str, list[str]] = {}
    for name in names:
        name = " ".join(name.split())
        if name and catalogue.canonical(name) is None and fold(name) not in own:
            unknown.setdefault(name, [skill.name for skill in catalogue.closest(name)])
    return unknown


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
    person.read_skills = read_profile_skills(person.expertise, person.bio)
    person.full_clean(exclude=["user"])
    person.save(
        update_fields=[
            "bio", "career_goals", "timezone", "languages", "expertise",
            "mentoring_hours_per_month", "read_skills", "updated_at",
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


def read_profile_skills(expertise: Iterable[str], bio: str) -> list[str]:
    """The catalogue skills a profile's expertise and bio name (slugs, first mention first)."""
    return read_skills(*expertise, bio)


class _HasReadSkills(Protocol):
    pk: Any
    read_skills: list[str]
    removed_read_skills: list[str]

    def save(self, *, update_fields: list[str]) -> None: ...


_ReadSkillsOwner = TypeVar("_ReadSkillsOwner", bound=_HasReadSkills)


@transaction.atomic
def read_skill_set_removed(
    record: _ReadSkillsOwner, *, slug: str, removed: bool, unknown: str, not_removed: str
) -> _ReadSkillsOwner:
    """Remove a skill read from a record's prose (it is no longer used, nor read again after
    later edits) or put it back. ``unknown`` and ``not_removed`` are the errors, formatted with
    ``skill`` and ``owner`` (the record)."""
    model: Any = type(record)
    record = model.objects.select_for_update().get(pk=record.pk)
    if slug not in (record.read_skills if removed else record.removed_read_skills):
        message = (unknown if removed else not_removed).format(skill=skill_name(slug), owner=record)
        raise ValidationError({"skill": message})
    kept = [s for s in record.removed_read_skills if s != slug]
    if removed:
        kept.append(slug)
    if kept != record.removed_read_skills:
        record.removed_read_skills = kept
        record.save(update_fields=["removed_read_skills", "updated_at"])
    return record


def person_remove_read_skill(*, person: Person, slug: str) -> Person:
    """The person says a skill was read wrongly from their profile: it is no longer used
    (nor read again after later edits) until they put it back."""
    return read_skill_set_removed(
        person, slug=slug, removed=True, unknown=READ_SKILL_UNKNOWN,
        not_removed=READ_SKILL_NOT_REMOVED,
    )  # fmt: skip


def person_restore_read_skill(*, person: Person, slug: str) -> Person:
    """Undo :func:`person_remove_read_skill`."""
    return read_skill_set_removed(
        person, slug=slug, removed=False, unknown=READ_SKILL_UNKNOWN,
        not_removed=READ_SKILL_NOT_REMOVED,
    )  # fmt: skip
