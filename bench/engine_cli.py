"""The engine's CLI as a user runs it: the whole process, from reading the instance file to the
written result, at the issue's sizes, plain and tie-heavy.

    .venv/bin/python bench/engine_cli.py --sizes 20000x6000,100000x30000 --ties none,profiles \\
        --repeats 3

Each run is one ``python -m mentorbridge.matching_engine solve INSTANCE -o RESULT -q``
subprocess: wall time from outside (interpreter start, imports, reading and validating the JSON,
scoring, solving, certifying, explaining, writing the JSON), user + system CPU seconds and peak
RSS from ``wait4`` (the largest of the process and its children: the flow's forked child counts
the parent's pages it shares copy on write, so where the flow's graph is big, as at 100,000 x
30,000 `alike`, the child's peak is the figure), and the 1-minute load average when the run
started (on a 2-core machine shared with others, a load above 2 shows up directly in the wall
time; the CPU column much less). Prints median and p95 per size and the engine's own stage
seconds of the median run; writes ``bench/results/engine-cli-<time>.json``. Instances come
from ``bench/generate_instance.py`` (seed 1) and are kept in ``bench/results/instances/``.

Targets (issue 13): 100,000 × 30,000 in <= 60 s and <= 3 GB; 20,000 × 6,000 in <= 8 s and
<= 1 GB; tie-heavy instances within 1.5x of those times with gap <= 1e-6.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
INSTANCES = RESULTS / "instances"
TARGETS = {(20_000, 6_000): (8.0, 1024.0), (100_000, 30_000): (60.0, 3072.0)}
TIE_SLACK = 1.5


def _size(text: str) -> tuple[int, int]:
    mentees, _, mentors = text.partition("x")
    return int(mentees), int(mentors)


def instance_path(mentees: int, mentors: int, ties: str) -> Path:
    """The generated instance (made once, then reused)."""
    INSTANCES.mkdir(parents=True, exist_ok=True)
    path = INSTANCES / f"{mentees}x{mentors}-{ties}-seed1.json"
    if not path.exists():
        command = [
            sys.executable, str(ROOT / "bench" / "generate_instance.py"),
            "--mentees", str(mentees), "--mentors", str(mentors), "--seed", "1",
            "--ties", ties, "-o", str(path),
        ]  # fmt: skip
        subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return path


def run_once(instance: Path, output: Path, code: Path = ROOT) -> dict[str, Any]:
    """One whole CLI process of the engine in `code` (a checkout, also the working folder:
    `python -m` imports from there first); its wall, CPU, peak memory and the result's
    stats."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [
        sys.executable, "-m", "mentorbridge.matching_engine", "solve", str(instance),
        "-o", str(output), "-q",
    ]  # fmt: skip
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=code, env=env, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stderr = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        raise SystemExit(f"{instance.name}: exit status {status}: {stderr[-2000:]}")
    stats = json.loads(output.read_bytes())["stats"]
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "load_average": load,
        "gap": stats["gap"],
        "matched": stats["matched"],
        "objective": stats["objective"],
        "stages_s": stats["seconds"],
    }


def p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _report(
    size: str, ties: str, name: str, code: Path, runs: list[dict[str, Any]], named: bool
) -> dict[str, Any]:
    """Print one row (median, p95, CPU, peak, loads, gap, target) and the stages of the
    median run; returns the row for the JSON file."""
    mentees, mentors = _size(size)
    walls = [r["wall_s"] for r in runs]
    median_run = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
    target = TARGETS.get((mentees, mentors))
    goal = ""
    if target:
        seconds = target[0] * (TIE_SLACK if ties != "none" else 1.0)
        goal = f"<={seconds:.0f} s <={target[1]:.0f} MB"
    row = {
        "mentees": mentees,
        "mentors": mentors,
        "ties": ties,
        "code": str(code),
        "wall_median_s": statistics.median(walls),
        "wall_p95_s": p95(walls),
        "cpu_median_s": statistics.median(r["cpu_s"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "target": goal,
        "runs": runs,
    }
    loads = "/".join(f"{r['load_average']:.1f}" for r in runs)
    label = f"{ties} {name}" if named else ties
    print(
        f"{size:<14} {label:<18} {len(runs):>4} {row['wall_median_s']:>9.1f} "
        f"{row['wall_p95_s']:>9.1f} {row['cpu_median_s']:>8.1f} {row['peak_mb']:>8.0f} "
        f"{loads:<16} {max(r['gap'] for r in runs):>8.1e} {goal:>14}",
        flush=True,
    )
    stages = ", ".join(f"{k} {v:.1f}" for k, v in median_run["stages_s"].items())
    print(f"{'':<14} stages of the median run (s): {stages}", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000x6000,100000x30000")
    parser.add_argument(
        "--ties",
        default="none,profiles",
        help="none,profiles,one_factor,star,alike,all_equal,only_<factor> (see generate_instance)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout (e.g. a clone of an earlier commit) run on the same instances, "
        "its runs interleaved with this one's, printed on the row below",
    )
    args = parser.parse_args()
    codes = [("this", ROOT)] + ([("against", args.against.resolve())] if args.against else [])
    RESULTS.mkdir(parents=True, exist_ok=True)
    header = (
        f"{'size':<14} {'ties':<18} {'runs':>4} {'wall med':>9} {'wall p95':>9} {'cpu med':>8} "
        f"{'peak MB':>8} {'loads':<16} {'gap':>8} {'target':>14}"
    )
    print(header)
    print("-" * len(header))
    rows = []
    for size in args.sizes.split(","):
        mentees, mentors = _size(size)
        for ties in args.ties.split(","):
            instance = instance_path(mentees, mentors, ties)
            output = RESULTS / f"engine-cli-{mentees}x{mentors}-{ties}.result.json"
            by_code: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in codes}
            for _ in range(args.repeats):
                for name, code in codes:
                    by_code[name].append(run_once(instance, output, code))
            for name, code in codes:
                rows.append(_report(size, ties, name, code, by_code[name], len(codes) > 1))
    print(f"(loads: 1-minute load average when each run started, on {os.cpu_count()} CPUs)")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"engine-cli-{stamp}.json"
    out.write_text(json.dumps({"benchmark": "engine-cli", "when": stamp, "rows": rows}, indent=2))
    print(f"written {out}")


if __name__ == "__main__":
    main()
