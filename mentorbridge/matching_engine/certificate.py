"""Optimality certificate from LP duality, valid for the full (unshortlisted) problem.

For mentor prices p_j >= 0 and pair prices q_ij >= 0 (mentee i, mentor j), weak duality gives

    OPT <= sum_j cap_j p_j + sum_ij q_ij + sum_d max(0, max_{j eligible} (v_dj - p_j - q_ij))

for every demand d, where v is the pair value (score, plus a bonus per matched demand in
`coverage` and `fair`). The inner max over left-out mentors is bounded first by the best
left-out score kept by the shortlist (p, q >= 0); only demands where that cheap bound is not
enough get an exact pass over all mentors. Mentors found there with a positive reduced value
are added to the shortlist, and the caller re-solves.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine import kernels
from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.shortlist import (
    EMPTY,
    INELIGIBLE,
    SCALE,
    Shortlist,
    block_ranges,
    scored_columns,
    worker_count,
)
from mentorbridge.matching_engine.solvers.flow import FlowSolution

I64 = NDArray[np.int64]
log = logging.getLogger(__name__)
F64 = NDArray[np.float64]
ADD_MARGIN = SCALE // 50  # also add left-out pairs within 0.02 of improving
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


def _pair_prices(solution: FlowSolution, mentee: I64, cols: I64, n_mentors: int) -> F64:
    q = np.zeros(len(cols))
    if len(solution.mid_mentee_key):
        key = mentee * max(n_mentors, 1) + cols
        pos = np.searchsorted(solution.mid_mentee_key, key)
        pos_ok = np.minimum(pos, len(solution.mid_mentee_key) - 1)
        hit = solution.mid_mentee_key[pos_ok] == key
        q[hit] = solution.mid_prices[pos_ok[hit]]
    return q


def mentor_prices(solution: FlowSolution, pricing: Pricing) -> F64:
    """Duals p_j; a mentor with no free capacity gets a price no pair can beat."""
    prices = solution.prices.astype(np.float64).copy()
    prices[pricing.capacity <= 0] = float(SCALE + pricing.bonus)
    return prices


@dataclass
class CertifyMemory:
    """What an exact pass learnt, reused by the next round's cheap check.

    `left_out_reduced[d]` bounds max over left-out mentors j of (v_dj - p_j) for the prices in
    `prices`; with new prices p' it still bounds the same max plus max_j (p_j - p'_j).
    """

    prices: F64 | None = None
    left_out_reduced: F64 | None = None
    row_best: F64 | None = None  # u_d: the demand's best reduced value over all mentors
    bonus: int = 0
    threshold: int = 0

    def forget_unless(self, bonus: int, threshold: int) -> None:
        """Drop what was learnt for another bonus or threshold (it would not be valid)."""
        if (bonus, threshold) != (self.bonus, self.threshold):
            self.prices = self.left_out_reduced = self.row_best = None
            self.bonus, self.threshold = bonus, threshold


def _rows_slices(shortlist: Shortlist, block: I64) -> tuple[I64, I64]:
    starts = shortlist.indptr[block]
    lengths = shortlist.indptr[block + 1] - starts
    local = np.repeat(np.arange(len(block)), lengths)
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return local, shortlist.cols[np.repeat(starts, lengths) + offsets]


def _exact_block(
    features: Features,
    shortlist: Shortlist,
    block: I64,
    cols: I64,
    colpos: I64,
    prices: I64,
    best_listed: F64,
    pricing: Pricing,
    add_limit: int,
) -> tuple[F64, F64, I64, I64, I64, I64]:
    """Exact reduced values of the mentors `cols` for the demands in `block`
    (see `kernels.certify_select`); added pairs are returned as (demand, mentor, score)."""
    values = scored_columns(features, block, cols)
    local, listed = _rows_slices(shortlist, block)
    pos = colpos[listed]
    inside = pos >= 0
    local, pos = local[inside], pos[inside]
    listed_ptr = np.searchsorted(local, np.arange(len(block) + 1)).astype(np.int64)
    n = len(block)
    full_best, left_reduced = np.empty(n), np.empty(n)
    excluded = np.empty(n, np.int32)
    add_pos = np.empty((n, add_limit), np.int64)
    add_scores = np.empty((n, add_limit), np.int32)
    kernels.certify_select(
        values,
        listed_ptr,
        pos,
        prices[cols],
        pricing.bonus,
        pricing.threshold,
        np.ascontiguousarray(best_listed, np.float64),
        ADD_MARGIN,
        add_limit,
        full_best,
        left_reduced,
        excluded,
        add_pos,
        add_scores,
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


def _exact_pass(
    features: Features,
    shortlist: Shortlist,
    rows: I64,
    cols: I64,
    prices: I64,
    best: F64,
    pricing: Pricing,
    add_limit: int,
) -> list[tuple[I64, tuple[F64, F64, I64, I64, I64, I64]]]:
    """`_exact_block` over blocks of `rows` on the thread pool: [(block, results)]."""
    colpos = np.full(len(prices), -1, np.int64)
    colpos[cols] = np.arange(len(cols))
    blocks = [rows[lo:hi] for lo, hi in block_ranges(len(rows), len(cols))]
    with ThreadPoolExecutor(worker_count()) as pool:
        results = pool.map(
            lambda block: _exact_block(
                features,
                shortlist,
                block,
                cols,
                colpos,
                prices,
                best[block],
                pricing,
                add_limit,
            ),
            blocks,
        )
        return list(zip(blocks, results, strict=True))


def certify(
    features: Features,
    shortlist: Shortlist,
    solution: FlowSolution,
    pricing: Pricing,
    add_limit: int,
    memory: CertifyMemory,
) -> tuple[float, int, int]:
    """Bound the full problem; add improving left-out pairs to the shortlist.

    A left-out pair (d, j) has value at most min(row bound of d, column bound of j), so it can
    only improve on the dual solution where both exceed what d already gets; only those rows
    and columns are scored exactly. Returns (bound in integer units, demands scored exactly,
    pairs added).
    """
    model = features.model
    n_m = model.n_mentors
    memory.forget_unless(pricing.bonus, pricing.threshold)
    prices = mentor_prices(solution, pricing)
    if float(prices.max(initial=0.0)) + pricing.bonus + SCALE >= kernels.MAX_REDUCED:
        raise ValueError(ERR_TOO_LARGE)
    rows = shortlist.rows
    usable = pricing.active[rows] & (shortlist.scores >= pricing.threshold)
    r, c = rows[usable], shortlist.cols[usable]
    reduced = (
        shortlist.scores[usable]
        + pricing.bonus
        - prices[c]
        - _pair_prices(solution, model.demand_mentee[r], c, n_m)
    )
    best = np.zeros(model.n_demands)
    np.maximum.at(best, r, reduced)
    low = max(pricing.threshold, 0)
    # row bounds: the best score left out of each row (prices are >= 0)
    left_out = shortlist.excluded_best.astype(np.float64)
    cheap = np.where(left_out >= low, left_out + pricing.bonus, -np.inf)
    if memory.prices is not None and memory.left_out_reduced is not None:
        drift = float(np.max(memory.prices - prices, initial=0.0))
        cheap = np.minimum(cheap, memory.left_out_reduced + drift)
    # column bounds: the best score left out of each mentor's column, less its price
    column = shortlist.column_excluded.astype(np.float64)
    column_reduced = np.where(column >= low, column + pricing.bonus - prices, -np.inf)
    doubtful = np.flatnonzero(pricing.active & (cheap > best + 1e-9))
    left_reduced = cheap.copy()  # a valid bound on left-out reduced values at these prices
    # Rows whose bound from the last exact pass still holds for mentors whose price did not
    # fall only need the mentors whose price fell; the other rows need every mentor.
    everything = doubtful
    only_dropped = EMPTY
    dropped = np.ones(n_m, bool)
    if memory.prices is not None and memory.left_out_reduced is not None and len(doubtful):
        old_left = memory.left_out_reduced[doubtful]
        holds = old_left <= best[doubtful] + 1e-9
        everything, only_dropped = doubtful[~holds], doubtful[holds]
        dropped = memory.prices > prices
    integer_prices = np.rint(prices).astype(np.int64)
    added: list[tuple[I64, I64, I64]] = []
    passes = [(everything, np.ones(n_m, bool)), (only_dropped, dropped)]
    exact_rows = 0
    for rows_part, candidates in passes:
        if len(rows_part) == 0:
            continue
        floor = float(best[rows_part].min()) + 1e-9
        cols = np.flatnonzero(candidates & (column_reduced > floor))
        # mentors not scored: their column bound is below what every row already gets
        rest = candidates.copy()
        rest[cols] = False
        rest_reduced = float(column_reduced[rest].max(initial=-np.inf))
        rest_score = int(column[rest].max(initial=INELIGIBLE))
        base = (
            np.full(len(rows_part), -np.inf)
            if candidates.all()
            else memory.left_out_reduced[rows_part]  # type: ignore[index]
        )
        log.debug("certify: %d rows x %d mentors", len(rows_part), len(cols))
        if len(cols) == 0:
            left_reduced[rows_part] = np.maximum(base, rest_reduced)
            continue
        exact_rows += len(rows_part)
        found = _exact_pass(
            features, shortlist, rows_part, cols, integer_prices, best, pricing, add_limit
        )
        for block, (full_best, left_red, excluded, ar, ac, ascore) in found:
            local = np.searchsorted(rows_part, block)
            best[block] = full_best
            left_reduced[block] = np.maximum(np.maximum(left_red, rest_reduced), base[local])
            if candidates.all():
                shortlist.excluded_best[block] = np.minimum(
                    shortlist.excluded_best[block], np.maximum(excluded, rest_score)
                )
            if len(ar):
                added.append((ar, ac, ascore))
    memory.prices = prices
    memory.left_out_reduced = left_reduced
    memory.row_best = best
    total_best = float(np.maximum(best[pricing.active], 0.0).sum())
    bound_units = float((pricing.capacity.clip(0) * prices).sum()) + total_best
    bound_units += float(solution.mid_prices.sum())
    n_added = 0
    if added:
        shortlist.merge(
            np.concatenate([a[0] for a in added]),
            np.concatenate([a[1] for a in added]),
            np.concatenate([a[2] for a in added]),
        )
        n_added = sum(len(a[0]) for a in added)
    return bound_units, exact_rows, n_added
