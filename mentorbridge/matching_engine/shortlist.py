"""Chunked scoring and the sparse top-K shortlist.

Scores are computed for blocks of demands against all mentors, turned into integers
(`SCALE` = 10^6 per unit of score, ineligible pairs = -1), and only each demand's top-K eligible
mentors are kept, plus its ranked mentors. For every demand we also keep the best score left out
of the shortlist: the certificate uses it to prove that left-out pairs cannot improve the result.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine import kernels
from mentorbridge.matching_engine.features import Features, row_pointers
from mentorbridge.matching_engine.model import Model

SCALE = kernels.SCALE
INELIGIBLE = kernels.INELIGIBLE
CELLS_PER_BLOCK = 2_000_000
CHUNK_CELLS = 2_000_000  # int32 scores per kernel call of the shortlist pass (8 MB)
MENTOR_SIDE_MAX = 24
EMPTY = np.zeros(0, np.int64)
I64 = NDArray[np.int64]
Progress = Callable[[int], None]


def block_ranges(n_rows: int, n_cols: int) -> list[tuple[int, int]]:
    """Row ranges whose blocks hold about CELLS_PER_BLOCK cells."""
    step = max(16, min(8192, CELLS_PER_BLOCK // max(n_cols, 1)))
    return [(lo, min(lo + step, n_rows)) for lo in range(0, n_rows, step)]


def worker_count() -> int:
    """Threads for block work (numpy releases the GIL in the heavy loops)."""
    return max(1, min(4, os.cpu_count() or 1))


def rule_args(model: Model) -> tuple[I64, I64, I64]:
    """Removed pairs (CSR by demand) and closed mentors, as the kernels take them."""
    cached = model.kernel_rules
    if cached is not None and cached[0] is model.pair_rows and cached[1] is model.capacity:
        return cached[2]
    closed = np.flatnonzero(model.mentor_opt_out | (model.capacity <= 0)).astype(np.int64)
    args = (
        row_pointers(model.pair_rows, model.n_demands),
        model.pair_cols.astype(np.int64),
        closed,
    )
    model.kernel_rules = (model.pair_rows, model.capacity, args)
    return args


def scored_rows(features: Features, rows: I64) -> NDArray[np.int32]:
    """Integer scores of demand rows x all mentors (SCALE per unit); removed pairs INELIGIBLE."""
    model = features.model
    tables = features.kernel_tables()
    rows = np.ascontiguousarray(rows, np.int64)
    out = np.empty((len(rows), model.n_mentors), np.int32)
    if len(rows) and model.n_mentors:
        kernels.score_rows_units(
            rows,
            EMPTY,
            EMPTY,
            out,
            tables.args(rows),
            rule_args(model),
            tables.n_classes,
            model.n_mentors,
        )
    return out


def scored_columns(features: Features, rows: I64, cols: I64) -> NDArray[np.int32]:
    """Like `scored_rows`, for the mentor columns `cols` only (same integer scores)."""
    model = features.model
    tables = features.kernel_tables()
    rows = np.ascontiguousarray(rows, np.int64)
    cols = np.ascontiguousarray(cols, np.int64)
    out = np.empty((len(rows), len(cols)), np.int32)
    if len(rows) and len(cols):
        colpos = np.full(model.n_mentors, -1, np.int64)
        colpos[cols] = np.arange(len(cols))
        kernels.score_rows_units(
            rows,
            cols,
            colpos,
            out,
            tables.args(rows),
            rule_args(model),
            tables.n_classes,
            model.n_mentors,
        )
    return out


@dataclass
class Shortlist:
    """Per-demand sparse lists of (mentor, integer score), sorted by score desc then mentor."""

    indptr: I64
    cols: I64
    scores: I64
    excluded_best: I64  # best eligible score not in the shortlist, INELIGIBLE if none
    column_excluded: I64  # per mentor: an upper bound of its scores not in the shortlist
    eligible_count: I64
    score_seconds: float = 0.0  # summed over worker threads
    select_seconds: float = 0.0

    @property
    def rows(self) -> I64:
        """Demand of every entry."""
        return np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))

    def row(self, d: int) -> tuple[I64, I64]:
        """(mentors, scores) of one demand."""
        a, b = self.indptr[d], self.indptr[d + 1]
        return self.cols[a:b], self.scores[a:b]

    def scores_of(self, rows: I64, cols: I64) -> I64:
        """Shortlisted scores of pairs (INELIGIBLE where a pair is not shortlisted)."""
        width = max(self.cols.max(initial=0), cols.max(initial=0)) + 1
        keys = self.rows * width + self.cols
        order = np.argsort(keys)
        wanted = rows * width + cols
        pos = np.searchsorted(keys[order], wanted).clip(0, max(len(keys) - 1, 0))
        found = (keys[order][pos] == wanted) if len(keys) else np.zeros(len(rows), bool)
        return np.where(found, self.scores[order][pos] if len(keys) else 0, INELIGIBLE)

    def score_of(self, d: int, j: int) -> int | None:
        """Shortlisted score of a pair, or None."""
        cols, scores = self.row(d)
        hit = np.flatnonzero(cols == j)
        return int(scores[hit[0]]) if len(hit) else None

    def merge(self, rows: I64, cols: I64, scores: I64) -> None:
        """Add entries (duplicates ignored) and keep every row sorted."""
        all_rows = np.concatenate([self.rows, rows])
        all_cols = np.concatenate([self.cols, cols])
        all_scores = np.concatenate([self.scores, scores])
        self.rebuild(all_rows, all_cols, all_scores)

    def drop(self, keep: NDArray[np.bool_]) -> None:
        """Keep only the entries where `keep` is true."""
        self.rebuild(self.rows[keep], self.cols[keep], self.scores[keep], unique=True)

    def rebuild(self, rows: I64, cols: I64, scores: I64, unique: bool = False) -> None:
        """Replace all entries; duplicates of a (demand, mentor) pair are dropped."""
        width = max(int(cols.max()) + 1 if len(cols) else 1, 1)
        if not unique and len(rows):
            _, first = np.unique(rows * width + cols, return_index=True)
            rows, cols, scores = rows[first], cols[first], scores[first]
        if len(rows) and int(rows.max()) < 2**22 and width <= 2**21:
            # one int64 key (row, score descending, mentor) sorts faster than a lexsort
            key = (rows << 41) | ((SCALE - scores.clip(0, SCALE)) << 21) | cols
            order = np.argsort(key, kind="stable")
        else:
            order = np.lexsort((cols, -scores, rows))
        rows, cols, scores = rows[order], cols[order], scores[order]
        counts = np.bincount(rows, minlength=len(self.indptr) - 1)
        self.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.cols, self.scores = cols.astype(np.int64), scores.astype(np.int64)


def mentor_side_width(capacity: I64) -> int:
    """How many best demands each mentor keeps on the shortlist (keeps mentor prices honest)."""
    median = float(np.median(capacity)) if len(capacity) else 1.0
    return int(min(MENTOR_SIDE_MAX, 4 * median + 8))


def chunks(rows: I64, n_cols: int) -> list[I64]:
    """Split rows into kernel calls of about CHUNK_CELLS cells."""
    step = max(8, min(4096, CHUNK_CELLS // max(n_cols, 1)))
    return [rows[lo : lo + step] for lo in range(0, len(rows), step)]


def by_categories(features: Features) -> I64:
    """Demands ordered by their categorical codes, so that neighbours share class sums."""
    codes = features.kernel_tables().parts[2]
    return np.lexsort(codes.T[::-1]).astype(np.int64) if len(codes) else EMPTY


class _MentorSide:
    """Each worker thread's per-mentor heaps of its best `width + 1` demands."""

    def __init__(self, n_mentors: int, width: int) -> None:
        self.heap = np.full((n_mentors, width + 1), -1, np.int64)
        self.size = np.zeros(n_mentors, np.int64)


def _merge_mentor_side(
    states: list[_MentorSide], width: int, n_mentors: int
) -> tuple[I64, I64, I64, I64]:
    """(demand, mentor, score) of each mentor's best `width` demands over all threads, and
    each mentor's next best score (which bounds every score of the mentor left out)."""
    next_best = np.full(n_mentors, INELIGIBLE, np.int64)
    if not states:
        return EMPTY, EMPTY, EMPTY, next_best
    keys = np.concatenate([s.heap for s in states], axis=1)
    keys = -np.sort(-keys, axis=1)[:, : width + 1]
    last = keys[:, width]
    next_best[last >= 0] = last[last >= 0] >> kernels.KEY_SHIFT
    keys = keys[:, :width]
    cols, slot = np.nonzero(keys >= 0)
    key = keys[cols, slot]
    rows = kernels.LOW_MASK - (key & kernels.LOW_MASK)
    return rows.astype(np.int64), cols.astype(np.int64), (key >> kernels.KEY_SHIFT), next_best


def build_shortlist(features: Features, k: int, progress: Progress | None = None) -> Shortlist:
    """Score all pairs row by row (never a dense matrix); keep each demand's top-k eligible
    mentors and its ranked mentors, plus each mentor's best few demands (see
    `mentor_side_width`)."""
    model = features.model
    n_d, n_m = model.n_demands, model.n_mentors
    tables = features.kernel_tables()
    rules = rule_args(model)
    width = mentor_side_width(model.capacity)
    k_eff = max(1, min(k, n_m))
    top_cols = np.full((n_d, k_eff), -1, np.int64)
    top_scores = np.full((n_d, k_eff), INELIGIBLE, np.int32)
    excluded = np.full(n_d, INELIGIBLE, np.int64)
    eligible = np.zeros(n_d, np.int64)
    ranked_scores = np.full(len(tables.ranked_cols), INELIGIBLE, np.int32)
    local = threading.local()
    states: list[_MentorSide] = []
    lock = threading.Lock()

    def work(rows: I64) -> tuple[float, float, int]:
        state = getattr(local, "state", None)
        if state is None:
            state = local.state = _MentorSide(n_m, width)
            with lock:
                states.append(state)
        t0 = time.perf_counter()
        values = np.empty((len(rows), n_m), np.int32)
        kernels.score_rows_units(
            rows, EMPTY, EMPTY, values, tables.args(rows), rules, tables.n_classes, n_m
        )
        t1 = time.perf_counter()
        cols = np.empty((len(rows), k_eff), np.int64)
        scores = np.empty((len(rows), k_eff), np.int32)
        out_excluded = np.empty(len(rows), np.int32)
        out_eligible = np.empty(len(rows), np.int64)
        kernels.select_top(
            rows,
            values,
            k_eff,
            (tables.ranked_ptr, tables.ranked_cols),
            cols,
            scores,
            out_excluded,
            out_eligible,
            ranked_scores,
            state.heap,
            state.size,
        )
        top_cols[rows], top_scores[rows] = cols, scores
        excluded[rows], eligible[rows] = out_excluded, out_eligible
        return t1 - t0, time.perf_counter() - t1, len(rows)

    score_seconds = select_seconds = 0.0
    if n_d and n_m:
        with ThreadPoolExecutor(worker_count()) as pool:
            for score_s, select_s, done in pool.map(work, chunks(by_categories(features), n_m)):
                score_seconds += score_s
                select_seconds += select_s
                if progress is not None:
                    progress(done)
    listed = top_cols >= 0
    rows = np.repeat(np.arange(n_d, dtype=np.int64), listed.sum(axis=1))
    ranked = ranked_scores >= 0
    ranked_rows = np.repeat(np.arange(n_d, dtype=np.int64), np.diff(tables.ranked_ptr))
    side_rows, side_cols, side_scores, next_best = _merge_mentor_side(states, width, n_m)
    shortlist = Shortlist(
        indptr=np.zeros(n_d + 1, np.int64),
        cols=EMPTY,
        scores=EMPTY,
        excluded_best=excluded,
        column_excluded=next_best,
        eligible_count=eligible,
        score_seconds=score_seconds,
        select_seconds=select_seconds,
    )
    shortlist.rebuild(
        np.concatenate([rows, ranked_rows[ranked], side_rows]),
        np.concatenate([top_cols[listed], tables.ranked_cols[ranked], side_cols]),
        np.concatenate(
            [
                top_scores[listed].astype(np.int64),
                ranked_scores[ranked].astype(np.int64),
                side_scores,
            ]
        ),
    )
    return shortlist
