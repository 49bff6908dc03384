"""How finding a mentor reacts to what the apps below it announce (connected in ``ready``)."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from mentorbridge.matching.adapter import semantic_enabled
from mentorbridge.matching.services.cleanup import matching_close_for, matching_close_program
from mentorbridge.matching.tasks import compute_vectors, fill_waitlist
from mentorbridge.matching.vectors import semantic_anywhere, vectors_missing
from mentorbridge.matching_engine.semantic import is_available
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, FocusArea, Program


def load_engine_in_worker(**_: Any) -> None:
    """A worker is about to take tasks: load the matching engine and its compiled kernels now
    (about 0.5 s from the disk cache), not inside the first big round it runs."""
    from mentorbridge.matching_engine.cli import warm_up  # the web processes never load it

    started = time.perf_counter()
    warm_up()
    log.info("Matching engine loaded in %.1f s", time.perf_counter() - started)


def fill_waitlist_when_places_open(*, program_id: int, **_: Any) -> None:
    """Places may have opened: let the worker propose mentors to the waitlist."""
    fill_waitlist.enqueue(program_id=program_id)


def wind_up_participation(*, person: Person, program: Program, reason: str, **_: Any) -> None:
    """Someone left a program: withdraw their requests and proposals, end their mentorships."""
    matching_close_for(person=person, program=program, reason=reason)


def wind_up_people_who_left(*, people: list[Person], reason: str, **_: Any) -> None:
    """People left the company: wind up their part in every program they were in."""
    for enrollment in Enrollment.objects.filter(person__in=people).select_related(
        "program", "person"
    ):
        matching_close_for(person=enrollment.person, program=enrollment.program, reason=reason)


def wind_up_closed_program(*, program: Program, **_: Any) -> None:
    """A program closed: its open requests and proposals are withdrawn."""
    matching_close_program(program=program)


log = logging.getLogger(__name__)
#: Fields whose change can change a text the engine reads (or who has one: enrollments).
TEXT_FIELDS = frozenset(
    ["job_title", "expertise", "bio", "title", "description", "role", "status", "is_active"]
)


def compute_vectors_after_edit(
    sender: type, instance: object, update_fields: frozenset[str] | None = None, **_: Any
) -> None:
    """A profile, focus area or enrollment changed: when a program matches by meaning, let
    the worker compute the vectors of texts that changed (once per change, after commit)."""
    if sender not in (Person, FocusArea, Enrollment):
        return
    if update_fields is not None and not TEXT_FIELDS & set(update_fields):
        return
    if not semantic_anywhere():
        return
    if not is_available():
        log.warning("semantic matching is on but the 'semantic' extra is not installed")
        return
    transaction.on_commit(_enqueue_compute_vectors)


def compute_vectors_when_meaning_turned_on(
    *, program: Program, changed: dict[str, list[Any]], **_: Any
) -> None:
    """A program admin switched semantic matching on (or to a site default that is on): let
    the worker compute the vectors its profiles and goals lack (after commit). Until then its
    pairs are scored on words."""
    if "semantic_matching" not in changed or not semantic_enabled(program):
        return
    if not is_available():
        log.warning("semantic matching is on but the 'semantic' extra is not installed")
        return
    transaction.on_commit(_enqueue_compute_vectors)


def queue_missing_vectors() -> bool:
    """The scheduler's sweep: when some program matches by meaning (its own setting or the
    site's MENTORBRIDGE_SEMANTIC_MATCHING) and some profile or goal has no vector of its
    current text, queue the vectors task once. Reads texts and hashes, never the model.
    Whether a task was queued (or was waiting already)."""
    if not semantic_anywhere() or not is_available() or not vectors_missing():
        return False
    _enqueue_compute_vectors()
    return True


def _enqueue_compute_vectors() -> None:
    path = f"{compute_vectors.func.__module__}.{compute_vectors.func.__qualname__}"
    if not DBTaskResult.objects.ready().filter(task_path=path).exists():
        compute_vectors.enqueue()
