"""A full round of 20,000 mentees × 6,000 mentors from the database to a stored preview.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorbridge_bench \
        .venv/bin/python bench/round_from_db.py

Uses the 50,000-person organisation of ``bench/suggestions.py`` (built if missing) and a second
program in it, built once: the 6,000 most senior people as mentors (capacity 1–3) and 20,000
others as mentees with one focus area each. Then it creates a ``MatchingRound`` and runs
``round_run`` synchronously, timing the whole call and its parts: reading the cohort
(``adapter.program_instance``), the engine (the round's own ``stats["seconds"]``) and storing the
preview (``rounds._store``). Prints a table and writes ``bench/results/round-from-db-<time>.json``.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    setup_django()

    from mentorbridge.matching.models import MatchingRound, Proposal
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
    if args.build_only:
        return
    # Earlier runs' previews hold no places (only sent proposals do), but keep the table small.
    MatchingRound.objects.filter(program=program).delete()

    parts: dict[str, float] = {}

    def timed(name: str, function: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    engine_stages: dict[str, Any] = {}

    def store(matching_round: Any, data: Any, result: dict[str, Any]) -> None:
        engine_stages.update(result.get("stats", {}).get("seconds", {}))
        original_store(matching_round, data, result)

    original_instance, original_store = rounds.program_instance, rounds._store
    rounds.program_instance = timed("adapter", original_instance)  # type: ignore[assignment]
    rounds._store = timed("store", store)  # type: ignore[assignment]
    matching_round = MatchingRound.objects.create(program=program, objective="total")
    log(f"round {matching_round.pk}: {MENTEES} mentees × {MENTORS} mentors, solving…")
    before = rss_mb()
    try:
        with PeakSampler() as sampler:
            started = time.perf_counter()
            matching_round = rounds.round_run(matching_round)
            total = time.perf_counter() - started
    finally:
        rounds.program_instance, rounds._store = original_instance, original_store
    if matching_round.status != "ready":
        raise SystemExit(f"round {matching_round.status}: {matching_round.error}")
    stats = matching_round.stats
    engine = float(stats["seconds"])
    proposals = Proposal.objects.filter(round=matching_round).count()
    row = {
        "total_s": total,
        "adapter_s": parts.get("adapter", 0.0),
        "engine_s": engine,
        "store_s": parts.get("store", 0.0),
        "other_s": total - parts.get("adapter", 0.0) - engine - parts.get("store", 0.0),
        "rss_before_mb": before,
        "peak_rss_mb": sampler.peak,
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "proposals": proposals,
        "focus_areas": stats["focus_areas"],
        "capacity": stats["capacity"],
        "coverage": stats["coverage"],
        "mean_score": stats["mean_score"],
        "gap": stats["gap"],
        "bound": stats["bound"],
        "objective": stats["objective"],
    }
    print()
    print(f"Round from the database, {MENTEES:,} mentees × {MENTORS:,} mentors, PostgreSQL")
    header = (
        f"{'total s':>8} {'adapter s':>9} {'engine s':>8} {'store s':>7} {'other s':>7} "
        f"{'peak MB':>8} {'proposals':>9} {'places':>7} {'coverage':>8} {'gap':>10}"
    )
    print(header)
    print("-" * len(header))
    gap = "—" if row["gap"] is None else f"{row['gap']:.2e}"
    print(
        f"{row['total_s']:>8.1f} {row['adapter_s']:>9.1f} {row['engine_s']:>8.1f} "
        f"{row['store_s']:>7.1f} {row['other_s']:>7.1f} {row['peak_rss_mb']:>8.0f} "
        f"{row['proposals']:>9,} {row['capacity']:>7,} {row['coverage']:>8.1%} {gap:>10}"
    )
    stages = ", ".join(f"{name} {float(value):.1f}" for name, value in engine_stages.items())
    print(f"engine stages (s): {stages}")
    print(
        f"(peak MB: process RSS sampled every 50 ms during round_run; {before:.0f} MB before; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    write_results(
        "round-from-db",
        {
            "mentees": MENTEES,
            "mentors": MENTORS,
            "round": matching_round.pk,
            **row,
            "engine_stages_s": engine_stages,
            "round_stats": stats,
        },
    )


if __name__ == "__main__":
    main()
