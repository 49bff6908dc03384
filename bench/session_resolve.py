"""Pin, forbid and re-solve on a kept engine `Session`, in CPU seconds per stage.

    PYTHONPATH=$PWD nice -n 5 python bench/session_resolve.py /tmp/rs/alike.json [--steps 3]

Builds a `Session` on an instance file (`bench/generate_instance.py` output or a round dumped
by `bench/round_from_db.py --dump`), solves it, then alternates: `pin` of an assigned mentee's
focus area to another assignment's mentor and `resolve()`, `forbid` of an assigned pair and
`resolve()`. For each stage it prints the process's CPU seconds (all threads), the CPU of the
OR-Tools flow solves, of the repairs of the last flow (`solvers.repair`) and of the
certificate inside it, rounds, exact rows, pairs added, the gap and the
objective, with the load average beside it. The ≤ 3 s target of issue 13 is for the re-solves.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mentorbridge.matching_engine import rounds
from mentorbridge.matching_engine.api import Session
from mentorbridge.matching_engine.instance import Instance

CPU: dict[str, float] = {"flow": 0.0, "repair": 0.0, "certify": 0.0}


def _timed(name: str, fn: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            CPU[name] += time.process_time() - t0

    return wrapper


rounds.solve_min_cost = _timed("flow", rounds.solve_min_cost)
rounds.repair_min_cost = _timed("repair", rounds.repair_min_cost)
rounds.repair_on_rows = _timed("repair", rounds.repair_on_rows)
rounds.certify = _timed("certify", rounds.certify)


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _stage(name: str, fn: Any) -> tuple[Any, dict[str, Any]]:
    for key in CPU:
        CPU[key] = 0.0
    load = _load()
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    row: dict[str, Any] = {
        "stage": name,
        "cpu_s": round(time.process_time() - c0, 2),
        "wall_s": round(time.perf_counter() - w0, 2),
        "flow_cpu_s": round(CPU["flow"], 2),
        "repair_cpu_s": round(CPU["repair"], 2),
        "certify_cpu_s": round(CPU["certify"], 2),
        "load": load,
    }
    if out is not None and hasattr(out, "stats"):
        stats = out.stats
        row.update(
            rounds=stats.get("rounds"),
            exact_rows=stats.get("exact_certify_rows"),
            added=stats.get("pairs_added_by_certificate"),
            gap=stats.get("gap"),
            certified=stats.get("certified"),
            objective=stats.get("objective"),
        )
    print(json.dumps(row), flush=True)
    return out, row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("instance")
    parser.add_argument("--steps", type=int, default=2, help="pin + forbid pairs to time")
    args = parser.parse_args()
    if os.environ.get("BENCH_DEBUG"):
        logging.basicConfig(
            level=logging.DEBUG, format="%(relativeCreated)8.0f %(name)s %(message)s"
        )
        logging.getLogger("numba").setLevel(logging.WARNING)
    data = json.loads(Path(args.instance).read_text())
    session, _ = _stage("build", lambda: Session(Instance.from_dict(data)))
    result, _ = _stage("solve", session.solve)
    for step in range(args.steps):
        pairs = [(a.mentee, a.focus_area, a.mentor) for a in result.assignments]
        pairs.sort()
        mentee, area, _ = pairs[(37 * step + 11) % len(pairs)]
        other = pairs[(53 * step + 4_001) % len(pairs)][2]
        _stage(f"pin {step}", lambda m=mentee, o=other, a=area: session.pin(m, o, a))
        result, _ = _stage(f"resolve after pin {step}", session.resolve)
        pairs = sorted((a.mentee, a.focus_area, a.mentor) for a in result.assignments)
        target = pairs[(71 * step + 2_003) % len(pairs)]
        _stage(f"forbid {step}", lambda t=target: session.forbid(t[0], t[2]))
        result, _ = _stage(f"resolve after forbid {step}", session.resolve)


if __name__ == "__main__":
    main()
