"""Reads for the round preview page: the pairs a program admin filters and pages through,
the options of the pin picker, and the previews one can compare a round with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from mentorbridge.matching.models import MatchingRound, Proposal, RoundStatus
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Role

SORTS = {
    "mentee": ("mentee__last_name", "mentee__first_name", "focus_area_id"),
    "score": ("score", "mentee__last_name", "focus_area_id"),
    "mentor": ("mentor__last_name", "mentor__first_name", "mentee__last_name"),
}
PAIR_SEARCH_FIELDS = [
    "mentee__first_name", "mentee__last_name", "mentor__first_name", "mentor__last_name",
    "mentor__job_title", "focus_area__title",
]  # fmt: skip
SORT_LABELS = {"mentee": "Mentee", "score": "Weakest fit first", "mentor": "Mentor"}
SHOW_LABELS = {"": "All pairs", "conflicts": "Crossing an open request", "pinned": "Pinned"}
PICK_FOCUS_AREA = "Pick the mentee's focus area from the list (nothing matches “{text}”)."
PICK_MENTOR = "Pick a mentor of this program from the list (nothing matches “{text}”)."
COMPARABLE = (RoundStatus.READY, RoundStatus.PUBLISHED, RoundStatus.SUPERSEDED)
FEW_IDS = 500  # focus areas looked up by id up to this many; beyond, the program's are read
_TAIL = re.compile(r"\[#?([^\[\]]+)\]\s*$")


@dataclass(frozen=True)
class PairFilters:
    """What the admin typed and chose above the list of pairs."""

    query: str = ""
    show: str = ""
    sort: str = "mentee"

    @classmethod
    def from_get(cls, get: Any) -> PairFilters:
        show = get.get("show", "")
        sort = get.get("sort", "mentee")
        return cls(
            query=" ".join(get.get("q", "").split())[:100],
            show=show if show in SHOW_LABELS else "",
            sort=sort if sort in SORTS else "mentee",
        )


def _words_match(words: list[str], fields: list[str]) -> Q:
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def round_pairs(
    matching_round: MatchingRound, filters: PairFilters, conflict_areas: set[int]
) -> QuerySet[Proposal]:
    """The round's proposals matching the filters, in the chosen order. Every word typed must
    match the mentee's or mentor's name, the mentor's title or the focus area's title."""
    pairs = matching_round.proposals.select_related(
        "mentee__department", "mentor__department", "focus_area"
    )
    if filters.query:
        pairs = pairs.filter(_words_match(filters.query.split(), PAIR_SEARCH_FIELDS))
    if filters.show == "conflicts":
        pairs = pairs.filter(focus_area_id__in=conflict_areas)
    elif filters.show == "pinned":
        pairs = pairs.filter(pinned=True)
    return pairs.order_by(*SORTS[filters.sort])


def _area_names(matching_round: MatchingRound, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Focus area id → (its mentee's name, its title). A few ids are looked up; many (a big
    cohort) are read with the program's focus areas, cheaper than a long list of ids."""
    areas = FocusArea.all_objects.all()
    if len(ids) <= FEW_IDS:
        areas = areas.filter(pk__in=ids)
    else:
        areas = areas.filter(enrollment__program=matching_round.program)
    return {
        pk: (f"{first} {last}", title)
        for pk, title, first, last in areas.order_by().values_list(
            "pk", "title", "enrollment__person__first_name", "enrollment__person__last_name"
        )
        if pk in ids
    }


def unmatched_rows(
    matching_round: MatchingRound, query: str, limit: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The round's unmatched focus areas with their mentee, filtered by the same words: the
    first ``limit`` of them (all for None) and how many there are."""
    words = query.casefold().split()
    unmatched = matching_round.unmatched
    wanted = unmatched if words or limit is None else unmatched[:limit]
    names = _area_names(matching_round, {int(u["focus_area"]) for u in wanted})
    rows = []
    for u in wanted:
        found = names.get(int(u["focus_area"]))
        name, title = found if found else (u["mentee"], "")
        if all(w in f"{name} {title}".casefold() for w in words):
            rows.append({**u, "area": {"title": title} if found else None, "name": name})
    total = len(rows) if words else len(unmatched)
    return (rows if limit is None else rows[:limit]), total


def focus_area_label(name: str, title: str, pk: int) -> str:
    """How the picker shows a focus area; the trailing ``[#pk]`` is what the server reads."""
    return f"{name}: {title} [#{pk}]"


def mentor_label(name: str, job_title: str, employee_id: str) -> str:
    """How the picker shows a mentor; the trailing ``[employee ID]`` is what the server reads."""
    return f"{name}, {job_title} [{employee_id}]" if job_title else f"{name} [{employee_id}]"


def _mentor_enrollments(matching_round: MatchingRound) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(
        program=matching_round.program, status=EnrollmentStatus.ACTIVE,
        role__in=[Role.MENTOR, Role.BOTH], person__is_active=True,
    )  # fmt: skip


def picker_options(matching_round: MatchingRound) -> dict[str, list[str]]:
    """Type-ahead options: every focus area of the round (proposed, unmatched or left out) and
    every active mentor of the program, read with three queries whatever the cohort's size."""
    ids = set(matching_round.proposals.values_list("focus_area_id", flat=True))
    ids |= {int(u["focus_area"]) for u in matching_round.unmatched}
    ids |= {int(a) for a in matching_round.left_out}
    rows = FocusArea.all_objects.filter(enrollment__program=matching_round.program).values_list(
        "pk", "title", "enrollment__person__first_name", "enrollment__person__last_name"
    )  # the program's areas, kept in Python: a long list of ids costs more to send than rows
    areas = [
        focus_area_label(f"{first} {last}", title, pk)
        for pk, title, first, last in sorted(
            (row for row in rows.order_by() if row[0] in ids), key=lambda r: (r[3], r[2], r[0])
        )
    ]
    mentors = [
        mentor_label(f"{first} {last}", title, eid)
        for first, last, title, eid in _mentor_enrollments(matching_round)
        .order_by("person__last_name", "person__first_name")
        .values_list(
            "person__first_name", "person__last_name", "person__job_title", "person__employee_id"
        )
    ]
    return {"areas": areas, "mentors": mentors}


def picked_focus_area(matching_round: MatchingRound, text: str) -> FocusArea:
    """The focus area a picker value names: a bare id (hidden field) or a label ending in
    ``[#id]``; it must belong to the round's program."""
    text = text.strip()
    match = _TAIL.search(text)
    raw = text if text.isdigit() else (match.group(1) if match else "")
    area = (
        FocusArea.objects.select_related("enrollment__person")
        .filter(pk=int(raw), enrollment__program=matching_round.program)
        .first()
        if raw.isdigit()
        else None
    )
    if area is None:
        raise ValidationError(PICK_FOCUS_AREA.format(text=text[:80]))
    return area


def picked_mentor(matching_round: MatchingRound, text: str) -> Person:
    """The mentor a picker value names: a label ending in ``[employee ID]``, an employee ID,
    or a name that exactly one of the program's mentors has."""
    text = text.strip()
    match = _TAIL.search(text)
    mentors = Person.objects.filter(pk__in=_mentor_enrollments(matching_round).values("person_id"))
    key = match.group(1).strip() if match else text
    found = mentors.filter(employee_id=key).first() if key else None
    if found is None and text and not match:
        named = [p for p in mentors.filter(_words_match(text.split(), ["first_name", "last_name"]))
                 if p.full_name.casefold() == text.casefold()]  # fmt: skip
        found = named[0] if len(named) == 1 else None
    if found is None:
        raise ValidationError(PICK_MENTOR.format(text=text[:80]))
    return found


def comparable_rounds(matching_round: MatchingRound) -> list[MatchingRound]:
    """The program's other previews worth comparing with (newest first)."""
    return list(
        MatchingRound.objects.filter(program=matching_round.program, status__in=COMPARABLE)
        .exclude(pk=matching_round.pk)
        .order_by("-created_at")[:50]
    )
