"""Side-by-side matching benchmark: our engine against the usual open-source approaches.

    python bench/matching.py --sizes 500,3000x3000,20000x6000,100000x30000 --timeout 120

For every size it generates one seeded instance (`bench/generate_instance.py`), lets the engine
export its eligible-pair scores once (untimed), then runs each peer in its own subprocess on the
same instance and the same scores: wall time from outside, peak RSS of that process (wait4), a
hard timeout, and a total computed with the same pair scores for everyone. Sizes are `N`
(N people: N/2 mentees, N/2 mentors) or `MENTEESxMENTORS`. Small sizes are repeated and the
median time reported. See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

if __package__ in (None, ""):  # run as a script: import from the repository root instead of
    # bench/, where this file's folder would shadow packages (bench/matching.py vs `matching`).
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.peers import DENSE_LIMIT_BYTES, EXACT_LIMIT_PAIRS, PairTable

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEER_VENV_PYTHON = BENCH / ".venv-peers/bin/python"
PEER_ORDER = ("ours", "exact", "dense", "hospital_resident", "mentor_match", "greedy")
PEER_LABEL = {
    "ours": "ours (engine)",
    "ours_untimed": "ours, no time limit (pair-scores run)",
    "exact": "exact reference (OR-Tools flow, all pairs)",
    "dense": "scipy dense LSA",
    "hospital_resident": "matching HR",
    "mentor_match": "mentor-match",
    "greedy": "greedy",
}
BUSY_LOAD = 1.5  # 1-minute load average above which a 2-core machine skews wall times
STAGES = ("features", "score", "shortlist", "solve", "certify", "explain")


@dataclass(frozen=True)
class Size:
    """One benchmark size."""

    label: str
    mentees: int
    mentors: int

    @classmethod
    def parse(cls, text: str) -> Size:
        """`500` (people, half each side) or `20000x6000` (mentees x mentors)."""
        if "x" in text:
            mentees, mentors = (int(v) for v in text.lower().split("x"))
            return cls(text, mentees, mentors)
        people = int(text)
        return cls(text, people - people // 2, people // 2)


@dataclass
class Run:
    """One subprocess: how it ended, how long it took, how much memory it held."""

    status: str  # ok | timeout | error | skipped
    wall: float = 0.0
    peak_mb: float = 0.0
    report: dict[str, Any] = field(default_factory=dict)
    detail: str = ""
    cpu: float = 0.0  # user + system CPU seconds of the process (less sensitive to other load)
    load: float = 0.0  # 1-minute load average when the run started (2 cores: > 1 = contention)


def run_measured(cmd: list[str], timeout: float, log: Path) -> Run:
    """Run cmd in its own process group; kill the group at the timeout.

    Peak memory is the child's ru_maxrss from wait4 (kilobytes on Linux), so each peer is
    measured on its own, including the interpreter and its imports.
    """
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with log.open("w") as sink:
        proc = subprocess.Popen(
            cmd, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
        )
        timed_out = False
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() - started > timeout:
                    timed_out = True
                    os.killpg(proc.pid, signal.SIGKILL)
                    pid, status, usage = os.wait4(proc.pid, 0)
                    break
                time.sleep(0.01)
        except BaseException:  # interrupted: do not leave the peer running on its own
            os.killpg(proc.pid, signal.SIGKILL)
            os.wait4(proc.pid, 0)
            raise
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024
    cpu = usage.ru_utime + usage.ru_stime
    if timed_out:
        detail = f"did not finish in {timeout:.0f} s (peak MB: until killed)"
        return Run("timeout", wall, peak_mb, detail=detail, cpu=cpu, load=load)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-3:]
        detail = f"exit {proc.returncode}: {' | '.join(tail)}"
        return Run("error", wall, peak_mb, detail=detail, cpu=cpu, load=load)
    return Run("ok", wall, peak_mb, cpu=cpu, load=load)


def _python_for(peer: str) -> str:
    return str(PEER_VENV_PYTHON) if peer == "mentor_match" else sys.executable


def run_peer(
    peer: str, workdir: Path, instance: Path, table: Path, timeout: float, repeats: int
) -> Run:
    """Run a peer `repeats` times (stopping at the first failure); report the median run."""
    runs: list[Run] = []
    for k in range(repeats):
        out = workdir / f"{peer}.{k}.json"
        out.unlink(missing_ok=True)
        if peer == "mentor_match":
            if not PEER_VENV_PYTHON.exists():
                return Run("error", detail="bench/.venv-peers missing: bash bench/setup_peers.sh")
            json_table = table.with_suffix(".json")
            cmd = [_python_for(peer), str(BENCH / "peer_mentor_match.py"), "--table"]
            cmd += [str(json_table), "--out", str(out)]
        else:
            cmd = [sys.executable, str(BENCH / "peers.py"), peer, "--out", str(out)]
            cmd += ["--instance", str(instance), "--table", str(table)]
        run = run_measured(cmd, timeout, workdir / f"{peer}.{k}.log")
        if run.status == "ok":
            run.report = json.loads(out.read_text(encoding="utf-8"))
            if run.report.get("status") != "ok":
                run.status = run.report.get("status", "error")
                run.detail = run.report.get("reason", "")
        runs.append(run)
        if run.status != "ok":
            return run
    runs.sort(key=lambda r: r.wall)
    median = runs[len(runs) // 2]
    median.wall = statistics.median(r.wall for r in runs)
    median.cpu = statistics.median(r.cpu for r in runs)
    median.report["runs"] = len(runs)
    return median


# --- scoring every assignment with the same pair scores ----------------------------------------


@dataclass
class Outcome:
    """An assignment checked against the pair table."""

    total: float
    matched: int
    problems: list[str]


def evaluate(
    table: PairTable,
    units: np.ndarray,
    mentors: np.ndarray,
    reported_scores: list[float] | None = None,
) -> Outcome:
    """Total score, matched count and rule violations of an assignment, by the same scores.

    Pairs outside the table are a problem, unless the peer reports their scores from the
    engine's own score function (the dense peer sees every eligible pair, not the shortlist).
    """
    problems: list[str] = []
    key = table.pair_unit * len(table.capacity) + table.pair_mentor
    order = np.argsort(key)
    wanted = units.astype(np.int64) * len(table.capacity) + mentors.astype(np.int64)
    pos = np.searchsorted(key[order], wanted)
    pos = np.minimum(pos, len(key) - 1) if len(key) else pos
    found = key[order][pos] == wanted if len(key) else np.zeros(len(wanted), bool)
    total = float(table.pair_score[order][pos[found]].sum())
    if (~found).any() and reported_scores is not None:
        total += float(np.asarray(reported_scores, np.float64)[~found].sum())
        problems.append(f"{int((~found).sum())} pairs beyond the engine's shortlist")
    elif (~found).any():
        problems.append(f"{int((~found).sum())} pairs outside the eligible pair table")
    if len(units) != len(np.unique(units)):
        problems.append(f"{len(units) - len(np.unique(units))} focus areas given 2+ mentors")
    load = np.bincount(mentors, minlength=len(table.capacity))
    over = int((load > table.capacity).sum())
    if over:
        problems.append(f"{over} mentors over capacity")
    mentee = table.mentee_codes()[units]
    pairs = mentee * len(table.capacity) + mentors
    same = len(pairs) - len(np.unique(pairs))
    if same:
        problems.append(f"{same} same-mentor-twice violations")
    return Outcome(total, len(units), problems)


def ours_units(table: PairTable, assignments: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Map the engine's (mentee, focus area, mentor) assignments onto table indices."""
    labels = zip(table.unit_mentee.tolist(), table.unit_area.tolist(), strict=True)
    unit_of = {label: u for u, label in enumerate(labels)}
    mentor_of = {m: j for j, m in enumerate(table.mentor_ids)}
    units = [unit_of[(a["mentee"], a["focus_area"])] for a in assignments]
    mentors = [mentor_of[a["mentor"]] for a in assignments]
    return np.array(units, np.int64), np.array(mentors, np.int64)


# --- the table ---------------------------------------------------------------------------------


def _fmt_time(run: Run) -> str:
    return f"{run.wall:.2f}" if run.status == "ok" else "—"


def _row(size: Size, peer: str, run: Run, outcome: Outcome | None, ours: Outcome | None) -> dict:
    row: dict[str, Any] = {
        "size": size.label,
        "peer": PEER_LABEL[peer],
        "status": run.status,
        "runs": run.report.get("runs", 1) if run.status == "ok" else 0,
        "wall_s": round(run.wall, 2) if run.status == "ok" else None,
        "cpu_s": round(run.cpu, 2) if run.status == "ok" else None,
        "work_s": round(run.report.get("seconds", 0.0), 2) if run.status == "ok" else None,
        "peak_mb": round(run.peak_mb) if run.peak_mb else None,
        "detail": run.detail,
        "load": round(run.load, 1),
    }
    if outcome is not None:
        row["total"] = round(outcome.total, 3)
        row["matched"] = outcome.matched
        row["problems"] = outcome.problems
        if ours is not None and peer != "ours":
            row["ours_minus_peer"] = round(ours.total - outcome.total, 3)
    if peer in ("dense", "exact") and run.status == "ok":
        keys = ("source", "scoring_seconds", "lsa_seconds", "flow_seconds")
        row["reference"] = {k: run.report[k] for k in keys if k in run.report}
    if peer == "ours" and run.status == "ok":
        stats = run.report.get("stats", {})
        row["engine"] = {k: stats.get(k) for k in ("objective", "bound", "gap", "solver")}
        row["stages"] = stats.get("stages", {})
    return row


def format_table(rows: list[dict[str, Any]]) -> str:
    """Markdown table of all rows."""
    head = (
        "| size | peer | load | wall s | cpu s | work s | peak MB | total score | matched "
        "| ours − peer | notes |"
    )
    lines = [head, "|" + "---|" * 11]
    for r in rows:
        if r["status"] == "ok":
            total = f"{r['total']:.3f}" if "total" in r else ""
            matched = str(r.get("matched", ""))
            diff = r.get("ours_minus_peer")
            diff_text = "" if diff is None else f"{diff:+.3f}"
            notes = list(r.get("problems", []))
            if r["runs"] > 1:
                notes.insert(0, f"median of {r['runs']}")
            if "engine" in r:
                e = r["engine"]
                if e.get("gap") is not None:
                    notes.append(f"gap {e['gap']:.2e}")
                stages = r.get("stages") or {}
                split = ", ".join(f"{k} {stages[k]:.2f}" for k in STAGES if k in stages)
                if split:
                    notes.append(f"stages s: {split}")
            if "reference" in r:
                d = r["reference"]
                step = "LSA" if "lsa_seconds" in d else "flow"
                seconds = d.get("lsa_seconds", d.get("flow_seconds", 0.0))
                if step == "LSA":
                    notes.append("relaxation: may reuse a mentor for 2 focus areas of a mentee")
                notes.append(
                    f"{d['source']}: scoring {d['scoring_seconds']:.2f} s + {step} {seconds:.2f} s"
                )
            wall, work, cpu = f"{r['wall_s']:.2f}", f"{r['work_s']:.2f}", f"{r['cpu_s']:.2f}"
        else:
            total = matched = diff_text = wall = work = cpu = "—"
            notes = [r["detail"] or r["status"]]
        if r.get("load", 0.0) >= BUSY_LOAD:
            notes.append("machine busy at start (2 cores): wall times skewed")
        peak = f"{r['peak_mb']:,}" if r.get("peak_mb") else "—"
        lines.append(
            f"| {r['size']} | {r['peer']} | {r.get('load', 0.0):.1f} | {wall} | {cpu} | {work} "
            f"| {peak} | {total} | {matched}"
            f" | {diff_text} | {'; '.join(notes)} |"
        )
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """One line per size comparing our total with each peer that finished."""
    lines = []
    for size in dict.fromkeys(r["size"] for r in rows):
        here = {r["peer"]: r for r in rows if r["size"] == size and "total" in r}
        ours = here.get(PEER_LABEL["ours"]) or here.get(PEER_LABEL["ours_untimed"])
        if ours is None:
            lines.append(f"- {size}: ours did not finish; no comparison")
            continue
        parts = []
        for peer, r in here.items():
            if peer in (PEER_LABEL["ours"], PEER_LABEL["ours_untimed"]):
                continue
            diff = ours["total"] - r["total"]
            if peer == PEER_LABEL["exact"]:
                verdict = "equal" if abs(diff) < 1e-6 else f"DIFFERENT ({diff:+.6f})"
                parts.append(f"vs exact optimum: {verdict}")
            elif peer == PEER_LABEL["dense"]:
                relaxed = any("same-mentor" in p for p in r.get("problems", []))
                if abs(diff) < 1e-6:
                    parts.append("vs dense LSA: equal")
                elif diff < 0 and relaxed:
                    parts.append(
                        f"vs dense LSA: {diff:+.3f}, dense breaks the same-mentor rule (bound)"
                    )
                else:
                    parts.append(f"vs dense LSA: {diff:+.3f}")
            else:
                sign = "≥" if diff >= -1e-6 else "<"
                pct = 100 * diff / r["total"] if r["total"] else 0.0
                parts.append(f"{sign} {peer} by {diff:+.3f} ({pct:+.1f}%)")
        lines.append(f"- {size}: ours {ours['total']:.3f}; " + "; ".join(parts))
    return lines


def engine_version() -> str:
    """The commit the engine was benchmarked at, and whether its files had local changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "mentorbridge/matching_engine"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head}{' + uncommitted engine changes' if dirty else ''}"


def snapshot_code(target: Path, source: str) -> str:
    """Freeze mentorbridge/ for this run and point every subprocess at the copy.

    Colleagues edit the engine while benchmarks run; without a snapshot the pair table and a
    later peer could come from different versions. `source` is "head" (the committed code,
    reproducible) or "worktree" (the files as they are now). Returns the version line.
    """
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    if source == "head":
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        archive = subprocess.run(
            ["git", "archive", "--format=tar", "HEAD", "mentorbridge"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        version = f"{head} (committed code)"
    else:
        version = engine_version()
        shutil.copytree(
            ROOT / "mentorbridge",
            target / "mentorbridge",
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    os.environ["BENCH_CODE_SNAPSHOT"] = str(target.resolve())
    return version


def machine() -> str:
    """One line describing this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration, ValueError):
        mem_kb = 0
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_kb / 1024**2:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


# --- driver ------------------------------------------------------------------------------------


def bench_size(
    size: Size, args: argparse.Namespace, results: Path
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Generate, prepare scores, run every peer on one size; rows for the table."""
    suffix = "" if args.ties == "none" else f"-ties-{args.ties}"
    workdir = results / f"{size.label}-seed{args.seed}{suffix}"
    workdir.mkdir(parents=True, exist_ok=True)
    instance = workdir / "instance.json"
    table_path = workdir / "pairs.npz"
    if not instance.exists():
        gen = [sys.executable, str(BENCH / "generate_instance.py"), "--seed", str(args.seed)]
        gen += ["--mentees", str(size.mentees), "--mentors", str(size.mentors), "-o", str(instance)]
        gen += ["--ties", args.ties]
        subprocess.run(gen, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    print(f"[{size.label}] preparing pair scores with the engine (untimed)…", flush=True)
    prep = run_measured(
        [
            *(sys.executable, str(BENCH / "peers.py"), "scores", "--instance", str(instance)),
            *("--table", str(table_path), "--out", str(workdir / "scores.json")),
        ],
        args.prepare_timeout,
        workdir / "scores.log",
    )
    if prep.status != "ok":
        raise SystemExit(f"[{size.label}] could not get pair scores from the engine: {prep.detail}")
    table = PairTable.load(table_path)
    info = {
        "size": size.label,
        "mentees": size.mentees,
        "mentors": size.mentors,
        "focus_areas": table.n_units,
        "capacity": table.n_slots,
        "eligible_pairs": len(table.pair_score),
        **json.loads((workdir / "scores.json").read_text()),
    }
    untimed_assignments = info.pop("assignments", None)
    info["prepare_wall_s"] = round(prep.wall, 2)
    info["prepare_peak_mb"] = round(prep.peak_mb)
    print(f"[{size.label}] {json.dumps(info)}", flush=True)
    small = table.n_units <= args.repeat_below
    repeats = args.repeats if small else 1
    rows: list[dict[str, Any]] = []
    ours_outcome: Outcome | None = None
    for peer in args.peers:
        if peer == "mentor_match" and size.mentees + size.mentors > args.mentor_match_max:
            continue
        skip = ""
        if peer == "dense" and table.n_units * table.n_slots * 8 > DENSE_LIMIT_BYTES:
            skip = f"skipped: would need {table.n_units * table.n_slots * 8 / 1024**3:.0f} GB"
        cells = table.n_units * int((table.capacity > 0).sum())
        if peer == "exact" and cells > EXACT_LIMIT_PAIRS:
            limit = EXACT_LIMIT_PAIRS / 1e6
            skip = f"skipped: {cells / 1e6:.0f} M candidate pairs (limit {limit:.0f} M)"
        if skip:
            run = Run("skipped", detail=skip)
            rows.append(_row(size, peer, run, None, ours_outcome))
            print(f"[{size.label}] {peer}: {run.detail}", flush=True)
            continue
        print(f"[{size.label}] {peer} ×{repeats}…", flush=True)
        run = run_peer(peer, workdir, instance, table_path, args.timeout, repeats)
        outcome = None
        if run.status == "ok":
            if peer == "ours":
                units, mentors = ours_units(table, run.report["assignments"])
            else:
                units = np.array(run.report["units"], np.int64)
                mentors = np.array(run.report["mentors"], np.int64)
            outcome = evaluate(table, units, mentors, run.report.get("scores"))
            if peer == "ours":
                ours_outcome = outcome
        row = _row(size, peer, run, outcome, ours_outcome)
        rows.append(row)
        if peer == "ours" and run.status != "ok" and untimed_assignments is not None:
            # The pair-scores run had no time limit: show what the engine needed and found.
            engine = info.get("engine", {})
            untimed = Run("ok", prep.wall, prep.peak_mb, cpu=prep.cpu, load=prep.load)
            untimed.report = {
                "seconds": info.get("engine_seconds_with_pair_scores", 0.0),
                "stats": {**engine, "stages": engine.get("stages", {})},
            }
            units, mentors = ours_units(table, untimed_assignments)
            ours_outcome = evaluate(table, units, mentors)
            row = _row(size, "ours", untimed, ours_outcome, None)
            row["peer"] = PEER_LABEL["ours_untimed"]
            rows.append(row)
        print(f"[{size.label}] {peer} (load {row['load']:.1f}): {json.dumps(row)}", flush=True)
    return rows, info


def main(argv: list[str] | None = None) -> int:
    """Command line: run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,3000x3000,20000x6000,100000x30000")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per peer run")
    parser.add_argument("--prepare-timeout", type=float, default=1800.0)
    parser.add_argument("--repeats", type=int, default=3, help="runs on small sizes (median)")
    parser.add_argument("--repeat-below", type=int, default=10_000, help="focus areas")
    parser.add_argument("--mentor-match-max", type=int, default=500, help="people")
    parser.add_argument("--peers", default=",".join(PEER_ORDER))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--ties",
        choices=("none", "profiles", "one_factor", "star"),
        default="none",
        help="tie-heavy instances (see generate_instance.py --ties)",
    )
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    parser.add_argument(
        "--engine-from",
        choices=("head", "worktree"),
        default="head",
        help="benchmark the committed engine (default) or the files as they are",
    )
    args = parser.parse_args(argv)
    args.peers = [p for p in args.peers.split(",") if p]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so running peers get killed too
    unknown = set(args.peers) - set(PEER_ORDER)
    if unknown:
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
    args.results.mkdir(parents=True, exist_ok=True)
    version = snapshot_code(args.results / "code-snapshot", args.engine_from)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows: list[dict[str, Any]] = []
    infos: list[dict[str, Any]] = []
    for text in args.sizes.split(","):
        print(f"[{text}] load average {os.getloadavg()[0]:.1f}", flush=True)
        size_rows, info = bench_size(Size.parse(text), args, args.results)
        rows += size_rows
        infos.append(info)
    table = format_table(rows)
    command = " ".join(argv if argv is not None else sys.argv[1:])
    header = (
        f"{started} — {machine()}\nengine at commit {version}\n"
        f"command: python bench/matching.py {command}"
    )
    sizes = "\n".join(
        f"- {i['size']}: {i['mentees']:,} mentees ({i['focus_areas']:,} focus areas), "
        f"{i['mentors']:,} mentors (capacity {i['capacity']:,}), "
        f"{i['eligible_pairs']:,} pairs in the engine's pair scores"
        for i in infos
    )
    summary = "\n".join(verdicts(rows))
    print(f"\n{header}\n\n{sizes}\n\n{table}\n\n{summary}\n")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    (args.results / f"matching-{stamp}.json").write_text(
        json.dumps({"header": header, "sizes": infos, "rows": rows}, indent=1)
    )
    (args.results / "latest.md").write_text(f"{header}\n\n{sizes}\n\n{table}\n\n{summary}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
