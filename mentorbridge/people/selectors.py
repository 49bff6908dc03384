"""Reads about people that span relations: the directory, profiles, the reporting chain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from mentorbridge.people.catalogue import fold, load_catalogue
from mentorbridge.people.models import Department, Person, PersonSkill, Skill

MAX_CHAIN_DEPTH = 64


def reporting_chain(person: Person) -> list[Person]:
    """The person's manager, skip-level manager and so on up to the top of the organisation.

    Walks one level per query with ``select_related`` on two levels at a time; cycles (which the
    import and services refuse) cannot loop forever: the walk stops at a repeated person.
    """
    chain: list[Person] = []
    seen = {person.pk}
    manager_id = person.manager_id
    while manager_id is not None and manager_id not in seen and len(chain) < MAX_CHAIN_DEPTH:
        manager = Person.objects.select_related("manager").get(pk=manager_id)
        chain.append(manager)
        seen.add(manager.pk)
        above = manager.manager
        if above is None or above.pk in seen:
            break
        chain.append(above)
        seen.add(above.pk)
        manager_id = above.manager_id
    return chain


def reporting_chain_ids(manager_of: Mapping[int, int | None], person_id: int) -> list[int]:
    """The ids above ``person_id`` given a person→manager map (no queries; for bulk work)."""
    chain: list[int] = []
    seen = {person_id}
    current = manager_of.get(person_id)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = manager_of.get(current)
    return chain


@dataclass(frozen=True)
class DirectoryFilters:
    """What the people directory is narrowed by; every field optional."""

    query: str = ""
    department_id: int | None = None
    skill: str = ""
    level: int | None = None
    location: str = ""


def _word_matches(word: str) -> Q:
    """People one search word finds: in their name, title, email or employee ID, or in a
    skill, where catalogue synonyms count ("JS" finds JavaScript, "k8s" Kubernetes).

    The skills are a subquery of their own, not a join: joined, every person came once per
    skill and each row was matched again (2.6 s for one word among 50,000 people)."""
    skills = Q(slug__contains=fold(word))
    canonical = load_catalogue().canonical(word)
    if canonical is not None:
        skills |= Q(slug=canonical.slug)
    with_skill = PersonSkill.objects.filter(skill__in=Skill.objects.filter(skills))
    return (
        Q(first_name__icontains=word)
        | Q(last_name__icontains=word)
        | Q(job_title__icontains=word)
        | Q(user__email__icontains=word)
        | Q(employee_id__iexact=word)
        | Q(pk__in=with_skill.values("person_id"))
    )


def _text_search(query: str) -> Q:
    """The directory's search box: every word must match (see :func:`_word_matches`); a
    query that is itself a catalogue skill or synonym of several words ("node js", "machine
    learning") also finds the people with that skill. Each word is a subquery, so a person
    is found once however many of their skills match."""
    words = query.split()
    every_word = Q()
    for word in words:
        every_word &= Q(pk__in=Person.objects.filter(_word_matches(word)).values("pk"))
    whole = load_catalogue().canonical(query) if len(words) > 1 else None
    if whole is not None:
        with_skill = PersonSkill.objects.filter(skill__slug=whole.slug).values("person_id")
        return every_word | Q(pk__in=with_skill)
    return every_word


def people_directory(filters: DirectoryFilters) -> QuerySet[Person]:
    """Active people matching the filters, with what a directory card shows prefetched."""
    people = Person.objects.filter(is_active=True)
    words = filters.query.split()
    if words:
        people = people.filter(_text_search(filters.query))
    if filters.department_id:
        people = people.filter(department_id=filters.department_id)
    if filters.skill:
        canonical = load_catalogue().canonical(filters.skill)
        slug = canonical.slug if canonical else fold(filters.skill)
        people = people.filter(skills__slug=slug)
    if filters.level:
        people = people.filter(level=filters.level)
    if filters.location:
        people = people.filter(location__iexact=filters.location)
    if filters.skill:
        people = people.distinct()
    return people.select_related("department", "user").prefetch_related(
        Prefetch(
            "person_skills",
            queryset=PersonSkill.objects.select_related("skill").order_by(
                "-proficiency", "skill__name"
            ),
        )
    )


def directory_facets() -> dict[str, list[object]]:
    """The choices the directory's filters offer."""
    return {
        "departments": list(Department.objects.order_by("name")),
        "locations": list(
            Person.objects.filter(is_active=True)
            .exclude(location="")
            .order_by("location")
            .values_list("location", flat=True)
            .distinct()
        ),
        "levels": list(
            Person.objects.filter(is_active=True)
            .order_by("level")
            .values_list("level", flat=True)
            .distinct()
        ),
    }


def person_profile(employee_id: str) -> Person:
    """One person with their department, manager, skills and direct reports loaded."""
    return (
        Person.objects.select_related("department", "user", "manager")
        .prefetch_related(
            Prefetch(
                "person_skills",
                queryset=PersonSkill.objects.select_related("skill"),
            ),
            Prefetch("reports", queryset=Person.objects.filter(is_active=True)),
        )
        .get(employee_id=employee_id)
    )


def skill_suggestions(text: str, limit: int = 10) -> list[str]:
    """Skill names for autocomplete: curated catalogue matches (synonyms included) first, then
    skills people have added themselves."""
    text = text.strip()
    if not text:
        return []
    names = [skill.name for skill in load_catalogue().search(text, limit=limit)]
    if len(names) < limit:
        known = {fold(name) for name in names}
        extra = (
            Skill.objects.filter(slug__contains=fold(text))
            .exclude(slug__in=known)
            .order_by("name")
            .values_list("name", flat=True)[: limit - len(names)]
        )
        names.extend(extra)
    return names
