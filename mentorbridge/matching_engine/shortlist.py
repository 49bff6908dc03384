"""Chunked scoring and the sparse top-K shortlist.

Scores are computed for blocks of demands against all mentors, turned into integers
(`SCALE` = 10^6 per unit of score, ineligible pairs = -1), and only each demand's top-K eligible
mentors are kept, plus its ranked mentors. For every demand we also keep the best score left out
of the shortlist: the certificate uses it to prove that left-out pairs cannot improve the result.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numba import njit
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays, kernels
from mentorbridge.matching_engine.features import Features, row_pointers
from mentorbridge.matching_engine.model import Model

SCALE = kernels.SCALE
INELIGIBLE = kernels.INELIGIBLE
CELLS_PER_BLOCK = 2_000_000
PARALLEL_CELLS = 4_000_000  # a `ColumnView.score` call this large runs on the thread pool
CHUNK_CELLS = 2_000_000  # int32 scores per kernel call of the shortlist pass (8 MB)
MENTOR_SIDE_MAX = 24
PROBE_STRIDE = 8
MENTOR_RESERVE = 192  # each mentor's best demands kept: listed (side width) or in reserve
EMPTY = np.zeros(0, np.int64)
I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
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
            out,
            tables.args(rows),
            rule_args(model),
            tables.n_classes,
            model.n_mentors,
        )
    return out


class ColumnView:
    """Scores of any demand rows against a fixed set of mentor columns.

    The kernels get tables cut to those mentors, so the work is proportional to the columns
    (the posting lists are filtered once) and the integer scores equal `scored_rows`.
    """

    def __init__(self, features: Features, cols: I64) -> None:
        """Cut the tables and the hard rules to the mentors `cols`."""
        model = features.model
        self.cols = np.ascontiguousarray(cols, np.int64)
        self.tables = features.kernel_tables().restrict(self.cols)
        self.position = position = np.full(model.n_mentors, -1, np.int64)
        position[self.cols] = np.arange(len(self.cols))
        r_ptr, r_col, closed = rule_args(model)
        keep = position[r_col] >= 0
        owner = np.repeat(np.arange(len(r_ptr) - 1), np.diff(r_ptr))
        counts = np.bincount(owner[keep], minlength=len(r_ptr) - 1)
        self.rules = (
            np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            position[r_col[keep]],
            position[closed][position[closed] >= 0],
        )

    def score(self, rows: I64) -> NDArray[np.int32]:
        """Integer scores of demand rows x the view's mentors; removed pairs INELIGIBLE.

        A call of PARALLEL_CELLS cells or more is split into row ranges scored on the
        thread pool (the kernel releases the GIL; each pair's score does not depend on the
        split): the fill step, the class seed and the exact fallback score all-pairs blocks
        through here."""
        rows = np.ascontiguousarray(rows, np.int64)
        n = len(self.cols)
        out = np.empty((len(rows), n), np.int32)
        workers = min(worker_count(), len(rows))
        if workers < 2 or len(rows) * n < PARALLEL_CELLS:
            self._score_into(rows, out)
            return out
        bounds = np.linspace(0, len(rows), workers + 1).astype(np.int64)
        with ThreadPoolExecutor(workers) as pool:
            for _ in pool.map(
                lambda lo, hi: self._score_into(rows[lo:hi], out[lo:hi]),
                bounds[:-1],
                bounds[1:],
            ):
                pass
        return out

    def _score_into(self, rows: I64, out: NDArray[np.int32]) -> None:
        n = len(self.cols)
        if len(rows) and n:
            kernels.score_rows_units(
                rows,
                out,
                self.tables.args(rows),
                self.rules,
                self.tables.n_classes,
                n,
            )


@dataclass
class Shortlist:
    """Per-demand sparse lists of (mentor, integer score), sorted by score desc then mentor."""

    indptr: I64
    cols: I64
    scores: I64
    excluded_best: I64  # per demand: an upper bound of its scores not in the shortlist
    column_excluded: I64  # per mentor: an upper bound of its scores neither listed nor reserve
    eligible_count: I64
    score_seconds: float = 0.0  # summed over worker threads
    select_seconds: float = 0.0
    # Reserve: more of each mentor's best demands, scored but not listed (the certificate
    # checks them against the prices instead of scoring them again), in (demand, mentor)
    # order. Kept as one int64 key per pair (`_reserve_key`: demand << 41 | mentor << 20 |
    # score) where the ids fit, a third of three arrays (100,000 x 30,000 with `goal_fit`
    # alone: 16.8 M pairs, 0.27 GB less for the whole run), else as three arrays; read
    # through `reserve_rows`, `reserve_cols` and `reserve_scores`.
    _reserve_key: I64 | None = field(default=None, repr=False, compare=False)
    _reserve: tuple[I64, I64, I64] = field(
        default_factory=lambda: (EMPTY, EMPTY, EMPTY), repr=False, compare=False
    )
    # the sorted keys of the entries and the (indptr, cols, scores) they were built into
    _keys: tuple[I64, I64, I64, I64] | None = field(default=None, repr=False, compare=False)

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
        return kernels.listed_scores(
            self.indptr,
            self.cols,
            self.scores,
            np.ascontiguousarray(rows, np.int64),
            np.ascontiguousarray(cols, np.int64),
        )

    def score_of(self, d: int, j: int) -> int | None:
        """Shortlisted score of a pair, or None."""
        cols, scores = self.row(d)
        hit = np.flatnonzero(cols == j)
        return int(scores[hit[0]]) if len(hit) else None

    def merge(self, rows: I64, cols: I64, scores: I64) -> int:
        """Add entries (duplicates ignored), keep every row sorted; returns how many are new."""
        if len(rows) == 0:
            return 0
        before = len(self.cols)
        n_rows = len(self.indptr) - 1
        width = int(max(self.cols.max(initial=0), cols.max())) + 1
        reserve_done = False
        if n_rows < 2**22 and width <= 2**21:
            # the entries are already in key order: sort only the new ones and insert them
            old = self._sorted_keys()
            new = arrays.unique(_entry_keys(rows, cols, scores))
            reserve = self._reserve_key
            if reserve is not None and len(reserve):
                # the reserve's pairs among the given ones, demand by demand (no sort)
                n_m = max(width, int(self.reserve_cols.max()) + 1)
                self._reserve_key = reserve[~reserve_given(reserve, new, n_m)]
                reserve_done = True
            # the keys hold every entry: the entries go before the merged keys are made, the
            # old keys before the new entries (peak memory; 100,000 x 30,000 `profiles`: 20 M
            # entries, 0.16 GB at the run's peak)
            n_rows = len(self.indptr) - 1
            self._keys = None
            self.indptr, self.cols, self.scores = EMPTY, EMPTY, EMPTY
            key = merged_keys(old, new)
            del old, new
            self._from_keys(key, n_rows)
        else:
            self.rebuild(
                np.concatenate([self.rows, rows]),
                np.concatenate([self.cols, cols]),
                np.concatenate([self.scores, scores]),
            )
        if self.reserve_size and not reserve_done:
            key_width = int(max(self.reserve_cols.max(), cols.max())) + 1
            taken = arrays.isin(
                self.reserve_rows * key_width + self.reserve_cols, rows * key_width + cols
            )
            self.drop_reserve(~taken)
        return len(self.cols) - before

    def _from_keys(self, key: I64, n_rows: int) -> None:
        # the old keys and entries are freed before the new entries are made: at 100,000 x
        # 30,000 `profiles` (20 M entries) a merge held both, 0.33 GB more at the run's peak
        self._keys = None
        self.indptr, self.cols, self.scores = EMPTY, EMPTY, EMPTY
        self.indptr, self.cols, self.scores = unpacked_keys(key, n_rows)
        self._keys = (key, self.indptr, self.cols, self.scores)

    def _sorted_keys(self) -> I64:
        """The entries' keys (`_entry_keys`), in order. The keys the entries were last built
        from are kept while the entries are those same arrays: every merge of a round would
        otherwise make them again from all entries (9-10 M at 100,000 x 30,000; keeping them
        costs 8 bytes per entry, about 80 MB there)."""
        kept = self._keys
        if (
            kept is not None
            and kept[1] is self.indptr
            and kept[2] is self.cols
            and kept[3] is self.scores
        ):
            return kept[0]
        return _entry_keys(self.rows, self.cols, self.scores)

    def drop(self, keep: NDArray[np.bool_], keep_reserve: NDArray[np.bool_]) -> None:
        """Keep only the entries (and reserve entries) where `keep` is true."""
        if not bool(keep.all()):
            if len(self.indptr) - 1 < 2**22 and int(self.cols.max(initial=0)) < 2**21:
                # the entries are in key order, and so is any subset of them: no sort
                self._from_keys(self._sorted_keys()[keep], len(self.indptr) - 1)
            else:
                self.rebuild(self.rows[keep], self.cols[keep], self.scores[keep], unique=True)
        self.drop_reserve(keep_reserve)

    def drop_reserve(self, keep: NDArray[np.bool_]) -> None:
        """Keep only the reserve entries where `keep` is true."""
        if self._reserve_key is not None:
            self._reserve_key = self._reserve_key[keep]
        else:
            self._reserve = (
                self._reserve[0][keep],
                self._reserve[1][keep],
                self._reserve[2][keep],
            )

    def set_reserve(self, rows: I64, cols: I64, scores: I64) -> None:
        """The reserve's pairs (any order; each pair once), sorted by (demand, mentor)."""
        if len(rows) and int(rows.max()) < 2**22 and int(cols.max()) < 2**21:
            # a pair is there once, so the score never decides the order
            key = (rows << 41) | (cols << 20) | scores.clip(0, SCALE)
            key.sort()
            self._reserve_key, self._reserve = key, (EMPTY, EMPTY, EMPTY)
            return
        order = np.argsort(rows * (int(cols.max(initial=0)) + 1) + cols, kind="stable")
        self._reserve_key = None
        self._reserve = (rows[order], cols[order], scores[order])

    @property
    def reserve_size(self) -> int:
        key = self._reserve_key
        return len(key) if key is not None else len(self._reserve[0])

    @property
    def reserve_rows(self) -> I64:
        key = self._reserve_key
        return key >> 41 if key is not None else self._reserve[0]

    @property
    def reserve_cols(self) -> I64:
        key = self._reserve_key
        return (key >> 20) & (2**21 - 1) if key is not None else self._reserve[1]

    @property
    def reserve_scores(self) -> I64:
        key = self._reserve_key
        return key & (2**20 - 1) if key is not None else self._reserve[2]

    def rebuild(self, rows: I64, cols: I64, scores: I64, unique: bool = False) -> None:
        """Replace all entries; duplicates of a (demand, mentor) pair are dropped."""
        n_rows = len(self.indptr) - 1
        if len(rows) == 0 or (int(rows.max()) < 2**22 and int(cols.max()) < 2**21):
            # one sorted int64 key (row, score descending, mentor): a pair always has the same
            # score, so its duplicates end up next to each other
            self._from_keys(arrays.unique(_entry_keys(rows, cols, scores)), n_rows)
            return
        width = int(cols.max()) + 1
        if not unique:
            _, first = np.unique(rows * width + cols, return_index=True)
            rows, cols, scores = rows[first], cols[first], scores[first]
        order = np.lexsort((cols, -scores, rows))
        rows, cols, scores = rows[order], cols[order], scores[order]
        counts = np.bincount(rows, minlength=n_rows)
        self.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.cols, self.scores = cols.astype(np.int64), scores.astype(np.int64)


@njit(cache=True, nogil=True)
def merged_keys(old: I64, new: I64) -> I64:
    """Two sorted arrays of distinct keys merged into one sorted array of distinct keys (a key
    in both is kept once), in one pass."""
    out = np.empty(len(old) + len(new), np.int64)
    i = j = k = 0
    while i < len(old) or j < len(new):
        if j >= len(new) or (i < len(old) and old[i] < new[j]):
            out[k] = old[i]
            i += 1
        elif i >= len(old) or new[j] < old[i]:
            out[k] = new[j]
            j += 1
        else:  # in both
            out[k] = old[i]
            i += 1
            j += 1
        k += 1
    return out[:k]


@njit(cache=True, nogil=True)
def reserve_given(reserve_key: I64, entry_key: I64, n_mentors: int) -> NDArray[np.bool_]:
    """Which reserve pairs (keys of `Shortlist._reserve_key`, sorted) are among the entries
    of sorted entry keys (`_entry_keys`): both come by demand, so each demand's entries mark
    their mentors and its reserve pairs look them up (one pass over each, no sort)."""
    given = np.zeros(len(reserve_key), np.bool_)
    marked = np.zeros(n_mentors, np.bool_)
    e = 0
    r = 0
    while r < len(reserve_key) and e < len(entry_key):
        row = reserve_key[r] >> 41
        while e < len(entry_key) and (entry_key[e] >> 41) < row:
            e += 1
        start = e
        while e < len(entry_key) and (entry_key[e] >> 41) == row:
            marked[entry_key[e] & (2**21 - 1)] = True
            e += 1
        while r < len(reserve_key) and (reserve_key[r] >> 41) == row:
            given[r] = marked[(reserve_key[r] >> 20) & (2**21 - 1)]
            r += 1
        for k in range(start, e):
            marked[entry_key[k] & (2**21 - 1)] = False
    return given


@njit(cache=True, nogil=True)
def unpacked_keys(key: I64, n_rows: int) -> tuple[I64, I64, I64]:
    """The row pointers, mentors and scores of sorted entry keys (see `_entry_keys`), in one
    pass."""
    n = len(key)
    indptr = np.zeros(n_rows + 1, np.int64)
    cols = np.empty(n, np.int64)
    scores = np.empty(n, np.int64)
    for i in range(n):
        k = key[i]
        indptr[(k >> 41) + 1] += 1
        cols[i] = k & (2**21 - 1)
        scores[i] = SCALE - ((k >> 21) & (2**20 - 1))
    for d in range(n_rows):
        indptr[d + 1] += indptr[d]
    return indptr, cols, scores


def _entry_keys(rows: I64, cols: I64, scores: I64) -> I64:
    """One int64 per entry that sorts as (row, score descending, mentor); a pair always has
    the same score, so equal pairs get equal keys."""
    return (rows << 41) | ((SCALE - scores.clip(0, SCALE)) << 21) | cols


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
    codes = features.kernel_tables().parts.a_codes
    return np.lexsort(codes.T[::-1]).astype(np.int64) if len(codes) else EMPTY


def category_rank(features: Features) -> I64:
    """Each demand's position in `by_categories` order (computed once per tables)."""
    tables = features.kernel_tables()
    if tables.category_rank is None:
        order = by_categories(features)
        rank = np.empty(len(order), np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        tables.category_rank = rank
    return tables.category_rank


SAMPLE_ROWS = 2_000
# where mentors hardly ever tie (no mentor classes with members: the first prices come from
# auctions), at least this many sampled rows above each column floor: the floor is a quantile
# of the sample, and from 2,000 rows of 139,893 (100,000 x 30,000) the depth of 192 is the
# sample's 3rd best, a floor one or two rows decide (see `build_shortlist`)
MIN_SAMPLE_HITS = 5
TIE_ROOM = 4  # a column floor's tie may hold this many times the rows asked above it
TIE_KEEP = 2  # a tie beyond that: about this many times the rows asked are kept


TIE_FULL = kernels.TIE_FULL  # a tie share that keeps every tied demand


def column_floors(features: Features, depth: int, min_hits: int = 1) -> tuple[I64, I64]:
    """Per mentor, a score that about `depth` of its demands exceed (from a sample of rows),
    and the share of the demands tied one unit above it that the shortlist keeps (out of
    TIE_FULL, see `kernels._tie_kept`).

    Every entry above its mentor's floor is kept by the shortlist pass (listed or in the
    reserve), so the floor bounds all of the mentor's other scores. With every row sampled
    the floor is one unit below the depth-th best score: demands tied with it are kept too
    (identical profiles often tie, and a strict floor at a tie would leave a mentor with no
    entry at all). From a sample, at least `min_hits` sampled rows are left above the floor.

    Where the tie at the depth-th best reaches TIE_ROOM times the rows asked (every pair of a
    cohort scoring alike: 168 M pairs at 20,000 x 6,000, 14 GB), only a share of the tied
    demands is kept, about TIE_KEEP times the depth in all, picked by a hash of the pair; the
    mentor's bound for left-out pairs (`Shortlist.column_excluded`) is then the tied score.
    """
    model = features.model
    n_d, n_m = model.n_demands, model.n_mentors
    if n_d <= SAMPLE_ROWS:
        sample = np.arange(n_d, dtype=np.int64)
    else:
        sample = np.sort(np.random.default_rng(0).choice(n_d, SAMPLE_ROWS, replace=False))
    full = np.full(n_m, TIE_FULL, np.int64)
    q = max(1, int(np.ceil(depth * len(sample) / max(n_d, 1))))
    if len(sample) < n_d:
        q = max(q, min(min_hits, len(sample)))
    # the q best of each column, and TIE_ROOM times as many: how far a tie at the q-th reaches
    room = min(len(sample), TIE_ROOM * q)
    best = np.full((0, n_m), INELIGIBLE, np.int32)
    for block in chunks(sample, n_m):
        values = np.concatenate([best, scored_rows(features, block)])
        if len(values) > room:
            values = -np.partition(-values, room - 1, axis=0)[:room]
        best = values
    if len(best) < q:
        return np.full(n_m, INELIGIBLE, np.int64), full
    best = -np.sort(-best, axis=0)
    at = best[q - 1].astype(np.int64)
    flooded = (len(best) == room) & (room > q) & (best[room - 1] == at) & (at >= 0)
    if not flooded.any():
        return at - 1, full
    cols = np.flatnonzero(flooded)
    tied = np.zeros(len(cols), np.int64)
    for block in chunks(sample, n_m):
        tied += (scored_rows(features, block)[:, cols] == at[cols]).sum(axis=0)
    above = (best[:, cols] > at[cols]).sum(axis=0)  # all within the room, as the tie fills it
    keep = np.clip((TIE_KEEP * q - above) / np.maximum(tied, 1), 0.0, 1.0)
    share = full.copy()
    share[cols] = np.where(keep >= 1.0, TIE_FULL, (keep * TIE_FULL).astype(np.int64))
    return at - 1, share


def _split_reserve(side: list[I64], width: int) -> tuple[NDArray[np.bool_], I64, I64, I64]:
    """Order the entries above the column floors ([rows, cols, scores], a list this empties:
    given the only references, each array goes once the next is made) by (mentor, score desc,
    demand); the first `width` of each mentor and every PROBE_STRIDE-th after them are listed
    (True), the rest are the reserve. The probes reach down the mentor's column, so that
    demands likely to be left unmatched take part in the first solve and give the mentor a
    realistic price."""
    rows, cols, scores = side
    side.clear()
    if len(rows) and int(rows.max()) < 2**22 and int(cols.max()) < 2**21:
        # one int64 key (mentor, score descending, demand) that holds the whole entry: a plain
        # sort of the keys in place (no argsort, no gathers)
        key = (cols << 42) | ((SCALE - scores.clip(0, SCALE)) << 22) | rows
        del rows, cols, scores
        key.sort()
        rows, cols = key & (2**22 - 1), key >> 42
        scores = key >> 22
        del key
        scores &= 2**20 - 1
        np.subtract(SCALE, scores, out=scores)
    else:
        order = np.lexsort((rows, -scores, cols))
        rows, cols, scores = rows[order], cols[order], scores[order]
    return kernels.ranked_in_runs(cols, width, PROBE_STRIDE), rows, cols, scores


SHARE_ROWS = 256


def _scoring_share(
    features: Features, rules: tuple[I64, I64, I64], k: int, floors: tuple[I32, I64]
) -> float:
    """Share of the shortlist pass spent scoring, measured on up to SHARE_ROWS rows."""
    model = features.model
    tables = features.kernel_tables()
    n_m = model.n_mentors
    rows = np.arange(min(SHARE_ROWS, model.n_demands), dtype=np.int64)
    if len(rows) == 0 or n_m == 0:
        return 1.0
    n = len(rows)
    t0 = time.perf_counter()
    values = np.empty((n, n_m), np.int32)
    kernels.score_rows_units(rows, values, tables.args(rows), rules, tables.n_classes, n_m)
    t1 = time.perf_counter()
    none = np.empty(0, np.int64)
    kernels.shortlist_rows(
        rows,
        tables.args(rows),
        rules,
        tables.n_classes,
        n_m,
        k,
        (tables.ranked_ptr, tables.ranked_cols),
        np.empty((n, k), np.int64),
        np.empty((n, k), np.int32),
        np.empty(n, np.int32),
        np.empty(n, np.int64),
        np.empty(len(tables.ranked_cols), np.int32),
        floors,
        none,
        none,
        np.empty(0, np.int32),
    )
    t2 = time.perf_counter()
    return float(min(1.0, (t1 - t0) / max(t2 - t1, 1e-9)))


def build_shortlist(
    features: Features, k: int, progress: Progress | None = None, spread: bool = False
) -> Shortlist:
    """Score all pairs row by row (never a dense matrix); keep each demand's top-k eligible
    mentors and its ranked mentors, plus each mentor's best few demands (see
    `mentor_side_width`).

    `spread`: no two mentors score alike (no mentor classes with members), so the first
    prices will come from auctions; then the column floors leave at least MIN_SAMPLE_HITS
    sampled rows above them. At 100,000 x 30,000 (a floor at the sample's 3rd best
    otherwise) the tighter column bounds halved the pairs the auctions' certificate passes
    score; with classes of alike mentors (the `alike` generator, first prices from a sampled
    problem) the same floors cost 6 rounds instead of 5."""
    model = features.model
    n_d, n_m = model.n_demands, model.n_mentors
    tables = features.kernel_tables()
    rules = rule_args(model)
    width = mentor_side_width(model.capacity)
    depth = max(width, MENTOR_RESERVE)
    k_eff = max(1, min(k, n_m))
    top_cols = np.full((n_d, k_eff), -1, np.int64)
    top_scores = np.full((n_d, k_eff), INELIGIBLE, np.int32)
    excluded = np.full(n_d, INELIGIBLE, np.int64)
    eligible = np.zeros(n_d, np.int64)
    ranked_scores = np.full(len(tables.ranked_cols), INELIGIBLE, np.int32)
    floors, tie_share = column_floors(features, depth, MIN_SAMPLE_HITS if spread else 1)
    floors32 = (floors.astype(np.int32), tie_share)  # int32: half the memory traffic
    found: list[tuple[I32, I32, I32]] = []
    per_row = max(depth, MIN_SAMPLE_HITS * n_d / SAMPLE_ROWS if spread else 0) * n_m / max(n_d, 1)

    def work(rows: I64) -> tuple[float, int]:
        t0 = time.perf_counter()
        cols = np.empty((len(rows), k_eff), np.int64)
        scores = np.empty((len(rows), k_eff), np.int32)
        out_excluded = np.empty(len(rows), np.int32)
        out_eligible = np.empty(len(rows), np.int64)
        room = int(4 * per_row * len(rows)) + 1024
        while True:
            above = (np.empty(room, np.int64), np.empty(room, np.int64), np.empty(room, np.int32))
            n = kernels.shortlist_rows(
                rows,
                tables.args(rows),
                rules,
                tables.n_classes,
                n_m,
                k_eff,
                (tables.ranked_ptr, tables.ranked_cols),
                cols,
                scores,
                out_excluded,
                out_eligible,
                ranked_scores,
                floors32,
                *above,
            )
            if n <= room:
                break
            room = n
        top_cols[rows], top_scores[rows] = cols, scores
        excluded[rows], eligible[rows] = out_excluded, out_eligible
        # compact copies: views would keep the pass's buffers (4 times the room, 20 bytes an
        # entry) alive until the end of scoring (100,000 x 30,000: 0.9 GB at the run's peak)
        found.append(
            (above[0][:n].astype(np.int32), above[1][:n].astype(np.int32), above[2][:n].copy())
        )
        return time.perf_counter() - t0, len(rows)

    pass_seconds = 0.0
    if n_d and n_m:
        with ThreadPoolExecutor(worker_count()) as pool:
            for seconds, done in pool.map(work, chunks(by_categories(features), n_m)):
                pass_seconds += seconds
                if progress is not None:
                    progress(done)
    # Scoring and selecting share one pass: split its time by the scoring share measured on
    # a few rows (scored alone, then scored and selected).
    share = _scoring_share(features, rules, k_eff, floors32)
    score_seconds = pass_seconds * share
    select_seconds = pass_seconds - score_seconds
    listed = top_cols >= 0
    rows = np.repeat(np.arange(n_d, dtype=np.int64), listed.sum(axis=1))
    ranked = ranked_scores >= 0
    ranked_rows = np.repeat(np.arange(n_d, dtype=np.int64), np.diff(tables.ranked_ptr))
    side = [
        np.concatenate([f[i] for f in found], dtype=np.int64) if found else EMPTY for i in range(3)
    ]
    found.clear()
    listed_side, side_rows, side_cols, side_scores = _split_reserve(side, width)
    shortlist = Shortlist(
        indptr=np.zeros(n_d + 1, np.int64),
        cols=EMPTY,
        scores=EMPTY,
        excluded_best=excluded,
        column_excluded=floors + (tie_share < TIE_FULL),  # a tie cut: the tied score
        eligible_count=eligible,
        score_seconds=score_seconds,
        select_seconds=select_seconds,
    )
    shortlist.rebuild(
        np.concatenate([rows, ranked_rows[ranked], side_rows[listed_side]]),
        np.concatenate([top_cols[listed], tables.ranked_cols[ranked], side_cols[listed_side]]),
        np.concatenate(
            [
                top_scores[listed].astype(np.int64),
                ranked_scores[ranked].astype(np.int64),
                side_scores[listed_side],
            ]
        ),
    )
    # the reserve: the rest of each mentor's best, less what the rows listed anyway
    # the reserve, in (demand, mentor) order so that lookups into it walk it in order
    reserve = ~listed_side
    r_rows, r_cols, r_scores = side_rows[reserve], side_cols[reserve], side_scores[reserve]
    del side_rows, side_cols, side_scores, listed_side, reserve
    shortlist.set_reserve(r_rows, r_cols, r_scores)
    del r_rows, r_cols, r_scores
    if shortlist.reserve_size:
        # no keys of every entry (100,000 x 30,000 with `goal_fit` alone: 0.3 GB at the peak)
        taken = kernels.pairs_listed(
            shortlist.indptr, shortlist.cols, shortlist.reserve_rows, shortlist.reserve_cols, n_m
        )
        shortlist.drop_reserve(~taken)
    return shortlist
