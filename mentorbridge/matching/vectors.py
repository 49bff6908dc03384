"""Sentence vectors in the database: computed in the background, loaded for the engine.

Semantic matching (``settings.SEMANTIC_MATCHING``, or a program's own ``semantic_matching``)
blends meaning into the text factor (``matching_engine.hybrid``). Vectors of mentors' profile
texts and focus areas' goals are stored (``PersonVector``, ``FocusAreaVector``) with a hash of
the model's name and the text, so :func:`vectors_compute` recomputes only texts that changed
or were never computed, and a model change recomputes everything. The texts are exactly the
ones the engine's word index reads (``adapter.person_text`` / ``adapter.goal_text``).

:func:`program_vectors` reads the stored vectors of one engine instance in two queries; a
vector whose text has changed since is left out (that pair is scored on words until the
background task catches up).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet, Subquery

from mentorbridge.matching.adapter import (
    goal_text,
    person_text,
    semantic_enabled,
    stamp_count,
    stamp_max,
    stamp_part,
    stamp_row,
)
from mentorbridge.matching.models import FocusAreaVector, PersonVector
from mentorbridge.matching_engine.hybrid import TextVectors
from mentorbridge.matching_engine.semantic import MODEL_NAME
from mentorbridge.matching_engine.text import Embedder
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Program, Role

log = logging.getLogger(__name__)
BATCH = 256  # texts per embedder call and rows per write
DIMENSION = 384  # all-MiniLM-L6-v2


def semantic_anywhere() -> bool:
    """Whether any program matches by meaning (so vectors are worth computing)."""
    if settings.SEMANTIC_MATCHING:
        return (
            not Program.objects.exists()
            or Program.objects.exclude(semantic_matching="off").exists()
        )
    return Program.objects.filter(semantic_matching="on").exists()


def text_hash(text: str) -> str:
    """What a stored vector was computed from: the model and the exact text."""
    return hashlib.sha256(f"{model_name()}\n{text}".encode()).hexdigest()


def model_name() -> str:
    """The sentence model's name, stored with each vector."""
    return MODEL_NAME


def _pack(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype="<f4").tobytes()


def _unpack(blobs: Sequence[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, DIMENSION), np.float32)
    data = np.frombuffer(b"".join(bytes(b) for b in blobs), dtype="<f4")
    return data.reshape(len(blobs), -1).astype(np.float32, copy=False)


@dataclass
class VectorsReport:
    """What :func:`vectors_compute` did."""

    computed: int = 0
    unchanged: int = 0
    seconds: float = 0.0


def _mentor_texts(program: Program | None = None) -> dict[int, str]:
    """Profile texts of everyone enrolled as a mentor in an active enrollment (in the program
    when one is given)."""
    enrollments = Enrollment.objects.filter(
        status=EnrollmentStatus.ACTIVE, role__in=[Role.MENTOR, Role.BOTH]
    )
    if program is not None:
        enrollments = enrollments.filter(program=program)
    mentors = enrollments.values("person_id")
    rows = Person.objects.filter(pk__in=mentors, is_active=True).values_list(
        "pk", "job_title", "expertise", "bio"
    )
    return {pk: person_text(title, expertise, bio) for pk, title, expertise, bio in rows}


def _goal_texts(program: Program | None = None) -> dict[int, str]:
    """Goal texts of the active focus areas of active mentee enrollments (in the program when
    one is given)."""
    areas = FocusArea.objects.filter(
        enrollment__status=EnrollmentStatus.ACTIVE,
        enrollment__role__in=[Role.MENTEE, Role.BOTH],
    )
    if program is not None:
        areas = areas.filter(enrollment__program=program)
    rows = areas.values_list("pk", "title", "description")
    return {pk: goal_text(title, description) for pk, title, description in rows}


def _stale(texts: dict[int, str], stored: Iterable[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """The texts with no vector computed from them by the current model."""
    current = {pk: (model, digest) for pk, model, digest in stored}
    return [
        (pk, text)
        for pk, text in sorted(texts.items())
        if current.get(pk) != (model_name(), text_hash(text))
    ]


def _stored_people(pks: Iterable[int]) -> QuerySet[PersonVector, tuple[int, str, str]]:
    return PersonVector.objects.filter(person_id__in=list(pks)).values_list(
        "person_id", "model_name", "text_hash"
    )


def _stored_goals(pks: Iterable[int]) -> QuerySet[FocusAreaVector, tuple[int, str, str]]:
    return FocusAreaVector.objects.filter(focus_area_id__in=list(pks)).values_list(
        "focus_area_id", "model_name", "text_hash"
    )


def vectors_missing(program: Program | None = None) -> int:
    """How many mentors' profiles and goals (of the program, or of every program) have no
    vector of their current text yet: what the background task has left to compute. Reads
    texts and hashes only, never loads the model."""
    people, goals = _mentor_texts(program), _goal_texts(program)
    return len(_stale(people, _stored_people(people))) + len(_stale(goals, _stored_goals(goals)))


def _compute(
    texts: dict[int, str],
    stored: Iterable[tuple[int, str, str]],
    embed: Callable[[], Embedder],
    write: Callable[[list[tuple[int, str, bytes]]], None],
    report: VectorsReport,
) -> None:
    stale = _stale(texts, stored)
    report.unchanged += len(texts) - len(stale)
    if not stale:
        return
    embedder = embed()
    done: dict[str, bytes] = {}  # equal texts (common for goals picked from templates) once
    for start in range(0, len(stale), BATCH):
        chunk = stale[start : start + BATCH]
        unique = [text for text in dict.fromkeys(text for _, text in chunk) if text not in done]
        if unique:
            vectors = np.asarray(embedder(unique), np.float32)
            done.update((text, _pack(vector)) for text, vector in zip(unique, vectors, strict=True))
        write([(pk, text_hash(text), done[text]) for pk, text in chunk])
        report.computed += len(chunk)


def vectors_compute(*, embedder: Embedder | None = None) -> VectorsReport:
    """Compute the vectors of mentors' profiles and mentees' goals whose text changed since
    (or that have none). ``embedder`` defaults to the sentence model (ImportError naming the
    install command when the `semantic` extra is missing)."""
    started = time.perf_counter()
    report = VectorsReport()

    def embed() -> Embedder:
        if embedder is not None:
            return embedder
        from mentorbridge.matching_engine.semantic import load_embedder

        return load_embedder()

    def write_people(rows: list[tuple[int, str, bytes]]) -> None:
        PersonVector.objects.bulk_create(
            [PersonVector(person_id=pk, model_name=model_name(), text_hash=h, vector=v)
             for pk, h, v in rows],
            update_conflicts=True, unique_fields=["person"],
            update_fields=["model_name", "text_hash", "vector", "updated_at"],
        )  # fmt: skip

    def write_goals(rows: list[tuple[int, str, bytes]]) -> None:
        FocusAreaVector.objects.bulk_create(
            [FocusAreaVector(focus_area_id=pk, model_name=model_name(), text_hash=h, vector=v)
             for pk, h, v in rows],
            update_conflicts=True, unique_fields=["focus_area"],
            update_fields=["model_name", "text_hash", "vector", "updated_at"],
        )  # fmt: skip

    people = _mentor_texts()
    _compute(people, _stored_people(people), embed, write_people, report)
    goals = _goal_texts()
    _compute(goals, _stored_goals(goals), embed, write_goals, report)
    report.seconds = time.perf_counter() - started
    return report


def vectors_stamp_parts(program: Program) -> dict[str, Subquery]:
    """What :func:`vectors_stamp` reads, as subqueries the program's stamp reads in its own
    query (``adapter.program_stamp``); none when the program does not match by meaning. The
    two tables whole, without joins: a vector computed for another program also moves it
    (vectors change rarely, in the background)."""
    if not semantic_enabled(program):
        return {}
    people, goals = PersonVector.objects.all(), FocusAreaVector.objects.all()
    # counts apart from maximums: an index-only scan and an index lookup (see program_stamp)
    return {
        "person_vectors": stamp_part(people, stamp_count()),
        "person_vectors_last": stamp_part(people, stamp_max("updated_at")),
        "goal_vectors": stamp_part(goals, stamp_count()),
        "goal_vectors_last": stamp_part(goals, stamp_max("updated_at")),
    }


def vectors_stamp(program: Program) -> tuple[object, ...]:
    """Changes when stored vectors change (for the caches of compiled programs); empty when
    the program does not match by meaning. One query."""
    if not semantic_enabled(program):
        return ()
    return ("vectors", *stamp_row(program, ("vectors",), lambda: vectors_stamp_parts(program)))


def program_vectors(program: Program, data: dict[str, Any]) -> TextVectors | None:
    """The stored vectors of an engine instance built by ``adapter.program_instance`` (None
    when the program does not match by meaning). Vectors of texts changed since they were
    computed are left out: those goals and mentors are scored on words until recomputed."""
    if not semantic_enabled(program):
        return None
    mentor_rows, goal_rows, cached = _stored_rows(program)
    mentor_ids = [m["id"] for m in data["mentors"]]
    goal_ids = [int(a["id"]) for m in data["mentees"] for a in m["focus_areas"]]
    if cached and not _covers(mentor_rows, mentor_ids, goal_rows, goal_ids):
        # Someone joined the program with a vector stored before (for another program): the
        # vectors' stamp has not moved, but the rows read for this program lack theirs.
        mentor_rows, goal_rows, _ = _stored_rows(program, again=True)
    text_of = {p["id"]: p.get("text", "") for p in data["people"]}
    wanted = {eid: text_hash(text_of.get(eid, "")) for eid in mentor_ids}
    mentor_keys, mentor_blobs = [], []
    for eid, digest, blob in mentor_rows:
        if wanted.get(eid) == digest:
            mentor_keys.append(eid)
            mentor_blobs.append(blob)
    goal_hash = {}
    for mentee in data["mentees"]:
        for area in mentee["focus_areas"]:
            goal_hash[int(area["id"])] = (f"{mentee['id']}/{area['id']}", text_hash(area["text"]))
    goal_keys, goal_blobs = [], []
    for pk, digest, blob in goal_rows:
        key, wanted_hash = goal_hash.get(pk, ("", ""))
        if key and digest == wanted_hash:
            goal_keys.append(key)
            goal_blobs.append(blob)
    return TextVectors(goal_keys, _unpack(goal_blobs), mentor_keys, _unpack(mentor_blobs))


Rows = list[tuple[Any, str, bytes]]
# The program's stored vectors per process, read again only when the vectors change (their
# stamp), not after every enrollment or profile change that rebuilds the suggester.
_stored: dict[int, tuple[tuple[object, ...], Rows, Rows]] = {}
_stored_lock = threading.Lock()


def _covers(mentor_rows: Rows, mentor_ids: list[str], goal_rows: Rows, goal_ids: list[int]) -> bool:
    """Whether the rows have a vector (current or stale) for every mentor and goal named."""
    mentors = {eid for eid, _, _ in mentor_rows}
    goals = {pk for pk, _, _ in goal_rows}
    return all(e in mentors for e in mentor_ids) and all(g in goals for g in goal_ids)


def _stored_rows(program: Program, *, again: bool = False) -> tuple[Rows, Rows, bool]:
    """(employee id, text hash, vector bytes) of the program's people and (focus area id,
    text hash, vector bytes) of its goals, of the current model; and whether they are the
    ones kept from an earlier read (``again``: read them from the database in any case)."""
    stamp = (model_name(), *vectors_stamp(program))
    with _stored_lock:
        cached = _stored.get(program.pk)
        if not again and cached is not None and cached[0] == stamp:
            return cached[1], cached[2], True
    mentor_rows = _rows(
        PersonVector.objects.filter(
            person__enrollments__program=program, model_name=model_name()
        ).values_list("person__employee_id", "text_hash", "vector")
    )
    goal_rows = _rows(
        FocusAreaVector.objects.filter(
            focus_area__enrollment__program=program, model_name=model_name()
        ).values_list("focus_area_id", "text_hash", "vector")
    )
    with _stored_lock:
        _stored[program.pk] = (stamp, mentor_rows, goal_rows)
    return mentor_rows, goal_rows, False


def _rows(queryset: QuerySet[Any, tuple[Any, str, Any]]) -> Rows:
    """The (key, text hash, vector bytes) rows of ``queryset``. On PostgreSQL its SQL runs on
    a cursor of binary results: the vectors arrive as their bytes (Django's cursors read text,
    and decoding 10,000 vectors from hexadecimal was most of reading them); the query is in
    ``connection.queries`` as any other."""
    if connection.vendor != "postgresql":
        return [(key, digest, bytes(blob)) for key, digest, blob in queryset]
    import psycopg

    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        rows = cursor.fetchall()
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"{sql} -- {params!r}", "time": f"{time.monotonic() - started:.3f}"}
        )
    return [(key, digest, bytes(blob)) for key, digest, blob in rows]


def clear_vectors_cache() -> None:
    """Forget the cached vectors (their stamp keeps them correct; this frees the memory)."""
    with _stored_lock:
        _stored.clear()
