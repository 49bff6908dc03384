"""Matching rounds: solve a cohort into a preview, adjust it, publish proposals, answer them."""

from __future__ import annotations

import datetime
import hashlib
import logging
import math
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, NamedTuple

import orjson
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record
from mentorbridge.core.limits import NOTE_MAX_CHARS, check_length
from mentorbridge.matching import sessions, text_analysis
from mentorbridge.matching.adapter import (
    InstanceScope,
    catalogue_synonyms,
    open_focus_areas,
    program_instance,
)
from mentorbridge.matching.models import (
    MatchingRound,
    Objective,
    PairExclusion,
    Proposal,
    ProposalStatus,
    RoundStatus,
)
from mentorbridge.matching.notifications import notify
from mentorbridge.matching.rules import pair_problem
from mentorbridge.matching.services.cleanup import focus_area_settled
from mentorbridge.matching.services.early_preview import EarlyPreview, early_writes_allowed
from mentorbridge.matching.services.round_conflicts import check_decided, withdraw_crossed_requests
from mentorbridge.matching.vectors import program_vectors
from mentorbridge.matching_engine import Instance, InstanceError, Session
from mentorbridge.matching_engine.heap import collector_paused
from mentorbridge.matching_engine.instance import DEFAULT_WEIGHTS, FACTORS
from mentorbridge.matching_engine.suggest import rank_mentors
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship, MentorshipSource
from mentorbridge.mentorships.services import (
    mentor_enrollment,
    mentorship_start,
    places_taken,
    places_used,
)
from mentorbridge.outbox.workers import current_worker_id
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, EnrollmentStatus, FocusArea, Program, Role

log = logging.getLogger(__name__)

INLINE_FOCUS_AREAS = 1500  # cohorts up to this size are solved in the request itself
# rounds of this many focus areas or more write their first flow's preview while the engine
# certifies it (`early_preview`: 0.5-0.7 s of a 20,000-mentee round's store)
EARLY_PREVIEW_FOCUS_AREAS = 2000
ROUND_BUSY = "A round for {program} is still running; wait for its preview."
ALREADY_STARTED = (
    "This round was already started{by} with the same settings, and nothing it reads has "
    "changed since: here is its preview."
)
NOT_READY = "Only a finished preview can be {verb}."
BAD_OBJECTIVE = "Objective must be one of: {choices}."
BAD_WEIGHT = "“{field}” must be a number from 0 to 1."
NO_WEIGHT = "At least one weight must be above 0."
NOT_IN_ROUND = "{who} is not part of this round."
NOT_YOUR_PROPOSAL = "This proposal is for other people."
ALREADY_ANSWERED = "This proposal was already answered."
NOTHING_TO_MATCH = "Nobody is waiting for a mentor in {program}: every focus area is matched."
PROGRAM_NOT_MATCHING = "{program} isn't matching people right now (it is a draft or closed)."
CANNOT_START = "This match can no longer start: {why}"
CANNOT_PIN = "Can't pin {mentor} for {mentee}: {why}"
NOT_A_MENTOR = "{mentor} isn't an enrolled mentor with a free place in this program."
WORKER_STOPPED = (
    "The background worker stopped while this round was running. Start the round again."
)
CANCELLED = "Cancelled by {who}."
NOT_WORKING = "Only a queued or running round can be cancelled; this one is {status}."
ROUND_STALE = datetime.timedelta(minutes=30)  # no sign of life and no known worker: stuck
ALL_LEFT_OUT = (
    "Every focus area still waiting in {program} is left out of this round ({n}): put one back "
    "or wait for their open requests."
)
NOT_WAITING = "“{area}” isn't waiting for a mentor in {program}."


class BadWeights(ValidationError):
    """Weights that are not numbers from 0 to 1, every one of them: ``factors`` names them so a
    form can mark each field; the messages name them as the API's schema does
    (``weights.goal_fit``)."""

    def __init__(self, factors: list[str]) -> None:
        super().__init__(
            {"weights": [BAD_WEIGHT.format(field=f"weights.{factor}") for factor in factors]}
        )
        self.factors = factors


def clean_weights(weights: dict[str, Any]) -> dict[str, float]:
    """Factor weights from a form or API call: known factors, numbers in [0, 1] (any number:
    there is no step, and they need not sum to 1, the engine normalises them)."""
    clean: dict[str, float] = {}
    bad: list[str] = []
    for factor in FACTORS:
        raw = weights.get(factor, DEFAULT_WEIGHTS[factor])
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not 0 <= value <= 1:  # NaN too
            bad.append(factor)
        clean[factor] = value
    if bad:
        raise BadWeights(bad)
    if not any(clean.values()):
        raise ValidationError({"weights": NO_WEIGHT})
    return clean


class RoundAlreadyStarted(ValidationError):
    """The same round (same program, parent and settings, on the same data) already has a
    preview, from a double click or another admin at once: callers answer with ``existing``
    (it would be the same preview again)."""

    def __init__(self, existing: MatchingRound, by: Person | None) -> None:
        starter = existing.created_by
        who = "" if starter is None or (by and starter.pk == by.pk) else f" by {starter}"
        super().__init__(ALREADY_STARTED.format(by=who))
        self.existing = existing


def _cohort_digest(program: Program, forbids: list[dict[str, str]]) -> str:
    """A short fingerprint of everything a round of ``program`` reads (see sessions)."""
    stamp = sessions.session_stamp(program, forbids)
    return hashlib.sha256(repr(stamp).encode()).hexdigest()[:32]


def _twin(
    program: Program, parent: MatchingRound | None, settings: dict[str, Any]
) -> MatchingRound | None:
    """A preview of ``program`` from the same parent with the same settings, made on the
    data as it is now: starting again would make the same preview."""
    candidates = [
        candidate
        for candidate in MatchingRound.objects.select_related("created_by")
        .filter(program=program, parent=parent, status=RoundStatus.READY)
        .order_by("-pk")[:20]
        if all(getattr(candidate, field) == value for field, value in settings.items())
    ]
    if not candidates:
        return None
    now = _cohort_digest(program, settings["forbids"])
    return next((c for c in candidates if c.stats.get("cohort") == now), None)


@transaction.atomic
def round_start(
    *,
    program: Program,
    by: Person | None,
    objective: str = Objective.TOTAL,
    weights: dict[str, Any] | None = None,
    pins: list[dict[str, str]] | None = None,
    forbids: list[dict[str, str]] | None = None,
    left_out: list[str] | None = None,
    request_choices: dict[str, str] | None = None,
    parent: MatchingRound | None = None,
) -> MatchingRound:
    """Queue a round. Small cohorts are solved before this returns; big ones in the background
    (the page shows progress). ``left_out``: focus area ids left to their open requests;
    ``request_choices``: what publishing does to crossed open requests (see round_conflicts)."""
    if not program.is_matching_open():
        raise ValidationError(PROGRAM_NOT_MATCHING.format(program=program))
    if objective not in Objective.values:
        raise ValidationError(
            {"objective": BAD_OBJECTIVE.format(choices=", ".join(Objective.values))}
        )
    settings = {
        "objective": objective,
        "weights": clean_weights(weights or {}),
        "pins": pins or [],
        "forbids": forbids or [],
        "left_out": left_out or [],
        "request_choices": request_choices or {},
    }
    # One start per program at a time, the program's row first (as publishing does): two
    # starts at once (a double click, two admins) each saw no twin and made two previews.
    list(Program.objects.select_for_update(no_key=True).filter(pk=program.pk).values("pk"))
    if MatchingRound.objects.filter(
        program=program, status__in=[RoundStatus.QUEUED, RoundStatus.RUNNING]
    ).exists():
        raise ValidationError(ROUND_BUSY.format(program=program))
    twin = _twin(program, parent, settings)
    if twin is not None:
        raise RoundAlreadyStarted(twin, by)
    matching_round = MatchingRound.objects.create(
        program=program, created_by=by, parent=parent, **settings
    )
    # a change to a preview solves about as many focus areas as its parent did (no count)
    size = parent.stats.get("focus_areas") if parent is not None and parent.stats else None
    if size is None:
        size = open_focus_areas(program).count()
    if size <= INLINE_FOCUS_AREAS:
        round_run(matching_round)
    else:
        transaction.on_commit(lambda: run_round_task.enqueue(round_id=matching_round.pk))
    return matching_round


@task()
def run_round_task(*, round_id: int) -> str:
    """Background entry point for big rounds (a round cancelled or failed meanwhile stays so)."""
    matching_round = MatchingRound.objects.get(pk=round_id)
    if matching_round.status != RoundStatus.QUEUED:
        return matching_round.status
    return round_run(matching_round, worker_id=current_worker_id()).status


class _Progress:
    """Writes a round's progress to its row, at most twice a second."""

    def __init__(self, matching_round: MatchingRound) -> None:
        self.round = matching_round
        self.last = 0.0

    def set(self, percent: int, text: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.5:
            return
        self.last = now
        # Only while running: a cancelled round keeps saying "Cancelled", not "Solving".
        MatchingRound.objects.filter(pk=self.round.pk, status=RoundStatus.RUNNING).update(
            progress=percent, progress_text=text, heartbeat_at=timezone.now()
        )

    def solving(self, stage: str, round_number: int, gap: float | None) -> None:
        """The engine's steps while it solves (`Session.solve`'s `on_step`), from 76 % to 91 %:
        before, the bar sat at "Solving" for the whole solve (seconds at 20,000 mentees)."""
        if stage == "prices":
            self.set(76, "Solving: a first matching to price the mentors", force=True)
        elif stage == "stable":
            self.set(78, "Solving: a stable matching", force=True)
        elif stage == "round":
            percent = min(78 + 3 * round_number, 90)
            if not gap:
                self.set(percent, f"Solving: round {round_number}, proven best", force=True)
            else:
                within = "0.01%" if gap < 1e-4 else f"{gap:.2%}"
                text = f"Solving: round {round_number}, within {within} of the best"
                self.set(percent, text, force=True)
        elif stage == "explain":
            self.set(91, "Explaining the proposals", force=True)

    def factory(self) -> Callable[[str, int], Callable[[int], None]]:
        def start(label: str, total: int) -> Callable[[int], None]:
            done = [0]

            def advance(units: int) -> None:
                done[0] += units
                share = min(done[0] / max(total, 1), 1.0)
                self.set(10 + int(60 * share), f"Scoring pairs ({share:.0%})")

            return advance

        return start


def round_run(matching_round: MatchingRound, *, worker_id: str = "") -> MatchingRound:
    """Solve the round with the engine and store its preview (proposals, stats, unmatched).

    A pin or forbid on a preview whose engine session this process still keeps re-solves that
    session instead of reading and scoring the cohort again (see ``matching.sessions``)."""
    progress = _Progress(matching_round)
    claimed = MatchingRound.objects.filter(pk=matching_round.pk, status=RoundStatus.QUEUED).update(
        status=RoundStatus.RUNNING, worker_id=worker_id, heartbeat_at=timezone.now()
    )
    if not claimed:  # cancelled (or failed by the recovery) since the worker read it: stays so
        matching_round.refresh_from_db()
        return matching_round
    progress.set(2, "Reading the cohort", force=True)
    program = matching_round.program
    stages: dict[str, float] = {}
    cpu: dict[str, float] = {}  # this process's CPU seconds (all threads) in each stage
    # the cycle collector would walk the cohort's objects again and again while they are
    # built and solved: about a second of a 20,000-mentee round (see heap.collector_paused)
    with collector_paused():
        try:
            started, cpu_started = time.perf_counter(), time.process_time()
            stamp = sessions.session_stamp(program, matching_round.forbids)
            kept = sessions.take_for(matching_round, stamp)
            if kept is None:
                kept = _build(matching_round, stamp, progress)
                stages["read"] = kept.session.seconds.pop("read", 0.0)
                stages["build"] = time.perf_counter() - started - stages["read"]
                cpu["read"] = kept.session.seconds.pop("read_cpu", 0.0)
                cpu["build"] = time.process_time() - cpu_started - cpu["read"]
            else:
                stages["reuse"] = time.perf_counter() - started
                cpu["reuse"] = time.process_time() - cpu_started
            progress.set(75, "Solving", force=True)
            started, cpu_started = time.perf_counter(), time.process_time()
            early = None if "reuse" in stages else _early_preview(matching_round, kept)
            try:
                result = kept.session.solve(
                    on_step=progress.solving, on_flow=early.offer if early else None
                ).to_dict()
            except BaseException:
                if early is not None:
                    early.abandon()
                raise
            stages["solve"] = time.perf_counter() - started
            cpu["solve"] = time.process_time() - cpu_started
            progress.set(92, "Saving the preview", force=True)
            result["stats"]["engine_session"] = "reused" if "reuse" in stages else "built"
            result["stats"]["cohort"] = hashlib.sha256(repr(stamp).encode()).hexdigest()[:32]
            if _store(matching_round, kept, result, stages, cpu, early):
                sessions.keep(matching_round, kept)
        except (InstanceError, ValidationError) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            _fail(matching_round, message)
        except Exception as error:  # a failed round must say so, not hang at "running"
            log.exception("Matching round %s failed", matching_round.pk)
            _fail(matching_round, f"The matching engine failed: {error}")
    matching_round.refresh_from_db()
    return matching_round


def _build(
    matching_round: MatchingRound, stamp: tuple[object, ...], progress: _Progress
) -> sessions.KeptSession:
    """Read the cohort from the database and build its engine session (features, scores,
    shortlist). The seconds spent reading are left in the session's ``seconds["read"]``."""
    program = matching_round.program
    started, cpu_started = time.perf_counter(), time.process_time()
    # The texts' analysis kept by an earlier process (as for suggestions: one file per analyzer
    # table, read once per process) is read in a thread while this one reads the cohort; the
    # engine's text factor then analyses only texts it does not hold (about 1.5 CPU s of a
    # 20,000-mentee round's build otherwise)
    analyzer = text_analysis.shared_analyzer(catalogue_synonyms())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="text-analysis") as pool:
        preloading = pool.submit(text_analysis.preload, analyzer)
        data = program_instance(
            program,
            InstanceScope(
                objective=matching_round.objective,
                weights=matching_round.weights,
                pins=matching_round.pins,
                forbids=matching_round.forbids,
                shortlist_k=40,
            ),
        )
        preloading.result()
    had_mentees = bool(data["mentees"])
    _leave_out(data, set(matching_round.left_out))
    if had_mentees and not data["mentees"]:
        raise ValidationError(ALL_LEFT_OUT.format(program=program, n=len(matching_round.left_out)))
    if not data["mentees"]:
        raise ValidationError(NOTHING_TO_MATCH.format(program=program))
    read, read_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    known = analyzer.analysed_count
    progress.set(10, "Scoring pairs", force=True)
    session = Session(
        Instance.from_built(data),  # built here: its records need no second check
        vectors=program_vectors(program, data),
        progress=progress.factory(),
        explain_in_thread=True,  # words the proposals beside the engine's threaded repair
    )
    session.seconds["read"], session.seconds["read_cpu"] = read, read_cpu
    if analyzer.analysed_count - known >= text_analysis.STORE_AFTER_NEW:
        try:
            text_analysis.store(analyzer)  # for the next process's first round
        except OSError as exc:  # a read-only or full disk costs the next process time only
            log.warning("text analysis not kept: %s", exc)
    if matching_round.parent_id is not None:  # ties keep the preview it changes, as a kept
        session.prefer(  # session would: a restart doesn't reshuffle the pairs
            (str(mentee), str(mentor), str(area))
            for mentee, mentor, area in Proposal.objects.filter(
                round_id=matching_round.parent_id
            ).values_list("mentee__employee_id", "mentor__employee_id", "focus_area_id")
        )
    return sessions.KeptSession(
        session=session,
        data=data,
        stamp=stamp,
        objective=matching_round.objective,
        weights=dict(matching_round.weights),
        pins=list(matching_round.pins),
        forbids=list(matching_round.forbids),
        left_out=list(matching_round.left_out),
    )


def _leave_out(data: dict[str, Any], left_out: set[str]) -> None:
    """Take the focus areas the admin left out of the round out of the instance."""
    if not left_out:
        return
    for mentee in data["mentees"]:
        mentee["focus_areas"] = [a for a in mentee["focus_areas"] if a["id"] not in left_out]
    data["mentees"] = [m for m in data["mentees"] if m["focus_areas"]]


def _fail(matching_round: MatchingRound, message: str) -> None:
    MatchingRound.objects.filter(pk=matching_round.pk, status=RoundStatus.RUNNING).update(
        status=RoundStatus.FAILED, error=message, finished_at=timezone.now(), progress=100,
        progress_text="Failed",
    )  # fmt: skip


def _early_preview(
    matching_round: MatchingRound, kept: sessions.KeptSession
) -> EarlyPreview | None:
    """A writer of the round's first flow while the engine certifies it (see
    ``early_preview``), for rounds of EARLY_PREVIEW_FOCUS_AREAS or more where it may run."""
    areas = sum(len(m["focus_areas"]) for m in kept.data["mentees"])
    if areas < EARLY_PREVIEW_FOCUS_AREAS or not early_writes_allowed():
        return None
    return EarlyPreview(
        lambda assignments: _proposal_rows(
            matching_round, kept, [a.to_dict() for a in assignments]
        ),
        _insert_proposals,
        _check_proposal_keys,
    )


def _check_proposal_keys() -> None:
    """Check the proposals' foreign keys to people and focus areas now (PostgreSQL defers
    them to the commit), not the round's: that check locks the round's row (KEY SHARE), and an
    admin's cancel (FOR UPDATE) would wait for it until the engine is done."""
    table = Proposal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND confrelid <> %s::regclass ORDER BY conname",
            [table, MatchingRound._meta.db_table],
        )
        names = [connection.ops.quote_name(name) for (name,) in cursor.fetchall()]
        if names:
            cursor.execute(f"SET CONSTRAINTS {', '.join(names)} IMMEDIATE")


def _proposal_rows(
    matching_round: MatchingRound, kept: sessions.KeptSession, assignments: list[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """The preview's proposal rows (``PROPOSAL_COLUMNS``) of the engine's assignments."""
    if not kept.person_pks:  # proposals pair enrolled people; a re-solve reuses the ids
        kept.person_pks = dict(
            Enrollment.objects.filter(program=matching_round.program).values_list(
                "person__employee_id", "person_id"
            )
        )
    pk_of = kept.person_pks
    return [
        (
            matching_round.pk, int(a["focus_area"]), pk_of[a["mentee"]], pk_of[a["mentor"]],
            a["score"], a["factors"], a.get("pinned", False),
        )
        for a in assignments
    ]  # fmt: skip


def _store(
    matching_round: MatchingRound,
    kept: sessions.KeptSession,
    result: dict[str, Any],
    stages: dict[str, float],
    cpu: dict[str, float],
    early: EarlyPreview | None = None,
) -> bool:
    """Write the preview; False when the round was cancelled or failed meanwhile. Where an
    early writer wrote these very proposals already, its transaction saves the rest and
    commits; else they are written here."""
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = _proposal_rows(matching_round, kept, result["assignments"])
    saved = partial(
        _save_preview, matching_round, kept, result, rows, stages, cpu, started, cpu_started
    )
    if early is not None and early.finish_with(
        rows, lambda: _still_running(matching_round) and saved()
    ):
        return True
    reused = result["stats"].get("engine_session") == "reused"
    return _store_now(matching_round, kept, rows, reused, saved)


@transaction.atomic
def _store_now(
    matching_round: MatchingRound,
    kept: sessions.KeptSession,
    rows: list[tuple[Any, ...]],
    reused: bool,
    saved: Callable[[], bool],
) -> bool:
    """Write the proposal ``rows`` (copying a re-solved session's unchanged ones from its
    parent's preview) and ``saved()`` the rest, in one transaction; False (nothing written)
    when the round was cancelled or failed meanwhile."""
    if connection.vendor == "postgresql":
        # A preview can always be made again, and a round whose commit a crash lost is failed
        # by the recovery: no need to wait for the disk (the WAL write stays ordered and safe).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
    if not _still_running(matching_round):
        return False  # cancelled (or failed by the recovery) while the engine worked
    pairs = _pairs_by_area(rows)
    if not (reused and _copy_from_parent(matching_round, kept.stored_pairs, pairs, rows)):
        _insert_proposals(rows)
    return saved()


def _still_running(matching_round: MatchingRound) -> bool:
    """Whether the round is still running, its row locked until the transaction ends (a
    cancel waits for the preview, and then finds it)."""
    current = MatchingRound.objects.select_for_update().only("status").get(pk=matching_round.pk)
    return current.status == RoundStatus.RUNNING


def _save_preview(
    matching_round: MatchingRound,
    kept: sessions.KeptSession,
    result: dict[str, Any],
    rows: list[tuple[Any, ...]],
    stages: dict[str, float],
    cpu: dict[str, float],
    started: float,
    cpu_started: float,
) -> bool:
    """Save the round's summary, stages and unmatched focus areas beside its proposals
    ``rows`` (written in this transaction) and mark its preview ready."""
    kept.stored_pairs = _pairs_by_area(rows)
    data = kept.data
    people = {p["id"]: p for p in data["people"]}
    matching_round.stats = round_summary(data, result, people)
    stages["store"] = time.perf_counter() - started
    cpu["store"] = time.process_time() - cpu_started
    matching_round.stats["stages"] = {name: round(value, 3) for name, value in stages.items()}
    matching_round.stats["stages_cpu"] = {name: round(value, 3) for name, value in cpu.items()}
    matching_round.stats["engine_session"] = result["stats"].get("engine_session", "built")
    matching_round.stats["cohort"] = result["stats"].get("cohort", "")  # see _twin
    matching_round.unmatched = result["unmatched"]
    matching_round.status = RoundStatus.READY
    matching_round.progress = 100
    matching_round.progress_text = "Preview ready"
    matching_round.finished_at = timezone.now()
    matching_round.save(
        update_fields=["stats", "unmatched", "status", "progress", "progress_text", "finished_at"]
    )
    return True


PROPOSAL_COLUMNS = (
    "round_id", "focus_area_id", "mentee_id", "mentor_id", "score", "factors", "pinned",
)  # fmt: skip


COPY_AT_MOST_CHANGED = 0.25  # copy a parent's unchanged proposals when at most this share moved


def _pairs_by_area(rows: list[tuple[Any, ...]]) -> dict[int, tuple[int, int, bool]]:
    """Focus area id → its proposal's (mentee, mentor, pinned), from proposal rows (a focus
    area has one proposal in a preview at most)."""
    return {row[1]: (row[2], row[3], row[6]) for row in rows}


def _copy_from_parent(
    matching_round: MatchingRound,
    parent_pairs: dict[int, tuple[int, int, bool]],
    pairs: dict[int, tuple[int, int, bool]],
    rows: list[tuple[Any, ...]],
) -> bool:
    """A re-solve of the parent's kept session changes few pairs: copy the parent's unchanged
    proposals inside the database (same session, so the same scores and factors) and insert
    only the changed ones. False (nothing written) when the parent's preview is not as the
    session stored it (say, deleted meanwhile): then the caller inserts them all."""
    if connection.vendor != "postgresql" or matching_round.parent_id is None or not parent_pairs:
        return False
    if len(pairs) != len(rows):
        return False  # a focus area with two proposals: not a preview this copies
    changed = sorted({area for area, _ in parent_pairs.items() ^ pairs.items()})
    if len(changed) > COPY_AT_MOST_CHANGED * len(pairs):
        return False  # the solver moved most pairs (ties): one COPY of them all costs less
    unchanged = len(pairs.keys() - set(changed))
    table = Proposal._meta.db_table
    columns = ", ".join(PROPOSAL_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, status, decline_note) "
            f"SELECT %s, {columns.removeprefix('round_id, ')}, %s, '' FROM {table} "
            "WHERE round_id = %s AND NOT (focus_area_id = ANY(%s))",
            [matching_round.pk, ProposalStatus.PREVIEW.value, matching_round.parent_id, changed],
        )
        if cursor.rowcount != unchanged:
            cursor.execute(f"DELETE FROM {table} WHERE round_id = %s", [matching_round.pk])
            return False
    changed_set = set(changed)
    _insert_proposals([row for row in rows if row[1] in changed_set])
    return True


def _insert_proposals(rows: list[tuple[Any, ...]]) -> None:
    """Insert preview proposals (``PROPOSAL_COLUMNS``): PostgreSQL's COPY when the database is
    PostgreSQL (a 20,000-pair preview in a fraction of the time of INSERTs), else bulk_create."""
    if connection.vendor != "postgresql":
        Proposal.objects.bulk_create(
            [Proposal(**dict(zip(PROPOSAL_COLUMNS, row, strict=True))) for row in rows],
            batch_size=1000,
        )
        return
    table = Proposal._meta.db_table
    columns = [*PROPOSAL_COLUMNS, "status", "decline_note"]
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    # COPY's text format written by hand, in one piece: psycopg's per-row writer costs more
    # than the database. Ids and floats need no escaping; in the factors' JSON (which has no
    # raw tabs or newlines) only backslashes do.
    tail = f"\t{ProposalStatus.PREVIEW.value}\t\n".encode()
    lines = [
        b"%d\t%d\t%d\t%d\t%r\t%s\t%s%s" % (
            round_id, area_id, mentee_id, mentor_id, float(score),
            orjson.dumps(factors).replace(b"\\", b"\\\\"), b"t" if pinned else b"f", tail,
        )
        for round_id, area_id, mentee_id, mentor_id, score, factors, pinned in rows
    ]  # fmt: skip
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.write(b"".join(lines))


def round_summary(
    data: dict[str, Any], result: dict[str, Any], people: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The figures an admin compares between previews."""
    assignments = result["assignments"]
    scores = [a["score"] for a in assignments]
    demands = sum(len(m["focus_areas"]) for m in data["mentees"])
    load = Counter(a["mentor"] for a in assignments)
    capacity = sum(m["capacity"] for m in data["mentors"])
    cross = sum(
        1 for a in assignments
        if people[a["mentee"]].get("department") != people[a["mentor"]].get("department")
    )  # fmt: skip
    engine = result["stats"]
    return {
        "focus_areas": demands,
        "matched": len(assignments),
        "coverage": len(assignments) / demands if demands else 0.0,
        "mean_score": sum(scores) / len(scores) if scores else 0.0,
        "min_score": min(scores) if scores else 0.0,
        "mentors": len(data["mentors"]),
        "mentors_used": len(load),
        "capacity": capacity,
        "capacity_used": len(assignments) / capacity if capacity else 0.0,
        "max_load": max(load.values()) if load else 0,
        "cross_department": cross / len(assignments) if assignments else 0.0,
        "objective": engine.get("objective"),
        "bound": engine.get("bound"),
        "gap": engine.get("gap"),
        "seconds": engine.get("seconds", {}).get("total"),
        # how the engine got there: its solve rounds (each a flow and a certificate), whether
        # the optimum is proven, and its own stages (what a slow round spent its time on)
        "rounds": engine.get("rounds"),
        "certified": engine.get("certified"),
        # rounds whose flow was repaired (from the last flow, or round 1's from the last
        # auction's assignment), not solved afresh
        "repaired_rounds": engine.get("repaired_rounds", 0),
        "engine_stages": {
            name: round(value, 3)
            for name, value in engine.get("seconds", {}).items()
            if name != "total"
        },
    }


def _ready(matching_round: MatchingRound, verb: str) -> None:
    if matching_round.status != RoundStatus.READY:
        raise ValidationError(NOT_READY.format(verb=verb))


def round_pin(
    *,
    matching_round: MatchingRound,
    by: Person | None,
    mentee: Person,
    focus_area: FocusArea,
    mentor: Person,
) -> MatchingRound:
    """Re-solve with this pair forced in (a new preview; the old one stays for comparison)."""
    _ready(matching_round, "changed")
    program = matching_round.program
    why = pair_problem(
        program=program, mentee=mentee, mentor=mentor, focus_area=focus_area, to_admin=True
    )
    if why is None:
        try:
            enrollment = mentor_enrollment(program, mentor)
        except ValidationError:
            enrollment = None
        if enrollment is None or places_taken(program, mentor) >= enrollment.mentor_capacity:
            why = NOT_A_MENTOR.format(mentor=mentor)
    if why:
        raise ValidationError(CANNOT_PIN.format(mentor=mentor, mentee=mentee, why=why))
    pin = {
        "mentee": mentee.employee_id,
        "focus_area": str(focus_area.pk),
        "mentor": mentor.employee_id,
    }
    pins = [p for p in matching_round.pins if p["focus_area"] != pin["focus_area"]] + [pin]
    forbids = [
        f for f in matching_round.forbids
        if (f["mentee"], f["mentor"]) != (pin["mentee"], pin["mentor"])
    ]  # fmt: skip
    return round_start(
        program=matching_round.program, by=by, objective=matching_round.objective,
        weights=matching_round.weights, pins=pins, forbids=forbids,
        left_out=[a for a in matching_round.left_out if a != pin["focus_area"]],
        request_choices=matching_round.request_choices, parent=matching_round,
    )  # fmt: skip


def round_forbid(
    *,
    matching_round: MatchingRound,
    by: Person | None,
    mentee: Person,
    mentor: Person,
    permanent: bool = False,
) -> MatchingRound:
    """Re-solve without this pair; ``permanent`` also rules it out for the program's future."""
    _ready(matching_round, "changed")
    rule = {"mentee": mentee.employee_id, "mentor": mentor.employee_id}
    if permanent:
        PairExclusion.objects.get_or_create(
            program=matching_round.program,
            mentee=mentee,
            mentor=mentor,
            defaults={"created_by": by},
        )
    pins = [
        p for p in matching_round.pins
        if (p["mentee"], p["mentor"]) != (rule["mentee"], rule["mentor"])
    ]  # fmt: skip
    return round_start(
        program=matching_round.program, by=by, objective=matching_round.objective,
        weights=matching_round.weights, pins=pins, forbids=[*matching_round.forbids, rule],
        left_out=matching_round.left_out, request_choices=matching_round.request_choices,
        parent=matching_round,
    )  # fmt: skip


def round_resolve(
    *, matching_round: MatchingRound, by: Person | None, objective: str, weights: dict[str, Any]
) -> MatchingRound:
    """Re-solve with other weights or another objective, keeping pins and forbids."""
    _ready(matching_round, "re-solved")
    return round_start(
        program=matching_round.program, by=by, objective=objective, weights=weights,
        pins=matching_round.pins, forbids=matching_round.forbids,
        left_out=matching_round.left_out, request_choices=matching_round.request_choices,
        parent=matching_round,
    )  # fmt: skip


def round_leave_out(
    *, matching_round: MatchingRound, by: Person | None, focus_area: FocusArea, out: bool = True
) -> MatchingRound:
    """Re-solve without this focus area (``out``), leaving it to the mentee's open requests,
    or with it again (``out=False``). A new preview; the old one stays for comparison."""
    _ready(matching_round, "changed")
    program = matching_round.program
    if focus_area.enrollment.program_id != program.pk:
        raise ValidationError(NOT_WAITING.format(area=focus_area.title, program=program))
    key = str(focus_area.pk)
    left_out = [a for a in matching_round.left_out if a != key] + ([key] if out else [])
    pins = [p for p in matching_round.pins if not (out and p["focus_area"] == key)]
    return round_start(
        program=program, by=by, objective=matching_round.objective,
        weights=matching_round.weights, pins=pins, forbids=matching_round.forbids,
        left_out=left_out, request_choices=matching_round.request_choices,
        parent=matching_round,
    )  # fmt: skip


class Published(NamedTuple):
    """What publishing did."""

    sent: int
    dropped: int
    requests_withdrawn: int


@transaction.atomic
def round_publish(*, matching_round: MatchingRound, by: Person | None) -> Published:
    """Send the preview's proposals to both people. Pairs that went stale since the preview
    (the focus area found a mentor, the mentor filled up) are dropped, not sent. A proposal
    that crosses the mentee's open request to another mentor is sent only once the admin chose
    what happens to that request (see round_conflicts); nothing is written until all are."""
    # One publish per program at a time, the program's row first: two previews published at
    # once each held its own round and then waited for the other's (publishing supersedes every
    # other preview), a deadlock; serialised, the second finds its preview superseded. (NO KEY
    # UPDATE: rows that only refer to the program, a mentorship accepted meanwhile, don't wait.)
    program_rows = Program.objects.select_for_update(no_key=True)
    list(program_rows.filter(pk=matching_round.program_id).values("pk"))
    matching_round = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
    _ready(matching_round, "published")
    program = matching_round.program
    if not program.is_matching_open():
        raise ValidationError(PROGRAM_NOT_MATCHING.format(program=program))
    # Lock the round's focus areas (in key order) like every other way to give one a mentor.
    list(
        FocusArea.all_objects.select_for_update()
        .filter(proposals__round=matching_round)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # What is true now, not at preview time: places held, areas already served, who is in.
    live = Mentorship.objects.filter(program=program, status__in=HOLDS_CAPACITY)
    pending = Proposal.objects.filter(round__program=program, status=ProposalStatus.SENT)
    served = set(live.values_list("focus_area_id", flat=True)) | set(
        pending.values_list("focus_area_id", flat=True)
    )
    held = Counter(places_used(program.pk))
    held.update(pending.values_list("mentor_id", flat=True))
    active = Enrollment.objects.filter(program=program, status=EnrollmentStatus.ACTIVE)
    capacity = dict(
        active.filter(
            role__in=[Role.MENTOR, Role.BOTH], accepting_requests=True, person__is_active=True
        ).values_list("person_id", "mentor_capacity")
    )
    waiting = set(
        FocusArea.objects.filter(
            enrollment__in=active, enrollment__person__is_active=True
        ).values_list("pk", flat=True)
    )
    proposals = list(matching_round.proposals.select_related("mentor", "mentee", "focus_area"))
    # Pairs ruled out since the preview: exclusions, early endings, a mentor already theirs.
    mentees = {p.mentee_id for p in proposals}
    ruled_out = set(
        PairExclusion.objects.filter(program=program, mentee_id__in=mentees).values_list(
            "mentee_id", "mentor_id"
        )
    )
    ruled_out |= set(
        Mentorship.objects.filter(mentee_id__in=mentees)
        .filter(Q(ended_early=True) | Q(program=program, status__in=HOLDS_CAPACITY))
        .values_list("mentee_id", "mentor_id")
    )
    sending: list[Proposal] = []
    for proposal in proposals:
        mentor_id = proposal.mentor_id
        if (
            (proposal.mentee_id, mentor_id) in ruled_out
            or proposal.focus_area_id in served
            or proposal.focus_area_id not in waiting
            or held[mentor_id] >= capacity.get(mentor_id, 0)
        ):
            proposal.status = ProposalStatus.WITHDRAWN
        else:
            proposal.status = ProposalStatus.SENT
            served.add(proposal.focus_area_id)
            held[mentor_id] += 1
            sending.append(proposal)
    crossed = check_decided(matching_round, sending)  # raises before anything is written
    for proposal in proposals:
        proposal.save(update_fields=["status"])
        if proposal.status == ProposalStatus.SENT:
            notify("proposal_published", proposal)
    withdrawn = withdraw_crossed_requests(matching_round, sending, crossed)
    matching_round.status = RoundStatus.PUBLISHED
    matching_round.published_at = timezone.now()
    matching_round.save(update_fields=["status", "published_at"])
    # Other previews of this program described a world that has just changed.
    MatchingRound.objects.filter(program=program, status=RoundStatus.READY).update(
        status=RoundStatus.SUPERSEDED
    )
    audit_record(
        action=AuditAction.ROUND_PUBLISHED,
        target=matching_round,
        target_label=f"{program.name}: round {matching_round.pk}",
        summary=f"Published round {matching_round.pk} of {program.name}: "
        f"{len(sending)} proposal(s) sent, {len(proposals) - len(sending)} dropped as stale",
        details={
            "program": program.slug,
            "round": matching_round.pk,
            "sent": len(sending),
            "dropped": len(proposals) - len(sending),
            "requests_withdrawn": withdrawn,
        },
    )
    return Published(len(sending), len(proposals) - len(sending), withdrawn)


@transaction.atomic
def proposal_answer(*, proposal: Proposal, by: Person, accept: bool, note: str = "") -> Proposal:
    """Mentee or mentor answers a proposal. Both yes → the mentorship starts. A no frees the
    mentor's place and the mentee is offered the next best mentor at once."""
    # Lock the focus area first: every way of giving it a mentor queues on this one row.
    FocusArea.all_objects.select_for_update().get(pk=proposal.focus_area_id)
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("round__program", "focus_area", "mentee", "mentor")
        .get(pk=proposal.pk)
    )
    if by.pk not in (proposal.mentee_id, proposal.mentor_id):
        raise PermissionDenied(NOT_YOUR_PROPOSAL)
    check_length("note", "The note", note, NOTE_MAX_CHARS)
    if proposal.status != ProposalStatus.SENT:
        raise ValidationError(ALREADY_ANSWERED)
    side = "mentee_accepted" if by.pk == proposal.mentee_id else "mentor_accepted"
    if getattr(proposal, side) is not None:
        raise ValidationError(ALREADY_ANSWERED)
    setattr(proposal, side, accept)
    proposal.answered_at = timezone.now()
    if not accept:
        proposal.status = ProposalStatus.DECLINED
        proposal.decline_note = note.strip()
        proposal.save()
        PairExclusion.objects.get_or_create(
            program=proposal.round.program, mentee=proposal.mentee, mentor=proposal.mentor
        )
        proposal_offer_next(focus_area=proposal.focus_area, matching_round=proposal.round)
        return proposal
    if proposal.mentee_accepted and proposal.mentor_accepted:
        try:
            if not proposal.round.program.is_matching_open():
                raise ValidationError(PROGRAM_NOT_MATCHING.format(program=proposal.round.program))
            why = pair_problem(
                program=proposal.round.program, mentee=proposal.mentee, mentor=proposal.mentor,
                focus_area=proposal.focus_area, to_admin=True,
            )  # fmt: skip
            if why:
                raise ValidationError(why)
            mentorship_start(
                program=proposal.round.program, mentee=proposal.mentee, mentor=proposal.mentor,
                focus_area=proposal.focus_area, source=MentorshipSource.PROPOSAL,
            )  # fmt: skip
        except ValidationError as error:
            # It can no longer happen (the place or the focus area went meanwhile): withdraw
            # it with the reason, instead of leaving it pending and holding a place forever.
            proposal.status = ProposalStatus.WITHDRAWN
            proposal.decline_note = CANNOT_START.format(why=" ".join(error.messages))[:500]
            proposal.save()
            return proposal
        proposal.status = ProposalStatus.ACCEPTED
        proposal.save()
        notify("mentorship_started", proposal)
        focus_area_settled(focus_area=proposal.focus_area, keep_proposal=proposal)
        return proposal
    proposal.save()
    return proposal


def proposal_offer_next(*, focus_area: FocusArea, matching_round: MatchingRound) -> Proposal | None:
    """Propose the best remaining mentor for a focus area that lost its proposal."""
    program = matching_round.program
    data = program_instance(program, InstanceScope(focus_area_ids=[focus_area.pk]))
    if not data["mentees"]:
        return None
    mentee = data["mentees"][0]["id"]
    ranked = rank_mentors(
        Instance.from_dict(data), mentee, str(focus_area.pk), limit=1,
        vectors=program_vectors(program, data),
    )  # fmt: skip
    if not ranked:
        return None
    best = ranked[0]
    proposal = Proposal.objects.create(
        round=matching_round,
        focus_area=focus_area,
        mentee=focus_area.enrollment.person,
        mentor=Person.objects.get(employee_id=best["mentor"]),
        score=best["score"],
        factors=best["factors"],
        status=ProposalStatus.SENT,
    )
    notify("proposal_published", proposal)
    return proposal


def rounds_recover(
    *, worker_ids: set[str], now: datetime.datetime | None = None, **_: object
) -> int:
    """Fail the rounds whose worker died (or that show no sign of life for long), so the
    program can run rounds again. Connected to ``outbox.signals.workers_lost``."""
    now = now or timezone.now()
    stuck = MatchingRound.objects.filter(status=RoundStatus.RUNNING).filter(
        Q(worker_id__in=[w for w in worker_ids if w])
        | Q(worker_id="", heartbeat_at__lt=now - ROUND_STALE)
    )
    return stuck.update(
        status=RoundStatus.FAILED, error=WORKER_STOPPED, finished_at=now, progress=100,
        progress_text="Failed",
    )  # fmt: skip


@transaction.atomic
def round_cancel(*, matching_round: MatchingRound, by: Person | None) -> MatchingRound:
    """A program admin stops a queued or running round (say, stuck after a crash); the
    program can run a new round at once. A worker still solving it discards its result."""
    locked = MatchingRound.objects.select_for_update().get(pk=matching_round.pk)
    if locked.status not in (RoundStatus.QUEUED, RoundStatus.RUNNING):
        raise ValidationError(NOT_WORKING.format(status=locked.get_status_display().lower()))
    locked.status = RoundStatus.FAILED
    locked.error = CANCELLED.format(who=by.full_name if by else "a site admin")
    locked.finished_at = timezone.now()
    locked.progress = 100
    locked.progress_text = "Cancelled"
    locked.save(update_fields=["status", "error", "finished_at", "progress", "progress_text"])
    return locked
