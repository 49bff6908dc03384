"""The only place the benchmark touches the matching engine.

- `solve_instance_file`: the engine end to end through its public API (`Instance`, `solve`).
- `pair_table_from_engine`: the engine's own sparse eligible-pair scores
  (`options.return_pair_scores`), as a `PairTable` indexed like the engine's model (units =
  (mentee, focus area) demands with mentees sorted by id; mentors sorted by id).
- `full_score_rows`: every eligible pair's score, block by block, from the engine's score
  function; the dense peer uses it so that it optimises over *all* pairs, not only the
  shortlist the engine kept.

Scores are the engine's integer pair scores divided by its scale (so in [0, 1]).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bench.peers import PairTable

STAT_KEYS = ("objective", "bound", "gap", "solver", "status", "peak_memory_mb", "matched")


def _load_instance(path: Path) -> Any:
    from mentorbridge.matching_engine.instance import Instance

    return Instance.from_json_file(path)


def solve_instance_file(path: Path) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """Read an instance file, solve it, return (assignments, stats) from `result.to_dict()`."""
    from mentorbridge.matching_engine import solve

    result = solve(_load_instance(path)).to_dict()
    assignments = [
        {"mentee": a["mentee"], "focus_area": a["focus_area"], "mentor": a["mentor"]}
        for a in _assignments_of(result)
    ]
    return assignments, _stats_of(result)


def _assignments_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    for key in ("assignments", "matches", "pairs"):
        if isinstance(result.get(key), list):
            return list(result[key])
    raise KeyError(f"no assignment list in the engine result (keys: {sorted(result)})")


def _stats_of(result: dict[str, Any]) -> dict[str, Any]:
    stats = dict(result.get("stats") or {})
    out = {k: stats[k] for k in STAT_KEYS if k in stats}
    stages = stats.get("seconds") or stats.get("stage_seconds") or stats.get("stages") or {}
    if isinstance(stages, dict):
        out["stages"] = {k: float(v) for k, v in stages.items() if isinstance(v, int | float)}
    out["raw"] = {k: v for k, v in stats.items() if not isinstance(v, list | dict)}
    return out


def _model_index(instance: Any) -> tuple[Any, dict[tuple[str, str], int], dict[str, int]]:
    from mentorbridge.matching_engine.model import compile_model

    model = compile_model(instance)
    units = {model.demand_label(d): d for d in range(model.n_demands)}
    return model, units, dict(model.mentor_index)


def _pair_scores_of(result: dict[str, Any]) -> list[Any]:
    for key in ("pair_scores", "scores"):
        if isinstance(result.get(key), list):
            return list(result[key])
    raise KeyError(f"no pair_scores in the engine result (keys: {sorted(result)})")


def pair_table_from_engine(path: Path) -> tuple[PairTable, dict[str, Any]]:
    """Run the engine with `return_pair_scores` and return its scores as a PairTable."""
    from mentorbridge.matching_engine import solve

    started = time.perf_counter()
    instance = _load_instance(path).with_options(return_pair_scores=True)
    result = solve(instance).to_dict()
    seconds = time.perf_counter() - started
    model, unit_of, mentor_of = _model_index(instance)
    units: list[int] = []
    mentors: list[int] = []
    scores: list[float] = []
    for entry in _pair_scores_of(result):
        if isinstance(entry, dict):
            mentee, area, mentor, score = (
                entry["mentee"], entry["focus_area"], entry["mentor"], entry["score"]
            )  # fmt: skip
        else:
            mentee, area, mentor, score = entry
        units.append(unit_of[(mentee, area)])
        mentors.append(mentor_of[mentor])
        scores.append(float(score))
    capacity = np.where(model.mentor_opt_out, 0, np.maximum(model.capacity, 0))
    labels = [model.demand_label(d) for d in range(model.n_demands)]
    table = PairTable(
        unit_mentee=np.array([m for m, _ in labels], dtype=np.str_),
        unit_area=np.array([a for _, a in labels], dtype=np.str_),
        mentor_ids=np.array(model.mentor_ids, dtype=np.str_),
        capacity=capacity.astype(np.int64),
        pair_unit=np.array(units, np.int64),
        pair_mentor=np.array(mentors, np.int64),
        pair_score=np.array(scores, np.float64),
    )
    summary: dict[str, Any] = {"engine_seconds_with_pair_scores": round(seconds, 2)}
    summary["engine"] = _stats_of(result)
    summary["assignments"] = [
        {"mentee": a["mentee"], "focus_area": a["focus_area"], "mentor": a["mentor"]}
        for a in _assignments_of(result)
    ]
    return table, summary


def full_score_units(path: Path) -> tuple[int, Iterator[tuple[int, NDArray[np.integer[Any]]]]]:
    """(scale, iterator of (first demand, integer score block)); ineligible pairs are < 0.

    The engine's exact integer scores (score x scale), all demands x all mentors, in model order.
    """
    from mentorbridge.matching_engine.features import Features
    from mentorbridge.matching_engine.model import compile_model
    from mentorbridge.matching_engine.shortlist import SCALE, block_ranges, scored_rows

    model = compile_model(_load_instance(path))
    features = Features(model)

    def blocks() -> Iterator[tuple[int, NDArray[np.integer[Any]]]]:
        for lo, hi in block_ranges(model.n_demands, model.n_mentors):
            yield lo, scored_rows(features, np.arange(lo, hi, dtype=np.int64))

    return SCALE, blocks()


def full_score_rows(path: Path) -> Iterator[tuple[int, NDArray[np.float64]]]:
    """Yield (first demand, block of scores) covering all demands x all mentors.

    Ineligible pairs are NaN. Rows and columns are in the engine's model order, the same as the
    PairTable's units and mentors.
    """
    from mentorbridge.matching_engine.features import Features
    from mentorbridge.matching_engine.model import compile_model
    from mentorbridge.matching_engine.shortlist import SCALE, block_ranges, scored_rows

    instance = _load_instance(path)
    model = compile_model(instance)
    features = Features(model)

    def blocks() -> Iterator[tuple[int, NDArray[np.float64]]]:
        for lo, hi in block_ranges(model.n_demands, model.n_mentors):
            values = scored_rows(features, np.arange(lo, hi, dtype=np.int64))
            block = values.astype(np.float64) / SCALE
            block[values < 0] = np.nan
            yield lo, block

    return blocks()


def describe_engine() -> dict[str, Any]:
    """What the benchmark can see of the engine (for error messages)."""
    try:
        import mentorbridge.matching_engine as engine
    except ImportError as exc:  # pragma: no cover - reported by the driver
        return {"importable": False, "error": str(exc)}
    return {"importable": True, "exports": sorted(n for n in dir(engine) if not n.startswith("_"))}


if __name__ == "__main__":
    print(json.dumps(describe_engine()))
