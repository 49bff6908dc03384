"""Chunked scoring and the sparse top-K shortlist.

Scores are computed for blocks of demands against all mentors, turned into integers
(`SCALE` = 10^6 per unit of score, ineligible pairs = -1), and only each demand's top-K eligible
mentors are kept, plus its ranked mentors. For every demand we also keep the best score left out
of the shortlist: the certificate uses it to prove that left-out pairs cannot improve the result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.features import Features, select_rows

SCALE = 1_000_000
INELIGIBLE = -1
CELLS_PER_BLOCK = 2_000_000
SAMPLE_STRIDE = 4
MERGE_AT_LEAST = 65_536
MENTOR_SIDE_MAX = 24
I64 = NDArray[np.int64]
Progress = Callable[[int], None]


def block_ranges(n_rows: int, n_cols: int) -> list[tuple[int, int]]:
    """Row ranges whose blocks hold about CELLS_PER_BLOCK cells."""
    step = max(16, min(8192, CELLS_PER_BLOCK // max(n_cols, 1)))
    return [(lo, min(lo + step, n_rows)) for lo in range(0, n_rows, step)]


def worker_count() -> int:
    """Threads for block work (numpy releases the GIL in the heavy loops)."""
    return max(1, min(4, os.cpu_count() or 1))


def scored_rows(features: Features, rows: I64) -> NDArray[np.int32]:
    """Integer scores of sorted demand rows x all mentors; removed pairs are INELIGIBLE."""
    model = features.model
    score = features.score_block(rows)
    # factors are in [0, 1] and weights sum to 1, so score x SCALE + 0.5 truncates to the
    # rounded integer score in [0, SCALE]
    score *= np.float32(SCALE)
    score += np.float32(0.5)
    values = score.astype(np.int32)
    del score
    np.minimum(values, SCALE, out=values)
    r, c, _ = select_rows(rows, model.pair_rows, model.pair_cols)
    values[r, c] = INELIGIBLE
    closed = model.mentor_opt_out | (model.capacity <= 0)
    if closed.any():
        values[:, closed] = INELIGIBLE
    return values


def scored_columns(features: Features, rows: I64, cols: I64) -> NDArray[np.int32]:
    """Like `scored_rows`, for the sorted mentor columns `cols` only."""
    model = features.model
    score = features.score_columns(rows, cols)
    score *= np.float32(SCALE)
    score += np.float32(0.5)
    values = score.astype(np.int32)
    del score
    np.minimum(values, SCALE, out=values)
    r, c, _ = select_rows(rows, model.pair_rows, model.pair_cols)
    pos = np.searchsorted(cols, c).clip(0, max(len(cols) - 1, 0))
    hit = (cols[pos] == c) if len(cols) else np.zeros(len(c), bool)
    values[r[hit], pos[hit]] = INELIGIBLE
    closed = (model.mentor_opt_out | (model.capacity <= 0))[cols]
    if closed.any():
        values[:, closed] = INELIGIBLE
    return values


@dataclass
class Shortlist:
    """Per-demand sparse lists of (mentor, integer score), sorted by score desc then mentor."""

    indptr: I64
    cols: I64
    scores: I64
    excluded_best: I64  # best eligible score not in the shortlist, INELIGIBLE if none
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


Part = tuple[I64, I64, I64, I64, I64, float, float, I64, I64, I64]


def mentor_side_width(capacity: I64) -> int:
    """How many best demands each mentor keeps on the shortlist (keeps mentor prices honest)."""
    median = float(np.median(capacity)) if len(capacity) else 1.0
    return int(min(MENTOR_SIDE_MAX, 4 * median + 8))


def row_top_k(values: NDArray[np.int32], k: int) -> tuple[I64, I64]:
    """(local row, mentor) of each row's k best entries; ties go to the lower mentor index.

    The k-th best of every SAMPLE_STRIDE-th column is a lower bound of the row's k-th best, so
    only entries at or above it are sorted (much less work than a partition of every full row).
    """
    n_rows, n_cols = values.shape
    if k >= n_cols:
        return (
            np.repeat(np.arange(n_rows, dtype=np.int64), n_cols),
            np.tile(np.arange(n_cols, dtype=np.int64), n_rows),
        )
    sample = values[:, ::SAMPLE_STRIDE]
    if sample.shape[1] > k:
        floor = np.partition(sample, sample.shape[1] - k, axis=1)[:, sample.shape[1] - k]
    else:
        floor = np.full(n_rows, INELIGIBLE, np.int32)
    floor = np.maximum(floor, 0)  # ineligible entries never enter the shortlist
    r, c = np.nonzero(values >= floor[:, None])
    v = values[r, c].astype(np.int64)
    if n_rows < 2**21 and n_cols < 2**21:
        # one int64 key (row, score descending, mentor): a plain sort, no lexsort
        key = (r.astype(np.int64) << 42) | ((SCALE - v) << 21) | c.astype(np.int64)
        key.sort()
        r, c = key >> 42, key & (2**21 - 1)
    else:
        order = np.lexsort((c, -v, r))
        r, c = r[order], c[order]
    rank = np.arange(len(r)) - np.searchsorted(r, r)
    keep = rank < k
    return r[keep].astype(np.int64), c[keep].astype(np.int64)


def _column_candidates(
    values: NDArray[np.int32], lo: int, width: int, floor: NDArray[np.int32]
) -> tuple[I64, I64, I64]:
    """(row, mentor, score) entries that may be among a mentor's best `width` demands."""
    n_rows, n_cols = values.shape
    mask = values > floor[None, :]
    if int(np.count_nonzero(mask)) > 4 * width * max(n_cols, 1) and n_rows > width:
        top = np.argpartition(-values, width - 1, axis=0)[:width]
        r = top.ravel()
        c = np.broadcast_to(np.arange(n_cols), top.shape).ravel()
    else:
        r, c = np.nonzero(mask)
    v = values[r, c]
    ok = v >= 0
    return (r[ok] + lo).astype(np.int64), c[ok].astype(np.int64), v[ok].astype(np.int64)


def _top_k(
    features: Features, lo: int, hi: int, k: int, width: int, floor: NDArray[np.int32]
) -> Part:
    t0 = time.perf_counter()
    rows = np.arange(lo, hi, dtype=np.int64)
    values = scored_rows(features, rows)
    t1 = time.perf_counter()
    n_cols = values.shape[1]
    eligible = (values >= 0).sum(axis=1).astype(np.int64)
    local, cols = row_top_k(values, k)
    r, c, v = select_rows(rows, features.pref_rows, features.pref_cols, features.pref_vals)
    ranked = v > features.preference_base  # the mentee ranked this mentor
    if ranked.any():
        local = np.concatenate([local, r[ranked]])
        cols = np.concatenate([cols, c[ranked]])
        key = local * max(n_cols, 1) + cols
        _, first = np.unique(key, return_index=True)
        local, cols = local[first], cols[first]
    cand = _column_candidates(values, lo, width, floor)
    scores = values[local, cols].astype(np.int64)
    keep = scores >= 0
    local, cols, scores = local[keep], cols[keep], scores[keep]
    values[local, cols] = INELIGIBLE
    excluded = values.max(axis=1) if n_cols else np.full(len(rows), INELIGIBLE)
    t2 = time.perf_counter()
    return (local + lo, cols, scores, excluded.astype(np.int64), eligible, t1 - t0, t2 - t1, *cand)


def _merge_columns(
    best: tuple[I64, I64, I64], parts: list[Part], width: int, floor: NDArray[np.int32]
) -> tuple[I64, I64, I64]:
    """Keep each mentor's best `width` (row, score) entries; raise its floor when full."""
    rows = np.concatenate([best[0], *(p[7] for p in parts)])
    cols = np.concatenate([best[1], *(p[8] for p in parts)])
    vals = np.concatenate([best[2], *(p[9] for p in parts)])
    order = np.lexsort((rows, -vals, cols))
    rows, cols, vals = rows[order], cols[order], vals[order]
    rank = np.arange(len(cols)) - np.searchsorted(cols, cols)
    keep = rank < width
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    full = rank[keep] == width - 1
    floor[cols[full]] = vals[full]
    return rows, cols, vals


def build_shortlist(features: Features, k: int, progress: Progress | None = None) -> Shortlist:
    """Score all pairs in blocks; keep each demand's top-k eligible mentors and its ranked
    mentors, plus each mentor's best few demands (see `mentor_side_width`)."""
    model = features.model
    ranges = block_ranges(model.n_demands, model.n_mentors)
    width = mentor_side_width(model.capacity)
    parts: list[Part] = []
    empty = np.zeros(0, np.int64)
    best: tuple[I64, I64, I64] = (empty, empty, empty)
    # Entries at or below a mentor's floor cannot enter its best `width`; workers read the
    # floor as it rises (any value they see is valid, so the result does not depend on timing).
    floor = np.full(model.n_mentors, INELIGIBLE, np.int32)
    with ThreadPoolExecutor(worker_count()) as pool:
        results: Iterator[Part] = pool.map(
            lambda r: _top_k(features, r[0], r[1], k, width, floor), ranges
        )
        pending: list[Part] = []
        for (lo, hi), part in zip(ranges, results, strict=True):
            pending.append(part)
            if (
                sum(len(p[7]) for p in pending) >= max(len(best[0]), MERGE_AT_LEAST)
                or hi == (ranges[-1][1])
            ):
                best = _merge_columns(best, pending, width, floor)
                pending = []
            parts.append((*part[:7], empty, empty, empty))
            if progress is not None:
                progress(hi - lo)

    def joined(k: int) -> I64:
        """Field k of every block's result, concatenated."""
        return np.concatenate([p[k] for p in parts]) if parts else empty

    shortlist = Shortlist(
        indptr=np.zeros(model.n_demands + 1, np.int64),
        cols=empty,
        scores=empty,
        excluded_best=joined(3),
        eligible_count=joined(4),
        score_seconds=sum(p[5] for p in parts),
        select_seconds=sum(p[6] for p in parts),
    )
    rows, cols, scores = joined(0), joined(1), joined(2)
    rows = np.concatenate([rows, best[0]])
    cols = np.concatenate([cols, best[1]])
    scores = np.concatenate([scores, best[2]])
    shortlist.rebuild(rows, cols, scores)
    return shortlist
