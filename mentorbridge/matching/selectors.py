"""Reads for finding a mentor: suggestions, mentor cards, requests in and out."""

from __future__ import annotations

import logging
import statistics
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from mentorbridge.matching import snapshots, text_analysis
from mentorbridge.matching.adapter import (
    InstanceScope,
    catalogue_synonyms,
    program_instance,
    program_stamp,
    semantic_enabled,
)
from mentorbridge.matching.explanations import Reason, reasons, summary
from mentorbridge.matching.models import (
    OPEN_STATUSES,
    MentorRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
)
from mentorbridge.matching.vectors import model_name, program_vectors
from mentorbridge.matching_engine import Instance
from mentorbridge.matching_engine.heap import collector_paused
from mentorbridge.matching_engine.hybrid import TextVectors
from mentorbridge.matching_engine.instance import InstanceError
from mentorbridge.matching_engine.suggest import Suggester
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship, MentorshipMember
from mentorbridge.mentorships.services import places_used
from mentorbridge.people.catalogue import fold
from mentorbridge.people.models import Person, PersonSkill
from mentorbridge.people.skill_reading import matching_skills
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Program, Role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Responsiveness:
    """How a mentor answers requests: median hours to a first answer, share answered."""

    median_hours: float | None
    answered: int
    expired: int

    @property
    def share_answered(self) -> float | None:
        total = self.answered + self.expired
        return self.answered / total if total else None

    @property
    def text(self) -> str:
        if self.median_hours is None:
            return "No requests yet"
        if self.median_hours < 24:
            when = f"within {max(1, round(self.median_hours))} h"
        else:
            when = f"within {round(self.median_hours / 24)} days"
        share = self.share_answered
        return f"Usually answers {when}" + (f" · answers {share:.0%}" if share is not None else "")


def responsiveness(
    mentor_pks: list[int], asked_for: FocusArea | None = None
) -> tuple[dict[int, Responsiveness], set[int]]:
    """Responsiveness of many mentors (all programs count) and, when ``asked_for`` is given,
    which of them have an open request for that focus area: one query."""
    rows = Q(answered_at__isnull=False) | Q(status=RequestStatus.EXPIRED)
    if asked_for is not None:
        rows |= Q(focus_area=asked_for, status__in=OPEN_STATUSES)
    hours: dict[int, list[float]] = defaultdict(list)
    expired: dict[int, int] = defaultdict(int)
    asked: set[int] = set()
    for mentor_id, created, answered, status, area_id in MentorRequest.objects.filter(
        rows, mentor_id__in=mentor_pks
    ).values_list("mentor_id", "created_at", "answered_at", "status", "focus_area_id"):
        if answered is not None:
            hours[mentor_id].append((answered - created).total_seconds() / 3600)
        if status == RequestStatus.EXPIRED:
            expired[mentor_id] += 1
        if asked_for is not None and area_id == asked_for.pk and status in OPEN_STATUSES:
            asked.add(mentor_id)
    speed = {
        pk: Responsiveness(
            statistics.median(hours[pk]) if hours[pk] else None, len(hours[pk]), expired[pk]
        )
        for pk in mentor_pks
    }
    return speed, asked


@dataclass
class MentorCard:
    """What a mentee needs to choose a mentor well."""

    person: Person
    score: float
    reasons: list[Reason]
    summary: str
    places_left: int
    capacity: int
    responsiveness: Responsiveness
    last_active: datetime | None
    skills: list[CardSkill] = field(default_factory=list)
    requested: bool = False


@dataclass(frozen=True)
class CardSkill:
    """One of a mentor's skills as a card shows it (read as plain rows, not model objects:
    a page of 20 mentors with many skills each made hundreds of objects)."""

    slug: str
    name: str
    proficiency: int


@dataclass(frozen=True)
class SuggestionFilters:
    """Narrowing the suggestions; every field optional."""

    query: str = ""
    skill: str = ""
    department_id: int | None = None
    location: str = ""
    language: str = ""
    meeting: str = ""  # "virtual" keeps everyone; "in_person" keeps the mentee's location

    @property
    def active(self) -> bool:
        return any([self.query, self.skill, self.department_id, self.location, self.language,
                    self.meeting])  # fmt: skip


def _filtered_mentor_ids(
    program: Program, mentee: Person, filters: SuggestionFilters
) -> set[str] | None:
    if not filters.active:
        return None
    people = Person.objects.filter(
        enrollments__program=program,
        enrollments__status=EnrollmentStatus.ACTIVE,
        enrollments__role__in=[Role.MENTOR, Role.BOTH],
    )
    for word in filters.query.split():
        people = people.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
            | Q(job_title__icontains=word)
        )  # fmt: skip
    if filters.skill:
        from mentorbridge.people.catalogue import load_catalogue

        canonical = load_catalogue().canonical(filters.skill)
        people = people.filter(skills__slug=canonical.slug if canonical else fold(filters.skill))
    if filters.department_id:
        people = people.filter(department_id=filters.department_id)
    if filters.location:
        people = people.filter(location__iexact=filters.location)
    if filters.meeting == "in_person":
        people = people.filter(location__iexact=mentee.location)
    ids = set(people.values_list("employee_id", flat=True))
    if filters.language:
        languages = dict(
            Person.objects.filter(employee_id__in=ids).values_list("employee_id", "languages")
        )
        ids = {eid for eid, codes in languages.items() if filters.language in codes}
    return ids


def _ranked(
    focus_area: FocusArea, filters: SuggestionFilters, limit: int | None
) -> list[dict[str, object]]:
    enrollment = focus_area.enrollment
    program, mentee = enrollment.program, enrollment.person
    only = _filtered_mentor_ids(program, mentee, filters)
    if only is not None and not only:
        return []
    suggester = program_suggester(program)
    if suggester is None or not suggester.has(mentee.employee_id, str(focus_area.pk)):
        return []  # the focus area has its mentor (or a pending proposal), or left
    return suggester.rank(mentee.employee_id, str(focus_area.pk), limit=limit, only=only)


def suggestions_for(
    focus_area: FocusArea, filters: SuggestionFilters | None = None, limit: int = 20
) -> list[MentorCard]:
    """Ranked mentors for one of a mentee's focus areas, explained, with their cards.

    Conflicts of interest, full mentors, paused mentors, pairs that ended early or were
    declined, and mentors the mentee already has never appear.
    """
    ranked = _ranked(focus_area, filters or SuggestionFilters(), limit)
    enrollment = focus_area.enrollment
    return mentor_cards(enrollment.program, enrollment.person, focus_area, ranked)


@dataclass(frozen=True)
class SuggestionPage:
    """One page of ranked suggestions."""

    cards: list[MentorCard]
    number: int
    per_page: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first(self) -> int:
        """The rank of the first card on the page (1 for the best fit)."""
        return (self.number - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.cards) - 1


def suggestions_page(
    focus_area: FocusArea, filters: SuggestionFilters, *, page: int, per_page: int
) -> SuggestionPage:
    """Page ``page`` (from 1) of the suggestions, ``per_page`` cards at a time."""
    ranked = _ranked(focus_area, filters, limit=page * per_page + 1)
    window = ranked[(page - 1) * per_page : page * per_page]
    enrollment = focus_area.enrollment
    return SuggestionPage(
        cards=mentor_cards(enrollment.program, enrollment.person, focus_area, window),
        number=page,
        per_page=per_page,
        has_next=len(ranked) > page * per_page,
    )


# One compiled suggester per program per process, valid while the program's stamp holds, with
# the mentors' locations (the find page's location filter) read from the same instance.
_suggesters: dict[int, tuple[tuple[object, ...], Suggester | None, list[str]]] = {}
_suggesters_lock = threading.Lock()


def program_suggester(program: Program) -> Suggester | None:
    """The program's open demand and supply compiled for ranking, rebuilt only when something
    the instance reads has changed (see ``adapter.program_stamp``). ``None`` when nobody in
    the program is waiting for a mentor.

    What a build reads from the database is kept on disk under the stamp
    (``matching.snapshots``): a new process whose stamp is the same reads that file instead."""
    stamp = program_stamp(program)
    with _suggesters_lock:
        cached = _suggesters.get(program.pk)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    key = (
        snapshots.snapshot_key(program.pk, stamp, semantic_enabled(program), model_name())
        if snapshots.enabled()
        else None
    )
    with collector_paused():
        # built in a function of its own: what only the build needs (the instance as
        # dictionaries, the rows) is freed before the collector runs again, not walked by it
        suggester, locations = _built(program, key)
    with _suggesters_lock:
        _suggesters[program.pk] = (stamp, suggester, locations)
    return suggester


def _built(program: Program, key: str | None) -> tuple[Suggester | None, list[str]]:
    """The program's suggester and its mentors' locations, from the snapshot kept under
    ``key`` when there is a readable one, else from the database (then kept under ``key``)."""
    # The profiles' analysis kept by an earlier process (read once per process, a file of
    # megabytes) is read in a thread while this one reads the instance (from the snapshot, or
    # the database); when this build analyses many texts, it is kept for the next process
    # (matching.text_analysis). Reading the instance touches no analyzer.
    analyzer = text_analysis.shared_analyzer(catalogue_synonyms())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="text-analysis") as pool:
        preloading = pool.submit(text_analysis.preload, analyzer)
        kept = snapshots.load(program.pk, key) if key is not None else None
        # A file under this key that could not be read is replaced; a missing one is written
        # unless another process has written it meanwhile (the same key, the same contents).
        damaged = kept is None and key is not None and snapshots.exists(program.pk, key)
        if kept is None:
            data = program_instance(program, InstanceScope())
            vectors = program_vectors(program, data) if data["mentees"] else None
        preloading.result()  # its errors are this build's
    known = analyzer.analysed_count
    fresh = kept is None  # read from the database: keep it
    if kept is not None:
        try:
            suggester, locations = _compiled(kept.data, kept.vectors), kept.locations
        except (InstanceError, KeyError, TypeError, ValueError) as exc:
            log.warning("suggester snapshot of program %s not used: %s", program.pk, exc)
            data = program_instance(program, InstanceScope())
            vectors = program_vectors(program, data) if data["mentees"] else None
            fresh = damaged = True
    if fresh:
        suggester, locations = _compiled(data, vectors), _mentor_locations(data)
    if analyzer.analysed_count - known >= text_analysis.STORE_AFTER_NEW:
        try:
            text_analysis.store(analyzer)
        except OSError as exc:  # a read-only or full disk costs the next process time only
            log.warning("text analysis not kept: %s", exc)
    if fresh and key is not None and (damaged or not snapshots.exists(program.pk, key)):
        try:
            snapshots.store(program.pk, key, data, vectors, locations)
        except OSError as exc:  # as above
            log.warning("suggester snapshot not kept: %s", exc)
    return suggester, locations


def _compiled(data: dict[str, Any], vectors: TextVectors | None) -> Suggester | None:
    """The instance compiled for ranking (None when nobody is waiting for a mentor)."""
    if not data["mentees"]:
        return None
    return Suggester(Instance.from_built(data), vectors=vectors)


def _mentor_locations(data: dict[str, Any]) -> list[str]:
    """Where the instance's mentors work (the find page's location filter)."""
    mentor_ids = {m["id"] for m in data["mentors"]}
    return sorted(
        {p["location"] for p in data["people"] if p["id"] in mentor_ids and p.get("location")}
    )


def mentor_locations(program: Program) -> list[str]:
    """Where the program's mentors with free places work, for the location filter (from the
    suggester built for this request when there is one, else from the database)."""
    with _suggesters_lock:
        cached = _suggesters.get(program.pk)
    if cached is not None:
        return cached[2]
    return list(
        Person.objects.filter(
            enrollments__program=program, enrollments__role__in=[Role.MENTOR, Role.BOTH]
        )
        .exclude(location="")
        .order_by("location")
        .values_list("location", flat=True)
        .distinct()
    )


def clear_suggesters() -> None:
    """Forget every compiled suggester (the stamps keep them correct; this frees memory)."""
    with _suggesters_lock:
        _suggesters.clear()


def mentor_cards(
    program: Program, mentee: Person, focus_area: FocusArea, ranked: list[dict[str, object]]
) -> list[MentorCard]:
    """Cards for engine-ranked mentors, loaded in a fixed number of queries."""
    ids = [str(r["mentor"]) for r in ranked]
    people = {
        p.employee_id: p
        for p in Person.objects.filter(employee_id__in=ids).select_related("department", "user")
    }
    pks = [people[i].pk for i in ids]
    skills_of: dict[int, list[CardSkill]] = {pk: [] for pk in pks}
    for person_id, slug, name, proficiency in PersonSkill.objects.filter(
        person_id__in=pks
    ).values_list("person_id", "skill__slug", "skill__name", "proficiency"):
        skills_of[person_id].append(CardSkill(slug, name, proficiency))
    capacity = dict(
        Enrollment.objects.filter(program=program, person_id__in=pks).values_list(
            "person_id", "mentor_capacity"
        )
    )
    taken = places_used(program.pk, pks)
    speed, asked = responsiveness(pks, asked_for=focus_area)
    focus_skills = focus_area.wanted_skills()
    focus = focus_skills.keys()
    cards = []
    for item in ranked:
        person = people[str(item["mentor"])]
        skills = skills_of[person.pk]
        found = reasons(
            item["factors"],  # type: ignore[arg-type]
            mentee=mentee,
            mentor=person,
            focus_skills=focus_skills,
            mentor_skills=scored_skills(person, {s.slug: s.proficiency for s in skills}),
            goal_text=f"{focus_area.title} {focus_area.description}",
        )
        cards.append(
            MentorCard(
                person=person,
                score=float(item["score"]),  # type: ignore[arg-type]
                reasons=found,
                summary=summary(found),
                places_left=capacity.get(person.pk, 0) - taken.get(person.pk, 0),
                capacity=capacity.get(person.pk, 0),
                responsiveness=speed[person.pk],
                last_active=person.user.last_login,
                skills=sorted(skills, key=lambda s: (s.slug not in focus, -s.proficiency))[:6],
                requested=person.pk in asked,
            )
        )
    return cards


def scored_skills(person: Person, picked: dict[str, int] | None = None) -> dict[str, int]:
    """The person's skills as matching scores them, for reasons that agree with the score:
    picked ones at their level (read from the database unless given), read ones at READ_LEVEL.
    """
    if picked is None:
        picked = dict(person.person_skills.values_list("skill__slug", "proficiency"))
    return matching_skills(picked, person.read_skills or [], person.removed_read_skills or [])


def open_request_count(mentee: Person, program: Program) -> int:
    """The mentee's requests still waiting for an answer in the program."""
    return MentorRequest.objects.filter(
        mentee=mentee, program=program, status__in=OPEN_STATUSES
    ).count()


def requests_sent(mentee: Person, program: Program) -> QuerySet[MentorRequest]:
    """A mentee's requests in a program, newest first."""
    return MentorRequest.objects.filter(mentee=mentee, program=program).select_related(
        "program", "mentee", "mentor__department", "focus_area"
    )


def requests_received(mentor: Person) -> QuerySet[MentorRequest]:
    """Requests to a mentor in every program, open ones first."""
    return (
        MentorRequest.objects.filter(mentor=mentor)
        .select_related("mentee__department", "mentee__user", "mentor", "focus_area", "program")
        .prefetch_related("focus_area__skills")
        .order_by("-created_at")
    )


@dataclass
class InboxItem:
    """A request to a mentor with how well the mentee fits them, in the engine's words."""

    request: MentorRequest
    score: float | None = None
    reasons: list[Reason] = field(default_factory=list)
    summary: str = ""


def inbox_items(mentor: Person, requests: list[MentorRequest]) -> list[InboxItem]:
    """The mentor's open requests, each with the fit the suggestions showed the mentee (none
    when the mentor has no free place left in that program). Queries grow with the number of
    programs, not of requests."""
    mentor_skills = scored_skills(mentor)
    suggesters: dict[int, Suggester | None] = {}
    items = []
    for request in requests:
        item = InboxItem(request)
        if request.program_id not in suggesters:
            suggesters[request.program_id] = program_suggester(request.program)
        suggester = suggesters[request.program_id]
        mentee, area = request.mentee.employee_id, str(request.focus_area_id)
        if suggester is not None and suggester.has(mentee, area):
            ranked = suggester.rank(mentee, area, limit=1, only={mentor.employee_id})
            if ranked:
                found = reasons(
                    ranked[0]["factors"],
                    mentee=request.mentee,
                    mentor=mentor,
                    focus_skills=request.focus_area.wanted_skills(),
                    mentor_skills=mentor_skills,
                    goal_text=f"{request.focus_area.title} {request.focus_area.description}",
                    you=request.mentee.first_name,
                )
                item.score = float(ranked[0]["score"])
                item.reasons = found
                item.summary = summary(found)
        items.append(item)
    return items


@dataclass(frozen=True)
class Places:
    """A mentor's places in one program: how many are taken (mentorships and proposals
    waiting for an answer hold a place) out of their capacity."""

    program: Program
    used: int
    capacity: int

    @property
    def text(self) -> str:
        return f"{self.used} of {self.capacity} place{'s' if self.capacity != 1 else ''} used"


def mentor_places(mentor: Person) -> list[Places]:
    """The mentor's places in every program they mentor in, in three queries."""
    enrollments = list(
        Enrollment.objects.filter(
            person=mentor, role__in=[Role.MENTOR, Role.BOTH], status=EnrollmentStatus.ACTIVE
        ).select_related("program")
    )
    programs = [e.program_id for e in enrollments]
    used: dict[int, int] = defaultdict(int)
    live = Mentorship.objects.filter(
        mentor=mentor, program_id__in=programs, status__in=HOLDS_CAPACITY
    )
    for program_id in live.values_list("program_id", flat=True):
        used[program_id] += 1  # the mentorship
    for program_id in MentorshipMember.objects.filter(mentorship__in=live).values_list(
        "mentorship__program_id", flat=True
    ):
        used[program_id] += 1  # each mentee who joined it as a group member
    for program_id, n in (
        Proposal.objects.filter(
            mentor=mentor, round__program_id__in=programs, status=ProposalStatus.SENT
        )
        .values("round__program_id")
        .annotate(n=Count("pk"))
        .values_list("round__program_id", "n")
    ):
        used[program_id] += n
    return [Places(e.program, used[e.program_id], e.mentor_capacity) for e in enrollments]
