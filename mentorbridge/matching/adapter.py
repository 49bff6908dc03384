"""The one place where ORM rows and matching-engine types meet.

``program_instance`` turns a program's enrollments into the engine's
``mentorbridge-instance/1`` dictionary; engine ids are employee IDs for people and focus-area
primary keys (as strings) for focus areas. Everything is read with a handful of ``values()``
queries, never per person, so the cost stays flat in queries as the organisation grows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from mentorbridge.matching.models import MentorRequest, PairExclusion, Proposal, ProposalStatus
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.models import Person, PersonSkill
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Program, Role

REFERENCE_DATE = "2025-01-15"  # fixed, so scores do not drift with daylight-saving dates


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
        program=program, status=EnrollmentStatus.ACTIVE, role__in=[Role.MENTEE, Role.BOTH]
    )
    live = Mentorship.objects.filter(program=program, status__in=HOLDS_CAPACITY)
    pending = Proposal.objects.filter(round__program=program, status=ProposalStatus.SENT)
    return (
        FocusArea.objects.filter(enrollment__in=active)
        .exclude(pk__in=live.values("focus_area_id"))
        .exclude(pk__in=pending.values("focus_area_id"))
    )


def program_instance(program: Program, scope: InstanceScope | None = None) -> dict[str, Any]:
    """The program's open demand (focus areas without a mentor) and supply (mentor places
    left) as an engine instance, with the conflict-of-interest rules as hard rules."""
    scope = scope or InstanceScope()
    active = Enrollment.objects.filter(program=program, status=EnrollmentStatus.ACTIVE)
    live = Mentorship.objects.filter(program=program, status__in=HOLDS_CAPACITY)
    pending = Proposal.objects.filter(round__program=program, status=ProposalStatus.SENT)

    # Supply: mentors with places left (live mentorships and pending proposals hold places).
    taken: dict[int, int] = defaultdict(int)
    for row in live.values("mentor_id").annotate(n=Count("pk")):
        taken[row["mentor_id"]] += row["n"]
    for row in pending.values("mentor_id").annotate(n=Count("pk")):
        taken[row["mentor_id"]] += row["n"]
    mentors = []
    for person_id, capacity, accepting in active.filter(
        role__in=[Role.MENTOR, Role.BOTH]
    ).values_list("person_id", "mentor_capacity", "accepting_requests"):
        left = capacity - taken[person_id]
        if left > 0 or scope.include_full_mentors:
            mentors.append((person_id, max(left, 0), not accepting))

    # Demand: focus areas with no live mentorship and no pending proposal.
    areas = open_focus_areas(program)
    if scope.focus_area_ids is not None:
        areas = areas.filter(pk__in=scope.focus_area_ids)
    area_rows = list(
        areas.values(
            "pk", "title", "description", "enrollment__person_id",
            "enrollment__department_preference", "enrollment__meeting_preference",
        )
    )  # fmt: skip
    area_skills: dict[int, list[str]] = defaultdict(list)
    for area_id, slug in FocusArea.skills.through.objects.filter(
        focusarea_id__in=[a["pk"] for a in area_rows]
    ).values_list("focusarea_id", "skill__slug"):
        area_skills[area_id].append(slug)

    mentee_pks = {a["enrollment__person_id"] for a in area_rows}
    mentor_pks = {pk for pk, _, _ in mentors}
    manager_of: dict[int, int | None] = dict(Person.objects.values_list("pk", "manager_id"))
    people_pks = _chains(manager_of, mentee_pks | mentor_pks)
    participants = mentee_pks | mentor_pks

    person_rows = {
        row["pk"]: row
        for row in Person.objects.filter(pk__in=people_pks).values(
            "pk", "employee_id", "level", "department__name", "location", "timezone",
            "languages", "manager_id", "bio", "expertise", "career_goals", "job_title",
            "mentoring_hours_per_month",
        )
    }  # fmt: skip
    eid = {pk: row["employee_id"] for pk, row in person_rows.items()}
    skills: dict[int, dict[str, int]] = defaultdict(dict)
    for person_id, slug, proficiency in PersonSkill.objects.filter(
        person_id__in=participants
    ).values_list("person_id", "skill__slug", "proficiency"):
        skills[person_id][slug] = proficiency

    people = []
    for pk, person in person_rows.items():
        record: dict[str, Any] = {"id": person["employee_id"], "level": person["level"]}
        record["manager"] = eid.get(person["manager_id"]) if person["manager_id"] else None
        if pk in participants:
            record.update(
                department=person["department__name"] or "",
                location=person["location"],
                timezone=person["timezone"],
                languages=person["languages"],
                skills=skills.get(pk, {}),
                text=_text(person["job_title"], "; ".join(person["expertise"]), person["bio"]),
                hours_per_month=person["mentoring_hours_per_month"],
            )
        people.append(record)

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
                "skills": sorted(area_skills.get(area["pk"], [])),
                "text": _text(area["title"], area["description"]),
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
        "options": {"shortlist_k": scope.shortlist_k, "reference_date": REFERENCE_DATE},
    }


def _rules(
    program: Program,
    mentee_pks: set[int],
    mentor_pks: set[int],
    eid: dict[int, str],
    scope: InstanceScope,
) -> dict[str, list[dict[str, str]]]:
    """Admin exclusions, pairs that ended early, mentors a mentee already has (never the same
    mentor twice) and pairs a mentor already declined, plus the round's pins and forbids."""
    pair = Q(mentee_id__in=mentee_pks, mentor_id__in=mentor_pks)
    forbidden = {
        (a, b)
        for a, b in PairExclusion.objects.filter(pair, program=program).values_list(
            "mentee_id", "mentor_id"
        )
    }
    forbidden |= set(
        Mentorship.objects.filter(pair, program=program, status__in=HOLDS_CAPACITY).values_list(
            "mentee_id", "mentor_id"
        )
    )
    forbidden |= set(
        MentorRequest.objects.filter(pair, program=program, status="declined").values_list(
            "mentee_id", "mentor_id"
        )
    )
    ended = set(
        Mentorship.objects.filter(pair, ended_early=True).values_list("mentee_id", "mentor_id")
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
