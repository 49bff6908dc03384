"""A full round of 20,000 mentees × 6,000 mentors from the database to a stored preview.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench \
        .venv/bin/python bench/round_from_db.py [--objective fair]

Uses the 50,000-person organisation of ``bench/suggestions.py`` (built if missing) and a second
program in it, built once: the 6,000 most senior people as mentors (capacity 1–3) and 20,000
others as mentees with one focus area each. Then this process starts as a worker does
(``outbox.signals.worker_starting``: the matching engine and its compiled kernels are loaded
before the first task; its time is printed) and makes each call as the app and its worker do:
the call queues the round in its transaction, and the round then runs in this process as the
worker runs its task (outside any transaction): a round from the database (``round_start``),
a pin on its preview (``round_pin``, which re-solves the kept engine session) and a forbid on
the pinned preview (``round_forbid``). For each: the whole call's wall time, its stages as the
round recorded them (read, build, solve, store; or reuse, solve, store), peak RSS and the load
average when it started, and the CPU seconds (user + system) of this process and of its
PostgreSQL backend during the call (not of the early writer's own connection), and the
engine's solve rounds and own stages (features, score, shortlist, solve, certify, explain).
Prints a table and writes ``bench/results/round-from-db-<time>.json``. ``--dump PATH`` also
writes the engine instance the round built (the JSON the engine's CLI reads) to PATH.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import itertools

from bench.suggestions import (
    ORG_SEED,
    build_program,
    ensure_people,
    log,
    setup_django,
    write_results,
)

PROGRAM_SLUG = "bench-round-20000x6000"
PROGRAM_NAME = "Bench Round 20000x6000"
MENTEES = 20_000
MENTORS = 6_000


def rss_mb() -> float:
    """Current resident set size of this process (Linux /proc), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakSampler:
    """Samples this process's RSS every 50 ms: the peak during the round, unlike ru_maxrss,
    is not hidden by whatever the process did before."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self._stop.wait(0.05)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def cpu_s() -> float:
    """CPU seconds (user + system) this process used so far, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def db_cpu_s() -> float | None:
    """CPU seconds (user + system) this connection's PostgreSQL backend used so far, read from
    /proc (the server runs on this machine); None when it cannot be read."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _timed_round(label: str, call: Any) -> dict[str, Any]:
    """Run one round-making call synchronously; its wall time, CPU seconds (this process and
    its database backend), peak RSS and stage seconds."""
    before = rss_mb()
    load = os.getloadavg()[0]
    db_before = db_cpu_s()
    with PeakSampler() as sampler:
        cpu_before = cpu_s()
        started = time.perf_counter()
        matching_round = call()
        total = time.perf_counter() - started
        cpu = cpu_s() - cpu_before
    db_after = db_cpu_s()
    db_cpu = db_after - db_before if db_before is not None and db_after is not None else None
    if matching_round.status != "ready":
        raise SystemExit(f"{label}: round {matching_round.status}: {matching_round.error}")
    stats = matching_round.stats
    return {
        "what": label,
        "round": matching_round.pk,
        "total_s": total,
        "cpu_s": cpu,
        "db_cpu_s": db_cpu,
        "stages_s": stats.get("stages", {}),
        "stages_cpu_s": stats.get("stages_cpu", {}),
        "engine_session": stats.get("engine_session"),
        "engine_s": stats.get("seconds"),
        "rss_before_mb": before,
        "peak_rss_mb": sampler.peak,
        "load_average": load,
        "proposals": stats["matched"],
        "focus_areas": stats["focus_areas"],
        "capacity": stats["capacity"],
        "coverage": stats["coverage"],
        "gap": stats["gap"],
        "objective": stats["objective"],
        "rounds": stats.get("rounds"),
        "repaired_rounds": stats.get("repaired_rounds"),
        "engine_stages_s": stats.get("engine_stages", {}),
        "matching_round": matching_round,
    }


def _as_worker(start: Any) -> Any:
    """Queue a round by ``start()`` (as the app does; the task it queues is held here, not
    written) and run it as the worker runs the task: in this process, outside the start's
    transaction (a preview then writes its proposals while the engine certifies them, see
    ``matching.services.early_preview``). Returns the round as it ended."""
    from mentorbridge.matching.services import rounds

    queued: list[int] = []

    class Held:
        @staticmethod
        def enqueue(*, round_id: int) -> None:
            queued.append(round_id)

    task, rounds.run_round_task = rounds.run_round_task, Held  # type: ignore[assignment]
    try:
        started = start()
    finally:
        rounds.run_round_task = task
    if not queued:  # a round small enough runs in the request itself
        return started
    (round_id,) = queued
    return rounds.round_run(rounds.MatchingRound.objects.get(pk=round_id), worker_id="bench")


def _pin_candidate(matching_round: Any) -> tuple[Any, Any, Any]:
    """A proposal's mentee and focus area with another mentor of the preview it may have."""
    from mentorbridge.matching.rules import pair_problem

    program = matching_round.program
    proposals = list(
        matching_round.proposals.select_related("mentee", "mentor", "focus_area").order_by("pk")[
            :200
        ]
    )
    for first, other in itertools.pairwise(proposals):
        if first.mentee_id == other.mentee_id or first.mentor_id == other.mentor_id:
            continue
        if pair_problem(
            program=program, mentee=first.mentee, mentor=other.mentor, focus_area=first.focus_area
        ):
            continue
        return first.mentee, first.focus_area, other.mentor
    raise SystemExit("no pair to pin among the first 200 proposals")


def _maybe(value: float | None) -> str:
    return "?" if value is None else f"{value:.1f}"


def _maybe_int(value: int | None) -> str:
    return "?" if value is None else str(value)


def _dump_instance(matching_round: Any, path: Path) -> None:
    """Write the instance the round's kept engine session was built from (the engine's JSON
    instance format, as its CLI reads it)."""
    import orjson

    from mentorbridge.matching import sessions

    kept = sessions.peek(matching_round.pk)
    if kept is None:
        raise SystemExit(f"round {matching_round.pk} kept no engine session to dump")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(kept.data))
    log(f"wrote the round's engine instance to {path} ({path.stat().st_size / 2**20:.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--dump", type=Path, help="also write the round's engine instance (JSON) to this file"
    )
    parser.add_argument(
        "--objective",
        default="total",
        choices=("total", "coverage", "fair"),  # the objectives a round offers
        help="the round's objective (default: total)",
    )
    args = parser.parse_args()
    setup_django()

    from mentorbridge.matching.models import MatchingRound
    from mentorbridge.matching.services import rounds

    ensure_people()
    # One focus area per mentee; capacity 1–3 tilted high: 6,000 mentors cannot offer 20,000
    # places (at most 18,000), so the round is mentor-scarce, as real programs usually are.
    program = build_program(
        slug=PROGRAM_SLUG,
        name=PROGRAM_NAME,
        mentors=MENTORS,
        mentees=MENTEES,
        areas_per_mentee=(1,),
        capacities=(1, 2, 3, 3, 3),
        seed=ORG_SEED + 1,
        status="matching",
    )
    # Fresh bulk-loaded tables have no planner statistics yet (autovacuum gathers them in a
    # while on a live site); without them PostgreSQL plans the cohort's joins as for one row.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if args.build_only:
        return
    # Earlier runs' previews hold no places (only sent proposals do), but keep the table small.
    MatchingRound.objects.filter(program=program).delete()
    if connection.vendor == "postgresql":
        # and without their dead rows: where autovacuum is off (as on the CI machine) each run
        # left 43,000 behind in the previews' table and its seven indexes
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) matching_proposal")
    admin = program.admins.first()

    # as `manage.py run_worker` does before its first task (the engine loaded, not the cohort)
    from mentorbridge.outbox.management.commands.run_worker import Command as WorkerCommand
    from mentorbridge.outbox.signals import worker_starting

    started = time.perf_counter()
    worker_starting.send(sender=WorkerCommand, worker_id="bench")
    log(f"worker start (engine loaded): {time.perf_counter() - started:.1f} s")
    log(f"{MENTEES} mentees × {MENTORS} mentors: a round from the database…")
    first = _timed_round(
        "round from the database",
        lambda: _as_worker(
            lambda: rounds.round_start(program=program, by=admin, objective=args.objective)
        ),
    )
    if args.dump:
        _dump_instance(first["matching_round"], args.dump)
    mentee, area, mentor = _pin_candidate(first["matching_round"])
    log("pin on the preview…")
    pinned = _timed_round(
        "pin",
        lambda: _as_worker(
            lambda: rounds.round_pin(
                matching_round=first["matching_round"], by=admin, mentee=mentee,
                focus_area=area, mentor=mentor,
            )
        ),
    )  # fmt: skip
    log("forbid on the pinned preview…")
    forbidden = _timed_round(
        "forbid",
        lambda: _as_worker(
            lambda: rounds.round_forbid(
                matching_round=pinned["matching_round"], by=admin, mentee=mentee, mentor=mentor
            )
        ),
    )
    runs = [first, pinned, forbidden]
    print()
    print(f"Rounds from the database, {MENTEES:,} mentees × {MENTORS:,} mentors, PostgreSQL")
    header = (
        f"{'what':<24} {'total s':>8} {'CPU s':>6} {'DB CPU':>6} {'session':>8} {'peak MB':>8} "
        f"{'load':>5} "
        f"{'proposals':>9} {'gap':>9} {'rounds':>6} {'repaired':>8}  stages: wall s (CPU s)"
    )
    print(header)
    print("-" * (len(header) + 30))
    for run in runs:
        cpu = run["stages_cpu_s"]
        stages = ", ".join(
            f"{k} {v:.1f}" + (f" ({cpu[k]:.1f})" if k in cpu else "")
            for k, v in run["stages_s"].items()
        )
        print(
            f"{run['what']:<24} {run['total_s']:>8.1f} {run['cpu_s']:>6.1f} "
            f"{_maybe(run['db_cpu_s']):>6} {run['engine_session']:>8} "
            f"{run['peak_rss_mb']:>8.0f} {run['load_average']:>5.1f} {run['proposals']:>9,} "
            f"{run['gap']:>9.2e} {_maybe_int(run['rounds']):>6} "
            f"{_maybe_int(run['repaired_rounds']):>8}  {stages}"
        )
        engine = run["engine_stages_s"]
        if engine:
            print(f"{'':<24} engine: " + ", ".join(f"{k} {v:.1f}" for k, v in engine.items()))
    print(
        "(CPU s: this process, user + system; DB CPU: its PostgreSQL backend; rounds: the "
        "engine's solve rounds (a flow and a certificate each), repaired: those whose flow was "
        "the last one repaired; engine: its own stages in wall "
        "s; "
        f"peak MB: process RSS sampled every 50 ms during the call; load: 1-minute load "
        f"average when the call started, on {os.cpu_count()} CPUs; targets: round <= 12 s, "
        "pin and forbid <= 3 s)"
    )
    write_results(
        "round-from-db",
        {
            "mentees": MENTEES,
            "mentors": MENTORS,
            "runs": [{k: v for k, v in run.items() if k != "matching_round"} for run in runs],
            "round_stats": first["matching_round"].stats,
        },
    )


if __name__ == "__main__":
    main()
