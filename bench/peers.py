"""The benchmark's peers, one per subprocess: `python bench/peers.py PEER ...`.

Each peer reads its input, times its own work, and writes a JSON report with the assignment it
found as (unit, mentor) index pairs into the shared pair table (see `PairTable`). The driver,
`bench/matching.py`, measures wall time and peak memory of the whole process from outside and
scores every assignment with the same pair scores, so totals are comparable.

Peers:
- `scores`: runs the engine once with `return_pair_scores` and writes the pair table (untimed
  preparation; it is what the other peers are given for free).
- `ours`: the engine end to end, instance JSON in, result dict out.
- `dense`: scipy `linear_sum_assignment` on a units x mentor-slots matrix.
- `hospital_resident`: `matching.games.HospitalResident` (daffidwilde/matching).
- `greedy`: best pair first, while capacity and the one-mentor-per-focus-area and
  no-same-mentor-twice rules allow.
(`bench/peer_mentor_match.py` runs the mentor-match peer in its own virtualenv.)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

if __package__ in (None, ""):  # run as a script: import from the repository root instead of
    # bench/, where this file's folder would shadow packages (bench/matching.py vs `matching`).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    if os.environ.get("BENCH_CODE_SNAPSHOT"):  # a frozen copy of mentorbridge/ (see matching.py)
        sys.path.insert(0, os.environ["BENCH_CODE_SNAPSHOT"])

DENSE_LIMIT_BYTES = 8 * 1024**3
EXACT_LIMIT_PAIRS = 40_000_000  # arcs for the exact reference (about 3 GB in OR-Tools)


@dataclass
class PairTable:
    """Eligible (unit, mentor) pairs with the engine's scores.

    A unit is one (mentee, focus area) demand; it wants one mentor. Mentor slots are
    `capacity[j]` copies of mentor j (0 for mentors who opted out).
    """

    unit_mentee: NDArray[np.str_]
    unit_area: NDArray[np.str_]
    mentor_ids: NDArray[np.str_]
    capacity: NDArray[np.int64]
    pair_unit: NDArray[np.int64]
    pair_mentor: NDArray[np.int64]
    pair_score: NDArray[np.float64]

    @property
    def n_units(self) -> int:
        """Number of (mentee, focus area) units."""
        return len(self.unit_mentee)

    @property
    def n_slots(self) -> int:
        """Total mentor capacity."""
        return int(self.capacity.sum())

    def save(self, path: Path) -> None:
        """Write the table as a compressed-free .npz (fast to load)."""
        np.savez(path, **{k: getattr(self, k) for k in self.__dataclass_fields__})

    @classmethod
    def load(cls, path: Path) -> PairTable:
        """Read a table written by `save`."""
        with np.load(path) as data:
            return cls(**{k: data[k] for k in cls.__dataclass_fields__})

    def mentee_codes(self) -> NDArray[np.int64]:
        """An integer per unit naming its mentee (for the no-same-mentor-twice rule)."""
        _, codes = np.unique(self.unit_mentee, return_inverse=True)
        return codes.astype(np.int64)


def _report(out: Path, report: dict[str, Any]) -> None:
    out.write_text(json.dumps(report), encoding="utf-8")


def _pairs_report(
    units: NDArray[np.int64], mentors: NDArray[np.int64], seconds: float, **extra: Any
) -> dict[str, Any]:
    return {
        "status": "ok",
        "seconds": seconds,
        "units": units.astype(np.int64).tolist(),
        "mentors": mentors.astype(np.int64).tolist(),
        **extra,
    }


# --- the engine -------------------------------------------------------------------------------


def run_scores(instance_path: Path, out: Path, table_path: Path) -> None:
    """Run the engine with pair scores on and write the `PairTable` (and a JSON copy for
    mentor-match when the instance is small)."""
    from bench.engine_adapter import pair_table_from_engine

    started = time.perf_counter()
    table, summary = pair_table_from_engine(instance_path)
    table.save(table_path)
    if table.n_units <= 5000:
        json_path = table_path.with_suffix(".json")
        json_path.write_text(
            json.dumps({k: getattr(table, k).tolist() for k in table.__dataclass_fields__}),
            encoding="utf-8",
        )
    _report(out, {"status": "ok", "seconds": time.perf_counter() - started, **summary})


def run_ours(instance_path: Path, out: Path) -> None:
    """Engine end to end: read the instance JSON, solve, build the result dict."""
    from bench.engine_adapter import solve_instance_file

    started = time.perf_counter()
    assignments, stats = solve_instance_file(instance_path)
    seconds = time.perf_counter() - started
    _report(out, {"status": "ok", "seconds": seconds, "assignments": assignments, "stats": stats})


# --- the peers on the pair table --------------------------------------------------------------


def run_dense(table: PairTable, out: Path, instance_path: Path | None = None) -> None:
    """scipy `linear_sum_assignment` on a units x mentor-slots score matrix (maximised).

    The matrix is filled from the engine's full score function (every eligible pair, not only
    the shortlist) when the engine exposes it, else from the pair table. Ineligible cells hold
    0: scores are non-negative, so an assignment there is the same as leaving the unit
    unmatched, and it is dropped afterwards. A matrix cannot say "not the same mentor for two
    focus areas of one mentee"; the driver counts such violations.
    """
    from scipy.optimize import linear_sum_assignment

    needed = table.n_units * table.n_slots * 8
    if needed > DENSE_LIMIT_BYTES:
        _report(out, {"status": "skipped", "reason": f"would need {needed / 1024**3:.0f} GB"})
        return
    started = time.perf_counter()
    slot_mentor = np.repeat(np.arange(len(table.capacity)), table.capacity)
    slot_start = np.concatenate([[0], np.cumsum(table.capacity)])[:-1]
    matrix = np.zeros((table.n_units, table.n_slots))
    source = "pair table"
    scoring = 0.0
    blocks = _full_score_blocks(instance_path)
    if blocks is not None:
        source = "engine score function, all eligible pairs"
        open_mentors = np.flatnonzero(table.capacity > 0)
        for lo, block in blocks:
            sub = block[:, open_mentors]
            sub = np.where(np.isnan(sub), 0.0, sub + 1e-9)
            for copy in range(int(table.capacity.max(initial=0))):
                js = open_mentors[table.capacity[open_mentors] > copy]
                keep = table.capacity[open_mentors] > copy
                matrix[lo : lo + len(block), slot_start[js] + copy] = sub[:, keep]
        scoring = time.perf_counter() - started
    else:
        for copy in range(int(table.capacity.max(initial=0))):
            has = table.capacity[table.pair_mentor] > copy
            matrix[table.pair_unit[has], slot_start[table.pair_mentor[has]] + copy] = (
                table.pair_score[has] + 1e-9
            )
    solving = time.perf_counter()
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    keep = matrix[rows, cols] > 0
    scores = matrix[rows[keep], cols[keep]] - 1e-9
    seconds = time.perf_counter() - started
    report = _pairs_report(rows[keep], slot_mentor[cols[keep]], seconds, scores=scores.tolist())
    report["source"] = source
    report["scoring_seconds"] = round(scoring, 2)
    report["lsa_seconds"] = round(time.perf_counter() - solving, 2)
    _report(out, report)


def run_exact_flow(table: PairTable, out: Path, instance_path: Path) -> None:
    """Exact reference: max-score assignment over *all* eligible pairs, same rules as the engine.

    An independent OR-Tools min-cost flow: source -> unit (1) -> mentor (1) -> sink (capacity),
    where a mentee with several focus areas goes through one (mentee, mentor) node of capacity
    1, so no mentee gets the same mentor twice; a free source -> sink arc lets units stay
    unmatched. Integer scores from the engine's score function make the optimum exact.
    """
    from ortools.graph.python import min_cost_flow

    from bench.engine_adapter import full_score_units

    cells = table.n_units * int((table.capacity > 0).sum())
    if cells > EXACT_LIMIT_PAIRS:
        _report(out, {"status": "skipped", "reason": f"skipped: {cells:,} candidate pairs"})
        return
    started = time.perf_counter()
    scale, blocks = full_score_units(instance_path)
    parts_u, parts_j, parts_s = [], [], []
    for lo, block in blocks:
        r, j = np.nonzero(block >= 0)
        parts_u.append((r + lo).astype(np.int64))
        parts_j.append(j.astype(np.int64))
        parts_s.append(block[r, j].astype(np.int64))
    units = np.concatenate(parts_u)
    mentors = np.concatenate(parts_j)
    scores = np.concatenate(parts_s)
    open_ = table.capacity[mentors] > 0
    units, mentors, scores = units[open_], mentors[open_], scores[open_]
    scoring = time.perf_counter() - started

    n_units, n_mentors = table.n_units, len(table.capacity)
    mentee = table.mentee_codes()
    areas = np.bincount(mentee)[mentee]  # focus areas of each unit's mentee
    source, sink, unit0, mentor0 = 0, 1, 2, 2 + n_units
    via = areas[units] > 1
    key = mentee[units[via]] * n_mentors + mentors[via]
    pair_keys, pair_of = np.unique(key, return_inverse=True)
    pair0 = mentor0 + n_mentors
    direct = ~via
    tails = [
        np.full(n_units, source), unit0 + units[direct], unit0 + units[via],
        pair0 + np.arange(len(pair_keys)), mentor0 + np.arange(n_mentors), np.array([source]),
    ]  # fmt: skip
    heads = [
        unit0 + np.arange(n_units), mentor0 + mentors[direct], pair0 + pair_of,
        mentor0 + pair_keys % n_mentors, np.full(n_mentors, sink), np.array([sink]),
    ]  # fmt: skip
    caps = [
        np.ones(n_units), np.ones(direct.sum()), np.ones(via.sum()), np.ones(len(pair_keys)),
        table.capacity, np.array([n_units]),
    ]  # fmt: skip
    costs = [
        np.zeros(n_units), -scores[direct], -scores[via], np.zeros(len(pair_keys)),
        np.zeros(n_mentors), np.zeros(1),
    ]  # fmt: skip
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        *(np.concatenate(x).astype(np.int64) for x in (tails, heads, caps, costs))
    )
    flow.set_nodes_supplies(np.array([source, sink]), np.array([n_units, -n_units]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        _report(out, {"status": "error", "reason": f"min-cost flow status {status}"})
        return
    used = flow.flows(arcs)
    lo = n_units
    direct_used = used[lo : lo + int(direct.sum())] > 0
    lo += int(direct.sum())
    via_used = used[lo : lo + int(via.sum())] > 0
    chosen_units = np.concatenate([units[direct][direct_used], units[via][via_used]])
    chosen_mentors = np.concatenate([mentors[direct][direct_used], mentors[via][via_used]])
    chosen_scores = np.concatenate([scores[direct][direct_used], scores[via][via_used]]) / scale
    seconds = time.perf_counter() - started
    report = _pairs_report(chosen_units, chosen_mentors, seconds, scores=chosen_scores.tolist())
    report["source"] = "engine score function, all eligible pairs"
    report["scoring_seconds"] = round(scoring, 2)
    report["flow_seconds"] = round(seconds - scoring, 2)
    report["optimum"] = -flow.optimal_cost() / scale
    report["eligible_pairs"] = len(scores)
    _report(out, report)


def _full_score_blocks(instance_path: Path | None) -> Any:
    """The engine's full score blocks, or None when there is no instance or no such function."""
    if instance_path is None:
        return None
    try:
        from bench.engine_adapter import full_score_rows

        return full_score_rows(instance_path)
    except ImportError:
        return None


def run_greedy(table: PairTable, out: Path) -> None:
    """Best pair first; take it if the unit is free, the mentor has room, and the mentee does not
    already have this mentor for another focus area."""
    started = time.perf_counter()
    order = np.argsort(-table.pair_score, kind="stable")
    mentee = table.mentee_codes()
    left = table.capacity.copy().tolist()
    unit_free = np.ones(table.n_units, dtype=bool).tolist()
    taken: set[tuple[int, int]] = set()
    units: list[int] = []
    mentors: list[int] = []
    for u, j in zip(
        table.pair_unit[order].tolist(), table.pair_mentor[order].tolist(), strict=True
    ):
        if not unit_free[u] or left[j] <= 0 or (mentee[u], j) in taken:
            continue
        unit_free[u] = False
        left[j] -= 1
        taken.add((mentee[u], j))
        units.append(u)
        mentors.append(j)
    seconds = time.perf_counter() - started
    _report(out, _pairs_report(np.array(units), np.array(mentors), seconds))


def run_hospital_resident(table: PairTable, out: Path) -> None:
    """Resident-optimal stable matching (daffidwilde/matching) with preferences by score."""
    try:
        from matching.games import HospitalResident
    except ImportError as exc:
        _report(out, {"status": "error", "reason": f"matching not installed: {exc}"})
        return
    import warnings

    started = time.perf_counter()
    order = np.lexsort((-table.pair_score, table.pair_unit))
    resident_prefs: dict[str, list[str]] = {}
    for u, j in zip(
        table.pair_unit[order].tolist(), table.pair_mentor[order].tolist(), strict=True
    ):
        resident_prefs.setdefault(f"u{u}", []).append(f"m{j}")
    order = np.lexsort((-table.pair_score, table.pair_mentor))
    hospital_prefs: dict[str, list[str]] = {f"m{j}": [] for j in range(len(table.capacity))}
    for u, j in zip(
        table.pair_unit[order].tolist(), table.pair_mentor[order].tolist(), strict=True
    ):
        hospital_prefs[f"m{j}"].append(f"u{u}")
    capacities = {f"m{j}": int(c) for j, c in enumerate(table.capacity.tolist())}
    hospital_prefs = {h: p for h, p in hospital_prefs.items() if p and capacities[h] > 0}
    capacities = {h: capacities[h] for h in hospital_prefs}
    live = set(hospital_prefs)
    resident_prefs = {r: [h for h in p if h in live] for r, p in resident_prefs.items()}
    resident_prefs = {r: p for r, p in resident_prefs.items() if p}

    def play() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(
                resident_prefs, hospital_prefs, capacities, clean=False
            )
            return game.solve(optimal="resident")

    # The library deep-copies its player graph (players point at each other through their
    # preference lists), which recurses once per player: give it a deep stack.
    matching = _with_deep_stack(play)
    units: list[int] = []
    mentors: list[int] = []
    for hospital, residents in matching.items():
        for resident in residents:
            units.append(int(resident.name[1:]))
            mentors.append(int(hospital.name[1:]))
    seconds = time.perf_counter() - started
    _report(out, _pairs_report(np.array(units), np.array(mentors), seconds))


def _with_deep_stack(work: Any) -> Any:
    import threading

    sys.setrecursionlimit(10_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


PEERS = {"greedy": run_greedy, "hospital_resident": run_hospital_resident}


def main(argv: list[str] | None = None) -> int:
    """Command line: run one peer and write its JSON report."""
    parser = argparse.ArgumentParser(description="Run one benchmark peer.")
    parser.add_argument("peer", choices=["scores", "ours", "exact", "dense", *PEERS])
    parser.add_argument("--instance", type=Path)
    parser.add_argument("--table", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.peer == "scores":
        run_scores(args.instance, args.out, args.table)
    elif args.peer == "ours":
        run_ours(args.instance, args.out)
    elif args.peer == "exact":
        run_exact_flow(PairTable.load(args.table), args.out, args.instance)
    elif args.peer == "dense":
        run_dense(PairTable.load(args.table), args.out, args.instance)
    else:
        PEERS[args.peer](PairTable.load(args.table), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
