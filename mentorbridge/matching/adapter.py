"""The one place where ORM rows and matching-engine types meet.

``program_instance`` turns a program's enrollments into the engine's
``mentorbridge-instance/1`` dictionary; engine ids are employee IDs for people and focus-area
primary keys (as strings) for focus areas. Everything is read with a handful of ``values()``
queries, never per person, so the cost stays flat in queries as the organisation grows.

People data (profile columns, skills, the reporting tree) is the bulk of every instance and
changes rarely, so each process keeps it in ``_people_cache``, checked on every call against a
cheap stamp of the people tables (see ``_people_stamp``): any profile edit, import, new person,
manager link or skill change makes the next call read it again. Enrollments, places taken,
focus areas and rules are read fresh every time.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat

from mentorbridge.matching.models import (
    PUBLISHED_STATUSES,
    MentorRequest,
    PairExclusion,
    Proposal,
    ProposalStatus,
)
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship, MentorshipMember
from mentorbridge.mentorships.services import places_used
from mentorbridge.people.catalogue import load_catalogue
from mentorbridge.people.models import Department, Person, PersonSkill, Skill
from mentorbridge.people.skill_reading import matching_skills, used_read_skills
from mentorbridge.programs.models import (
    Enrollment,
    EnrollmentStatus,
    FocusArea,
    Program,
    ProgramChange,
    Role,
)

REFERENCE_DATE = "2025-01-15"  # fixed, so scores do not drift with daylight-saving dates
SMALL_SET = 500  # filter rule rows by these mentees in SQL up to this many; beyond, in Python
LOAD_CHUNK = 2000  # primary keys per query when loading people into the cache
PERSON_COLUMNS = (
    "pk", "employee_id", "first_name", "last_name", "level", "department_id", "location",
    "timezone", "manager_id", "bio", "job_title", "mentoring_hours_per_month",
)  # fmt: skip
JSON_COLUMNS = ("languages", "expertise", "read_skills", "removed_read_skills")


@dataclass
class InstanceScope:
    """What to put into an instance beyond the program's defaults."""

    objective: str = "total"
    weights: dict[str, float] = field(default_factory=dict)
    pins: list[dict[str, str]] = field(default_factory=list)
    forbids: list[dict[str, str]] = field(default_factory=list)
    focus_area_ids: list[int] | None = None  # only these focus areas (suggestions)
    include_full_mentors: bool = False
    shortlist_k: int = 40


def group_label(title: str, skill_slugs: list[str]) -> str:
    """What a group shares in a group program: the focus area's first skill (alphabetically),
    or its title, case- and space-folded, when it names no skill."""
    return sorted(skill_slugs)[0] if skill_slugs else " ".join(title.casefold().split())


def _text(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p)


def semantic_enabled(program: Program) -> bool:
    """Whether the program matches by meaning as well as words: its own setting, else the
    site's ``SEMANTIC_MATCHING`` (the vectors themselves: ``matching.vectors``)."""
    if program.semantic_matching:
        return program.semantic_matching == "on"
    return bool(settings.SEMANTIC_MATCHING)


def person_text(job_title: str, expertise: list[str], bio: str) -> str:
    """A mentor's profile text as the engine reads it (words and sentence vectors)."""
    return _text(job_title, "; ".join(expertise), bio)


def goal_text(title: str, description: str) -> str:
    """A focus area's goal text as the engine reads it (words and sentence vectors)."""
    return _text(title, description)


def _chains(manager_of: dict[int, int | None], start: Iterable[int]) -> set[int]:
    """Everyone in the given people's reporting chains, them included."""
    seen: set[int] = set()
    for pk in start:
        current: int | None = pk
        while current is not None and current not in seen:
            seen.add(current)
            current = manager_of.get(current)
    return seen


def open_focus_areas(program: Program) -> QuerySet[FocusArea]:
    """Focus areas of active mentees with no live mentorship and no pending proposal."""
    active = Enrollment.objects.filter(
        program=program,
        status=EnrollmentStatus.ACTIVE,
        role__in=[Role.MENTEE, Role.BOTH],
        person__is_active=True,
    )
    live = Mentorship.objects.filter(program=program, status__in=HOLDS_CAPACITY)
    pending = Proposal.objects.filter(round__program=program, status=ProposalStatus.SENT)
    return (
        FocusArea.objects.filter(enrollment__in=active)
        .exclude(pk__in=live.values("focus_area_id"))
        .exclude(pk__in=pending.values("focus_area_id"))
    )


@dataclass
class _People:
    """People data for instances, valid while the people tables match ``stamp``."""

    stamp: tuple[object, ...]
    manager_of: dict[int, int | None]
    slugs: dict[int, str]  # skill id → slug
    departments: dict[int, str]  # department id → name
    records: dict[int, dict[str, Any]] = field(default_factory=dict)
    sort_keys: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    participant_records: dict[int, dict[str, Any]] = field(default_factory=dict)
    chain_records: dict[int, dict[str, Any]] = field(default_factory=dict)


_people_cache: _People | None = None
_people_lock = threading.Lock()


def _people_stamp() -> tuple[object, ...]:
    """Changes whenever anything an instance reads about people changes.

    Every write to a person's data moves ``Person.updated_at`` (indexed): profile and manager
    edits, the HRIS import (fields, manager links and skills), and skill changes through
    ``person_set_skills``; removed people move the count; renamed skills and departments are
    caught by reading those small tables whole (the last two items).
    """
    # Two queries on purpose: a bare count is an index-only scan, the maximum an index lookup;
    # together in one aggregate PostgreSQL scans the table (20 ms at 50,000 people, not 6).
    last = Person.objects.aggregate(last=Max("updated_at"))["last"]
    return (
        Person.objects.count(), last,
        tuple(Skill.objects.order_by("pk").values_list("pk", "slug")),
        tuple(Department.objects.order_by("pk").values_list("pk", "name")),
    )  # fmt: skip


def _people() -> _People:
    """The process's people cache, read again if the people tables changed since."""
    global _people_cache
    stamp = _people_stamp()
    with _people_lock:
        cache = _people_cache
        if cache is None or cache.stamp != stamp:
            skills, departments = stamp[-2:]
            cache = _People(
                stamp=stamp,
                # no ORDER BY: Person sorts by name by default, and a dict needs no order
                manager_of=dict(Person.objects.order_by().values_list("pk", "manager_id")),
                slugs=dict(skills),  # type: ignore[call-overload]
                departments=dict(departments),  # type: ignore[call-overload]
            )
            _people_cache = cache
        return cache


def stamp_count(when: Q | None = None) -> Func:
    """``COUNT`` of the rows (those matching ``when``, if given), for :func:`stamp_part`."""
    counted: Any = F("pk") if when is None else Case(When(when, then=F("pk")))
    return Func(counted, function="COUNT", output_field=IntegerField())


def stamp_max(column: str) -> Func:
    """``MAX(column)`` of the rows, for :func:`stamp_part`."""
    return Func(F(column), function="MAX", output_field=TextField())


def stamp_part(queryset: QuerySet[Any], *values: Func) -> Subquery:
    """``values`` (:func:`stamp_count`, :func:`stamp_max`) over the rows of ``queryset`` as
    one scalar subquery (their texts joined by ``/``: one pass over the rows for all of them),
    for :func:`stamp_row`."""
    texts: list[Any] = []
    for value in values:
        text = Coalesce(Cast(value, TextField()), Value("-"), output_field=TextField())
        texts += [Value("/"), text]
    joined = texts[1] if len(texts) == 2 else Concat(*texts[1:], output_field=TextField())
    # Plain functions, not aggregates: Django adds no GROUP BY, so the subquery is the one row
    # of ``SELECT COUNT(..) .. FROM .. WHERE ..`` with the queryset's own joins and filters.
    return Subquery(queryset.order_by().annotate(_stamp=joined).values("_stamp"))


# The SQL of each shape of stamp, compiled once per process (compiling the ORM expressions of
# twenty subqueries took about as much CPU as PostgreSQL takes to answer them).
_stamp_sql: dict[tuple[object, ...], tuple[str, tuple[Any, ...]]] = {}


def stamp_row(
    program: Program, shape: tuple[object, ...], parts: Callable[[], dict[str, Subquery]]
) -> tuple[object, ...]:
    """The values of ``parts()`` (see :func:`stamp_part`) read in one query: each is planned on
    its own (a bare count stays an index-only scan, a maximum an index lookup), and the page
    pays one round trip for them instead of one each. ``shape`` names what ``parts`` builds
    for this program (its SQL is kept under that name)."""
    key = (connection.vendor, program.pk, *shape)
    compiled = _stamp_sql.get(key)
    if compiled is None:
        built = parts()
        if not built:
            return ()
        named = {f"stamp_{name}": part for name, part in built.items()}  # never a field's name
        query = Program.objects.filter(pk=program.pk).annotate(**named).values_list(*named)
        sql, params = query.query.sql_with_params()
        compiled = _stamp_sql[key] = (sql, tuple(params))
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        row = cursor.fetchone()
    return tuple(row) if row is not None else ()


def program_stamp(
    program: Program, *, proposals: bool = True, exclusions: bool = True
) -> tuple[object, ...]:
    """Changes whenever anything :func:`program_instance` reads for this program changes:
    the people tables (see ``_people_stamp``), enrollments (joins, decisions, capacity, pauses),
    focus areas and their skills (the program's change log, ``ProgramChange``, which database
    triggers write), mentorships, pending proposals, declined requests and exclusions.
    ``proposals=False`` and ``exclusions=False`` leave those two out (the caller stamps them
    its own way, see ``matching.sessions``).

    Read on every suggestions page, so it is two queries: every count and maximum below in
    one (:func:`stamp_row`), the skill and department names in the other."""
    semantic = semantic_enabled(program)
    shape = ("program", proposals, exclusions, semantic)
    row = stamp_row(
        program, shape, lambda: _program_stamp_parts(program, proposals, exclusions, semantic)
    )
    return (*row, _names_stamp(), program.kind)


def _program_stamp_parts(
    program: Program, proposals: bool, exclusions: bool, semantic: bool
) -> dict[str, Subquery]:
    from mentorbridge.matching.vectors import vectors_stamp_parts

    # Enrollments, focus areas and their skills: the program's change log, written by the
    # database's triggers on every write to those tables (``ProgramChange``). Its count and
    # highest id are one index-only scan of this program's rows; counting the rows themselves
    # joined 13,000 enrollments, 4,000 focus areas and 12,000 skill rows on every page (hash
    # joins over every program's focus areas: 60-90 ms of PostgreSQL at 50,000 people).
    changes = ProgramChange.objects.filter(program_id=program.pk)
    early = Mentorship.objects.filter(ended_early=True)  # pairs that ended early count anywhere
    mentorships = Mentorship.objects.filter(program=program)
    # Group members take places too: one joining or leaving changes a mentor's supply.
    members = MentorshipMember.objects.filter(mentorship__program=program)
    parts: dict[str, Subquery] = {
        # Apart on purpose: a bare count is an index-only scan, the maximum an index lookup;
        # in one aggregate PostgreSQL scans the table (20 ms at 50,000 people, not 6).
        "people": stamp_part(Person.objects.all(), stamp_count()),
        "people_last": stamp_part(Person.objects.all(), stamp_max("updated_at")),
        "changes": stamp_part(changes, stamp_count(), stamp_max("pk")),
        "early": stamp_part(early, stamp_count(), stamp_max("ended_at")),
        "mentorships": stamp_part(
            mentorships,
            stamp_count(),
            stamp_max("started_at"),
            stamp_max("ended_at"),
            stamp_count(Q(status__in=HOLDS_CAPACITY)),
            stamp_count(Q(ended_early=True)),
        ),
        "members": stamp_part(members, stamp_count(), stamp_max("pk")),
        "declined": stamp_part(
            MentorRequest.objects.filter(program=program, status="declined"), stamp_count()
        ),
    }
    if proposals:
        # Only published proposals count (a pending one holds its focus area): a round's
        # preview rows are never read here, however many rounds, pins and forbids wrote them.
        # Publishing one adds to the count; answering one moves the sent count and the
        # latest answer.
        parts["proposals"] = stamp_part(
            Proposal.objects.filter(round__program=program, status__in=PUBLISHED_STATUSES),
            stamp_count(),
            stamp_max("pk"),
            stamp_count(Q(status=ProposalStatus.SENT)),
            stamp_max("answered_at"),
        )
    if exclusions:
        parts["excluded"] = stamp_part(
            PairExclusion.objects.filter(program=program), stamp_count(), stamp_max("pk")
        )
    if semantic:
        parts.update(vectors_stamp_parts(program))
    return parts


def _names_stamp() -> tuple[tuple[object, ...], ...]:
    """Skill slugs and department names by primary key (small tables, read whole: a rename
    moves no count), in one query."""
    skills = Skill.objects.annotate(table=Value("skill")).values_list("table", "pk", "slug")
    departments = Department.objects.annotate(table=Value("department")).values_list(
        "table", "pk", "name"
    )
    return tuple(sorted(skills.order_by().union(departments.order_by(), all=True)))


def clear_people_cache() -> None:
    """Forget the cached people data (the stamp keeps it correct; this frees the memory)."""
    global _people_cache
    with _people_lock:
        _people_cache = None


def _by_keys(queryset: QuerySet[Any], column: str, keys: list[int]) -> Iterable[QuerySet[Any]]:
    """``queryset`` narrowed to rows whose ``column`` is one of ``keys``: one query with the
    keys as a single array parameter on PostgreSQL (an ``IN`` list of thousands of
    placeholders costs more to build, split and send than the rows it selects), ``IN`` lists
    of ``LOAD_CHUNK`` keys elsewhere."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        where = f"{table}.{connection.ops.quote_name(column)} = ANY(%s::bigint[])"
        # as one array literal: Django's psycopg cursors bind on the client, and psycopg's
        # list dumper quoted 13,000 keys one by one (0.1-0.2 s of a cold suggester build)
        yield queryset.extra(where=[where], params=["{" + ",".join(map(str, keys)) + "}"])
        return
    for start in range(0, len(keys), LOAD_CHUNK):
        yield queryset.filter(**{f"{column}__in": keys[start : start + LOAD_CHUNK]})


def _json_list(raw: str | None) -> list[str]:
    """A JSON list column read as text (``[]`` is by far the most common value)."""
    return [] if raw is None or raw == "[]" else orjson.loads(raw)


def _load_records(cache: _People, pks: set[int]) -> None:
    """Put the people not yet in the cache into it, with their skills: one query per table
    (JSON columns read as text and decoded here, without a converter per row)."""
    missing = sorted(pks - cache.records.keys())
    if not missing:
        return
    skills: dict[int, dict[str, int]] = defaultdict(dict)
    for rows in _by_keys(PersonSkill.objects.all(), "person_id", missing):
        for person_id, skill_id, proficiency in rows.values_list(
            "person_id", "skill_id", "proficiency"
        ):
            skills[person_id][cache.slugs[skill_id]] = proficiency
    as_text = {f"{name}_text": Cast(name, TextField()) for name in JSON_COLUMNS}
    no_skills: dict[str, int] = {}
    # records are looked up by key: no ORDER BY (Person sorts by name by default)
    for rows in _by_keys(Person.objects.order_by(), "id", missing):
        for (
            pk, employee_id, first_name, last_name, level, department_id, location, timezone,
            manager_id, bio, job_title, hours, languages, expertise, read, removed,
        ) in rows.annotate(**as_text).values_list(*PERSON_COLUMNS, *as_text):  # fmt: skip
            # Skills read from the profile count at READ_LEVEL; picked ones keep their level.
            person_skills = skills.get(pk, no_skills)
            if read != "[]":
                person_skills = matching_skills(
                    person_skills, _json_list(read), _json_list(removed)
                )
            cache.sort_keys[pk] = (last_name, first_name, pk)
            cache.records[pk] = {
                "id": employee_id,
                "level": level,
                "manager_id": manager_id,
                "department": cache.departments.get(department_id, ""),
                "location": location,
                "timezone": timezone,
                "languages": _json_list(languages),
                "skills": dict(person_skills),
                "text": person_text(job_title, _json_list(expertise), bio),
                "hours_per_month": hours,
            }


def _engine_record(cache: _People, pk: int, participant: bool) -> dict[str, Any]:
    """The instance's record of a cached person: everything for a participant, the id, level
    and manager for someone who is only in a reporting chain (made once, then kept)."""
    kept = cache.participant_records if participant else cache.chain_records
    record = kept.get(pk)
    if record is None:
        person = cache.records[pk]
        manager = cache.records.get(person["manager_id"]) if person["manager_id"] else None
        record = {"id": person["id"], "level": person["level"]}
        record["manager"] = manager["id"] if manager is not None else None
        if participant:
            record.update(
                department=person["department"],
                location=person["location"],
                timezone=person["timezone"],
                languages=person["languages"],
                skills=person["skills"],
                text=person["text"],
                hours_per_month=person["hours_per_month"],
            )
        kept[pk] = record
    return record


def program_instance(program: Program, scope: InstanceScope | None = None) -> dict[str, Any]:
    """The program's open demand (focus areas without a mentor) and supply (mentor places
    left) as an engine instance, with the conflict-of-interest rules as hard rules."""
    scope = scope or InstanceScope()
    active = Enrollment.objects.filter(program=program, status=EnrollmentStatus.ACTIVE)
    pending = Proposal.objects.filter(round__program=program, status=ProposalStatus.SENT)

    # Supply: mentors with places left (live mentorships, their group members and pending
    # proposals hold places).
    taken: dict[int, int] = defaultdict(int, places_used(program.pk))
    for row in pending.values("mentor_id").annotate(n=Count("pk")):
        taken[row["mentor_id"]] += row["n"]
    mentors = []
    for person_id, capacity, accepting in active.filter(
        role__in=[Role.MENTOR, Role.BOTH], person__is_active=True
    ).values_list("person_id", "mentor_capacity", "accepting_requests"):
        left = capacity - taken[person_id]
        if left > 0 or scope.include_full_mentors:
            mentors.append((person_id, max(left, 0), not accepting))

    # Demand: focus areas with no live mentorship and no pending proposal.
    areas = open_focus_areas(program)
    if scope.focus_area_ids is not None:
        areas = areas.filter(pk__in=scope.focus_area_ids)
    area_rows = list(
        areas.order_by()
        .annotate(
            read_text=Cast("read_skills", TextField()),
            removed_text=Cast("removed_read_skills", TextField()),
        )
        .values(
            "pk", "title", "description", "enrollment__person_id",
            "enrollment__department_preference", "enrollment__meeting_preference",
            "read_text", "removed_text",
        )
    )  # fmt: skip
    # The areas' skills by the same query as a subquery: a round's 20,000 ids as an IN list
    # cost more to send and plan than the rows themselves.
    area_skills: dict[int, list[str]] = defaultdict(list)
    for area_id, slug in FocusArea.skills.through.objects.filter(
        focusarea_id__in=areas.order_by().values("pk")
    ).values_list("focusarea_id", "skill__slug"):
        area_skills[area_id].append(slug)
    # The goal's wanted skills: picked ones plus those read from its words (not removed).
    wanted = {
        a["pk"]: sorted(
            set(area_skills.get(a["pk"], []))
            | set(used_read_skills(_json_list(a["read_text"]), _json_list(a["removed_text"])))
        )
        for a in area_rows
    }

    mentee_pks = {a["enrollment__person_id"] for a in area_rows}
    mentor_pks = {pk for pk, _, _ in mentors}
    cache = _people()
    people_pks = _chains(cache.manager_of, mentee_pks | mentor_pks)
    participants = mentee_pks | mentor_pks
    _load_records(cache, people_pks)
    records = cache.records
    eid = {pk: records[pk]["id"] for pk in people_pks}

    # Each person's record is made once per people cache; callers get their own copy.
    people = [
        dict(_engine_record(cache, pk, pk in participants))
        for pk in sorted(people_pks, key=cache.sort_keys.__getitem__)
    ]

    mentees: dict[int, dict[str, Any]] = {}
    for area in sorted(area_rows, key=lambda a: a["pk"]):
        person_id = area["enrollment__person_id"]
        mentee = mentees.setdefault(
            person_id,
            {
                "id": eid[person_id],
                "focus_areas": [],
                "department_preference": area["enrollment__department_preference"],
                "meeting": area["enrollment__meeting_preference"],
            },
        )
        mentee["focus_areas"].append(
            {
                "id": str(area["pk"]),
                "skills": wanted[area["pk"]],
                "text": goal_text(area["title"], area["description"]),
                "group": group_label(area["title"], area_skills.get(area["pk"], []))
                if program.kind == "group"
                else "",
            }
        )

    return {
        "format": "mentorbridge-instance/1",
        "program_kind": program.kind,
        "objective": scope.objective,
        **({"weights": scope.weights} if scope.weights else {}),
        "people": people,
        "mentees": list(mentees.values()),
        "mentors": [
            {"id": eid[pk], "capacity": left, "opt_out": paused}
            for pk, left, paused in sorted(mentors, key=lambda m: eid[m[0]])
        ],
        "rules": _rules(program, mentee_pks, mentor_pks, eid, scope),
        "options": {
            "shortlist_k": scope.shortlist_k,
            "reference_date": REFERENCE_DATE,
            # Meaning is asked for; the caller passes the stored vectors (matching.vectors).
            "text_embeddings": semantic_enabled(program),
        },
        "synonyms": catalogue_synonyms(),
    }


@cache
def catalogue_synonyms() -> dict[str, list[str]]:
    """The skill catalogue's synonyms by skill name, for the engine's text factor ("k8s" is
    Kubernetes)."""
    return {s.name: list(s.synonyms) for s in load_catalogue() if s.synonyms}


def _rules(
    program: Program,
    mentee_pks: set[int],
    mentor_pks: set[int],
    eid: dict[int, str],
    scope: InstanceScope,
) -> dict[str, list[dict[str, str]]]:
    """Admin exclusions, pairs that ended early, mentors a mentee already has (never the same
    mentor twice) and pairs a mentor already declined, plus the round's pins and forbids."""
    # Rows are narrowed by mentee in SQL only for a few mentees (suggestions): long IN lists
    # cost more to send than the rows they save. Pairs are then kept in Python.
    few = Q(mentee_id__in=mentee_pks) if len(mentee_pks) <= SMALL_SET else Q()

    def pairs(rows: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        return {(a, b) for a, b in rows if a in mentee_pks and b in mentor_pks}

    forbidden = pairs(
        PairExclusion.objects.filter(few, program=program).values_list("mentee_id", "mentor_id")
    )
    forbidden |= pairs(
        Mentorship.objects.filter(few, program=program, status__in=HOLDS_CAPACITY).values_list(
            "mentee_id", "mentor_id"
        )
    )
    forbidden |= pairs(
        MentorRequest.objects.filter(few, program=program, status="declined").values_list(
            "mentee_id", "mentor_id"
        )
    )
    ended = pairs(
        Mentorship.objects.filter(few, ended_early=True).values_list("mentee_id", "mentor_id")
    )
    rules = {
        "forbidden": [{"mentee": eid[a], "mentor": eid[b]} for a, b in sorted(forbidden)],
        "ended_early": [{"mentee": eid[a], "mentor": eid[b]} for a, b in sorted(ended)],
        "pinned": [],
    }
    known = set(eid.values())
    rules["forbidden"] += [f for f in scope.forbids if {f["mentee"], f["mentor"]} <= known]
    rules["pinned"] = [p for p in scope.pins if {p["mentee"], p["mentor"]} <= known]
    return rules
