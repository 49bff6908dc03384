"""Optimality certificate from LP duality, valid for the full (unshortlisted) problem.

For mentor prices p_j >= 0 and pair prices q_ij >= 0 (mentee i, mentor j), weak duality gives

    OPT <= sum_j cap_j p_j + sum_ij q_ij + sum_d max(0, max_{j eligible} (v_dj - p_j - q_ij))

for every demand d, where v is the pair value (score, plus a bonus per matched demand in
`coverage` and `fair`). The inner max runs over every mentor, listed or not. Left-out pairs are
handled in three tiers, cheapest first:

1. the reserve (more of each mentor's best demands, scored when the shortlist was built) is
   checked against the prices directly;
2. every other left-out pair (d, j) scores at most min(E_d, X_j), the best score left out of
   d's row and of j's column; where that cannot beat what d already gets, it is done;
3. only the rows and mentors left after that are scored exactly.

Left-out pairs with a positive (or nearly positive) reduced value are added to the shortlist,
and the caller re-solves.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays, heap, kernels
from mentorbridge.matching_engine.classes import has_members
from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.model import Model
from mentorbridge.matching_engine.shortlist import (
    SCALE,
    ColumnView,
    Shortlist,
    block_ranges,
    category_rank,
    worker_count,
)
from mentorbridge.matching_engine.solvers.flow import FlowSolution

I64 = NDArray[np.int64]
log = logging.getLogger(__name__)
F64 = NDArray[np.float64]
ADD_PER_MENTOR = 64
EXACT_GROUPS = 16  # tier 3 scores rows in this many groups, each against its own mentors
ADD_MARGIN = SCALE // 50  # also add left-out pairs within 0.02 of improving
EXACT_AHEAD = 3  # tier 3's groups scored at once at most (each holds a view of its mentors)
ERR_TOO_LARGE = "instance too large for the certificate: place values exceed 2^41 units"


@dataclass
class Pricing:
    """What a solve costs on each mentor and (mentee, mentor) pair."""

    bonus: int
    threshold: int
    active: NDArray[np.bool_]  # demands taking part (not pinned)
    capacity: I64  # free capacity per mentor


def relative_gap(objective: float, bound: float) -> float:
    """(bound - objective) / max(|bound|, tiny), never below 0."""
    return max(0.0, bound - objective) / max(abs(bound), 1e-12)


def _listed_best(
    shortlist: Shortlist, solution: FlowSolution, pricing: Pricing, prices: F64, model: Model
) -> F64:
    """Per demand, max(0, the best reduced value v + bonus - p_j - q_ij of its listed pairs
    with v >= threshold), 0 for demands not taking part (see `kernels.listed_best`)."""
    n_m = model.n_mentors
    priced = solution.mid_prices > 0  # most pair prices are 0: look up only the others
    keys = solution.mid_mentee_key[priced].astype(np.int64)
    if solution.mentor_class is not None:
        group = solution.mentor_class.astype(np.int64)  # intermediate nodes per mentor class
    else:
        group = np.arange(n_m, dtype=np.int64)
    out = np.empty(model.n_demands)
    kernels.listed_best(
        shortlist.indptr,
        shortlist.cols,
        shortlist.scores,
        (pricing.active, int(pricing.threshold), int(pricing.bonus)),
        np.ascontiguousarray(prices, np.float64),
        (
            model.demand_mentee.astype(np.int64),
            max(n_m, 1),
            group,
            keys,
            solution.mid_prices[priced].astype(np.float64),
        ),
        out,
    )
    return out


def mentor_prices(solution: FlowSolution, pricing: Pricing) -> F64:
    """Duals p_j; a mentor with no free capacity gets a price no pair can beat."""
    prices = solution.prices.astype(np.float64).copy()
    prices[pricing.capacity <= 0] = float(SCALE + pricing.bonus)
    return prices


@dataclass
class CertifyMemory:
    """What the last certificate found, for the next solve's working set."""

    prices: F64 | None = None
    row_best: F64 | None = None  # u_d: the demand's best reduced value over all mentors
    bonus: int = 0
    threshold: int = 0
    assigned: I64 | None = None  # the last solve's mentor per demand (ties keep it)
    # Per demand, an upper bound on the reduced value (at `prices`) of every eligible pair the
    # shortlist did not list when `prices` were set; only where `left_valid` (the demand took
    # part). See `_reused_rows`.
    left: F64 | None = None
    left_valid: NDArray[np.bool_] | None = None
    removed: I64 | None = None  # keys demand * n_mentors + mentor a hard rule removed then

    def forget_unless(self, bonus: int, threshold: int) -> None:
        """Drop what was learnt for another bonus or threshold (it would not be valid)."""
        if (bonus, threshold) != (self.bonus, self.threshold):
            self.prices = self.row_best = None
            self.left = self.left_valid = self.removed = None
            self.bonus, self.threshold = bonus, threshold

    def forget_bounds(self) -> None:
        """Drop the prices and per-demand bounds (the shortlist's duals are stale)."""
        self.prices = self.row_best = None
        self.left = self.left_valid = self.removed = None


@dataclass
class ExactView:
    """The mentors an exact pass scores (a `ColumnView`) and which of them each listed
    mentor marks as listed in its row: itself, or with mentor classes every view column of its
    class (every member scores the row alike, or is removed for it, at the class's price)."""

    view: ColumnView
    group: I64  # per mentor: its class representative, or itself
    mark_ptr: I64  # per group: CSR pointer into mark_pos
    mark_pos: I64  # view positions

    @classmethod
    def build(cls, features: Features, cols: I64, classes: I64 | None) -> ExactView:
        """The view of the mentors `cols`, with classes (a representative per mentor) or not."""
        view = ColumnView(features, cols)
        n_m = features.model.n_mentors
        group = np.arange(n_m, dtype=np.int64) if classes is None else classes.astype(np.int64)
        owner = group[view.cols]
        order = np.argsort(owner, kind="stable")
        mark_ptr = np.zeros(n_m + 1, np.int64)
        np.cumsum(np.bincount(owner, minlength=n_m), out=mark_ptr[1:])
        return cls(view, group, mark_ptr, order.astype(np.int64))


def _exact_block(
    shortlist: Shortlist,
    block: I64,
    exact: ExactView,
    prices: I64,
    best_listed: F64,
    pricing: Pricing,
    add_limit: int,
) -> tuple[F64, F64, I64, I64, I64, I64]:
    """Exact reduced values of the view's mentors for the demands in `block`, scored and
    selected row by row (see `kernels.certify_rows`); added pairs are returned as (demand,
    mentor, score)."""
    view = exact.view
    cols = view.cols
    n = len(block)
    full_best, left_reduced = np.empty(n), np.empty(n)
    excluded = np.empty(n, np.int32)
    add_pos = np.empty((n, add_limit), np.int64)
    add_scores = np.empty((n, add_limit), np.int32)
    if n and len(cols):
        kernels.certify_rows(
            block,
            view.tables.args(block),
            view.rules,
            view.tables.n_classes,
            (shortlist.indptr, shortlist.cols, exact.group, exact.mark_ptr, exact.mark_pos),
            prices[cols],
            (pricing.bonus, pricing.threshold, ADD_MARGIN),
            np.ascontiguousarray(best_listed, np.float64),
            add_limit,
            (full_best, left_reduced, excluded, add_pos, add_scores),
        )
    add_local, slot = np.nonzero(add_pos >= 0)
    return (
        full_best,
        left_reduced,
        excluded.astype(np.int64),
        block[add_local].astype(np.int64),
        cols[add_pos[add_local, slot]],
        add_scores[add_local, slot].astype(np.int64),
    )


ExactResult = tuple[F64, F64, I64, I64, I64, I64]


def _submit_exact(
    pool: ThreadPoolExecutor,
    features: Features,
    shortlist: Shortlist,
    rows: I64,
    cols: I64,
    prices: I64,
    best: F64,
    pricing: Pricing,
    add_limit: int,
    classes: I64 | None = None,
) -> list[tuple[I64, Future[ExactResult]]]:
    """`_exact_block` over blocks of `rows` against the mentors `cols`, submitted to `pool`:
    [(block, its future)]. Each block reads `best` of its own rows only."""
    exact = ExactView.build(features, cols, classes)
    # rows with the same categorical codes next to each other: the kernel reuses their class
    # sums (in demand order nearly every row computes them again)
    rows = np.ascontiguousarray(rows[np.argsort(category_rank(features)[rows], kind="stable")])
    blocks = [rows[lo:hi] for lo, hi in block_ranges(len(rows), len(cols))]
    return [
        (
            block,
            pool.submit(
                _exact_block, shortlist, block, exact, prices, best[block], pricing, add_limit
            ),
        )
        for block in blocks
    ]


def _exact_pass(
    features: Features,
    shortlist: Shortlist,
    groups: list[tuple[I64, I64]],
    prices: I64,
    best: F64,
    pricing: Pricing,
    add_limit: int,
    classes: I64 | None = None,
) -> list[tuple[I64, ExactResult]]:
    """Tier 3: each group of rows (rows, the mentors they need) scored exactly, its blocks on
    the thread pool: [(block, results)] in group and block order, `best` untouched.

    The groups' rows are disjoint, so a group's blocks do not wait for the last group's: while
    the pool scores them, this thread builds the next group's view (most groups after the
    first pass are a block or two: one at a time they kept one core busy, and the views were
    built while the pool waited). At most EXACT_AHEAD groups are in flight, so few views are
    held at once (each holds its mentors' tables)."""
    done: list[tuple[I64, ExactResult]] = []
    flight: list[list[tuple[I64, Future[ExactResult]]]] = []
    with ThreadPoolExecutor(worker_count()) as pool:
        for rows, cols in groups:
            log.debug("certify: %d rows x %d mentors scored exactly", len(rows), len(cols))
            if classes is not None:
                cols = _class_columns(features.model, cols, classes, rows)
            if len(flight) >= EXACT_AHEAD:
                done.extend((block, future.result()) for block, future in flight.pop(0))
            submitted = _submit_exact(
                pool, features, shortlist, rows, cols, prices, best, pricing, add_limit, classes
            )
            flight.append(submitted)
        for blocks in flight:
            done.extend((block, future.result()) for block, future in blocks)
    return done


def compile_exact_pass(features: Features) -> None:
    """Build the exact pass's kernel (small instances rarely reach it, so a warm-up solve may
    not): one demand against every mentor at price 0."""
    model = features.model
    if not (model.n_demands and model.n_mentors):
        return
    rows = np.zeros(1, np.int64)
    cols = np.arange(model.n_mentors, dtype=np.int64)
    shortlist = Shortlist(
        indptr=np.zeros(model.n_demands + 1, np.int64),
        cols=np.zeros(0, np.int64),
        scores=np.zeros(0, np.int64),
        excluded_best=np.zeros(model.n_demands, np.int64),
        column_excluded=np.zeros(model.n_mentors, np.int64),
        eligible_count=np.zeros(model.n_demands, np.int64),
    )
    pricing = Pricing(0, 0, np.ones(model.n_demands, bool), model.capacity)
    prices = np.zeros(model.n_mentors, np.int64)
    best = np.zeros(model.n_demands)
    _exact_pass(features, shortlist, [(rows, cols)], prices, best, pricing, 1)


def _class_columns(model: Model, cols: I64, classes: I64, rows: I64) -> I64:
    """The mentors of `cols` the exact pass needs when members of a class score alike.

    A class's members score every demand the same, except the pairs a hard rule removes for
    one member. So per class the first member is kept, then further members only while some
    demand of `rows` is removed for every member kept so far (and not for the next one):
    the kept members' best equals the whole class's best on every row.
    """
    n_m = model.n_mentors
    size = np.bincount(classes, minlength=n_m)
    multi = size[classes[cols]] > 1
    if not multi.any():
        return cols
    keep = ~multi
    in_rows = np.zeros(model.n_demands, bool)
    in_rows[rows] = True
    r_rows, r_cols = model.pair_rows, model.pair_cols
    hit = in_rows[r_rows] & (size[classes[r_cols]] > 1)
    removed: dict[int, set[int]] = {}
    for d, j in zip(r_rows[hit].tolist(), r_cols[hit].tolist(), strict=True):
        removed.setdefault(j, set()).add(d)
    nothing: set[int] = set()
    members = np.flatnonzero(multi)
    members = members[np.argsort(classes[cols[members]], kind="stable")]
    current = -1
    uncovered: set[int] = nothing
    for i, j in zip(members.tolist(), cols[members].tolist(), strict=True):
        if classes[j] != current:
            current = int(classes[j])
            keep[i] = True
            uncovered = set(removed.get(j, nothing))
        elif uncovered:
            mine = removed.get(j, nothing)
            if not uncovered <= mine:
                keep[i] = True
                uncovered &= mine
    return cols[keep]


def _reserve_pass(
    shortlist: Shortlist, prices: F64, pricing: Pricing, best: F64, add_limit: int
) -> tuple[F64, tuple[I64, I64, I64]]:
    """Tier 1: reduced values of the reserve pairs (scores known); returns each row's best
    reduced value including them, and the pairs to add (largest first, add_limit per row)."""
    rows, cols, scores = shortlist.reserve_rows, shortlist.reserve_cols, shortlist.reserve_scores
    full, take = kernels.reserve_best(
        rows, cols, scores, np.ascontiguousarray(prices, np.float64), pricing.active,
        max(pricing.threshold, 0), pricing.bonus, np.ascontiguousarray(best, np.float64),
        ADD_MARGIN, add_limit,
    )  # fmt: skip
    return full, (rows[take], cols[take], scores[take])


def _per_mentor(
    rows: I64, cols: I64, scores: I64, prices: F64, bonus: int, classes: I64 | None = None
) -> tuple[I64, I64, I64]:
    """Of the pairs added for a mentor with free places (price 0), keep the ADD_PER_MENTOR of
    largest reduced value: it would otherwise get a pair from almost every unmatched demand.
    A mentor class (one node with its members' places) keeps ADD_PER_MENTOR per member."""
    group = cols if classes is None else classes[cols]
    # only the groups with a free mentor can lose pairs: rank the pairs of those alone (the
    # rest, most of a round's millions of pairs, are kept as they come; the order of the
    # pairs returned does not matter to the shortlist's merge)
    free = np.zeros(max(len(prices), 1), bool)
    free[group[prices[cols] <= 0]] = True
    ranked = np.flatnonzero(free[group])
    if not len(ranked):
        return rows, cols, scores
    sub_rows, sub_cols, sub_scores, sub_group = (
        rows[ranked],
        cols[ranked],
        scores[ranked],
        group[ranked],
    )
    reduced = sub_scores + bonus - prices[sub_cols]
    order = np.lexsort((sub_rows, -reduced, sub_group))
    sub_group = sub_group[order]
    rank = arrays.group_rank(sub_group)
    if classes is None:
        limit = np.full(len(sub_group), ADD_PER_MENTOR, np.int64)
    else:
        limit = ADD_PER_MENTOR * np.bincount(classes, minlength=len(classes))[sub_group]
    keep = np.ones(len(rows), bool)
    keep[ranked[order]] = (rank < limit) | (prices[sub_cols[order]] > 0)
    return rows[keep], cols[keep], scores[keep]


def exact_groups(
    open_rows: I64, best: F64, row_cap: F64, column_reduced: F64, prices: F64
) -> list[tuple[I64, I64]]:
    """Tier 3's work: groups of rows, each with the mentors whose left-out pairs can still
    beat some row of the group.

    A left-out pair (d, j) is worth at most min(E_d, X_j) + bonus - p_j (tier 2), so for a
    group whose rows all have best >= b, only mentors with X_j + bonus - p_j > b and
    max E_d + bonus - p_j > b need scoring, and only rows whose E_d + bonus minus the
    cheapest of those prices beats their best. The rows are grouped by their best so far
    (EXACT_GROUPS groups of equal size): a row whose best is already high needs few mentors,
    and scoring every row against the mentors of the lowest one cost 3-6 times as many pairs.
    """
    groups: list[tuple[I64, I64]] = []
    if not len(open_rows):
        return groups
    order = open_rows[np.argsort(best[open_rows], kind="stable")]
    for part in np.array_split(order, min(EXACT_GROUPS, len(order))):
        if not len(part):
            continue
        floor = float(best[part].min())
        top = float(row_cap[part].max())
        cols = np.flatnonzero((column_reduced > floor + 1e-9) & (top - prices > floor + 1e-9))
        if not len(cols):
            continue
        cheapest = float(prices[cols].min())
        rows = part[row_cap[part] - cheapest > best[part] + 1e-9]
        if len(rows):
            groups.append((np.sort(rows), cols))
    return groups


def _largest_pair_price(solution: FlowSolution, model: Model) -> F64:
    """Per demand, the largest pair price of its mentee (0 without any)."""
    per_mentee = np.zeros(int(model.demand_mentee.max(initial=-1)) + 1)
    priced = solution.mid_prices > 0
    if priced.any():
        mentee = solution.mid_mentee_key[priced] // max(model.n_mentors, 1)
        np.maximum.at(per_mentee, mentee, solution.mid_prices[priced])
    return per_mentee[model.demand_mentee]


def removed_keys_of(model: Model) -> I64:
    """Sorted keys demand * n_mentors + mentor of the pairs hard rules remove."""
    width = max(model.n_mentors, 1)
    return arrays.unique(model.pair_rows * width + model.pair_cols)


def _reused_rows(
    memory: CertifyMemory,
    prices: F64,
    best: F64,
    removed: I64,
    active: NDArray[np.bool_],
) -> NDArray[np.bool_] | None:
    """Per demand, whether the last certificate's bound still clears every left-out pair
    whose mentor's price did not fall, or None when nothing can be reused.

    The stored bound ``left[d]`` is at least v_dj - p_j for every eligible pair (d, j) the
    shortlist did not list, at the stored prices p. Where p'_j >= p_j it still bounds
    v_dj - p'_j: pairs are only ever added to the shortlist (or removed by a hard rule, which
    only takes pairs away), so if it does not exceed the row's best reduced value from its
    listed and reserve pairs now, only the mentors whose price fell need looking at. Not
    reused for a demand that did not take part then, or that a hard rule since stopped
    removing a pair of (a pin replaced or undone).
    """
    left, valid, old_prices = memory.left, memory.left_valid, memory.prices
    if left is None or valid is None or old_prices is None or memory.removed is None:
        return None
    if len(left) != len(best) or len(old_prices) != len(prices):
        return None
    ok = valid & active
    freed = memory.removed[~arrays.isin(memory.removed, removed, pool_sorted=True)]
    if len(freed):
        ok[freed // max(len(prices), 1)] = False
    return ok & (left <= best + 1e-9)


def certify(
    features: Features,
    shortlist: Shortlist,
    solution: FlowSolution,
    pricing: Pricing,
    add_limit: int,
    memory: CertifyMemory,
) -> tuple[float, int, int]:
    """Bound the full problem; add improving left-out pairs to the shortlist.

    Returns (bound in integer units, demands scored exactly, pairs added).
    """
    model = features.model
    memory.forget_unless(pricing.bonus, pricing.threshold)
    prices = mentor_prices(solution, pricing)
    if float(prices.max(initial=0.0)) + pricing.bonus + SCALE >= kernels.MAX_REDUCED:
        raise ValueError(ERR_TOO_LARGE)
    t0 = time.perf_counter()
    listed_best = _listed_best(shortlist, solution, pricing, prices, model)
    # tier 1: the reserve
    best, reserve_adds = _reserve_pass(shortlist, prices, pricing, listed_best, add_limit)
    added = [reserve_adds]
    # tier 2: a left-out pair (d, j) scores at most min(E_d, X_j)
    low = max(pricing.threshold, 0)
    row_score = shortlist.excluded_best.astype(np.float64)
    row_cap = np.where(row_score >= low, row_score + pricing.bonus, -np.inf)
    column = shortlist.column_excluded.astype(np.float64)
    column_reduced = np.where(column >= low, column + pricing.bonus - prices, -np.inf)
    open_rows = np.flatnonzero(pricing.active & (row_cap > best + 1e-9))
    shared = has_members(solution.mentor_class)
    removed = removed_keys_of(model)
    settled = _reused_rows(memory, prices, best, removed, pricing.active)
    if settled is None:
        groups = exact_groups(open_rows, best, row_cap, column_reduced, prices)
    else:
        # rows whose stored bound cannot beat their best need only the mentors whose price
        # fell since (tier 2 on those mentors, then the exact pass on what is left)
        fell = prices < memory.prices  # type: ignore[operator]
        groups = exact_groups(open_rows[~settled[open_rows]], best, row_cap, column_reduced, prices)
        only_fell = np.where(fell, column_reduced, -np.inf)
        groups += exact_groups(open_rows[settled[open_rows]], best, row_cap, only_fell, prices)
    t1 = time.perf_counter()
    # tier 3: score the rest exactly, each group of rows against the mentors it needs
    classes = solution.mentor_class if shared else None
    integer_prices = np.rint(prices).astype(np.int64)
    found = _exact_pass(
        features, shortlist, groups, integer_prices, best, pricing, add_limit, classes
    )
    for block, (full_best, _, _, ar, ac, ascore) in found:
        best[block] = full_best
        added.append((ar, ac, ascore))
    n_exact = sum(len(rows) for rows, _ in groups)
    del found
    t2 = time.perf_counter()
    memory.prices = prices
    memory.row_best = best
    # every eligible pair left out of a demand's row is now known to be worth at most the
    # row's best (it was scored, or cleared by tier 2, or by the stored bound): keep that.
    # With mentor classes, a pair into a class the row lists through another member was
    # judged with the pair price of (mentee, class): add the mentee's largest one
    memory.left = best + _largest_pair_price(solution, model) if shared else best.copy()
    memory.left_valid = pricing.active.copy()
    memory.removed = removed
    total_best = float(np.maximum(best[pricing.active], 0.0).sum())
    bound_units = float((pricing.capacity.clip(0) * prices).sum()) + total_best
    bound_units += solution.pair_price_total()
    add_rows = np.concatenate([a[0] for a in added])
    add_cols = np.concatenate([a[1] for a in added])
    add_scores = np.concatenate([a[2] for a in added])
    rep = solution.mentor_class
    if rep is not None and len(add_rows) and has_members(rep):
        # a pair whose demand already lists a member of the mentor's class adds nothing (with
        # every mentor alone no added pair is listed: the exact pass and the reserve skip the
        # listed ones, so there is nothing to look up)
        new = ~kernels.lists_class(
            shortlist.indptr,
            shortlist.cols,
            np.ascontiguousarray(rep, np.int64),
            np.ascontiguousarray(add_rows, np.int64),
            np.ascontiguousarray(add_cols, np.int64),
        )
        add_rows, add_cols, add_scores = add_rows[new], add_cols[new], add_scores[new]
    n_added = shortlist.merge(
        *_per_mentor(add_rows, add_cols, add_scores, prices, pricing.bonus, classes)
    )
    del add_rows, add_cols, add_scores, added
    heap.trim()  # the exact pass's blocks and the merge's copies: freed, but still resident
    log.debug(
        "certify: tiers 1-2 %.2f s, exact %.2f s, merge %.2f s",
        t1 - t0,
        t2 - t1,
        time.perf_counter() - t2,
    )
    return bound_units, n_exact, n_added
