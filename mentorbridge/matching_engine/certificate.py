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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.shortlist import (
    SCALE,
    Shortlist,
    block_ranges,
    scored_columns,
    scored_rows,
    worker_count,
)
from mentorbridge.matching_engine.solvers.flow import FlowSolution

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
ADD_MARGIN = SCALE // 50  # also add left-out pairs within 0.02 of improving
DROPPED_SHARE_MAX = 0.5  # above this share of cheaper mentors a full exact pass is as cheap


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
    prices: F64,
    best_listed: F64,
    pricing: Pricing,
    add_limit: int,
) -> tuple[F64, F64, I64, I64, I64, I64]:
    values = scored_rows(features, block)
    small = pricing.bonus == 0 and float(prices.max(initial=0.0)) < 2**30
    dtype: type[np.signedinteger[Any]] = np.int32 if small else np.int64
    sentinel = np.iinfo(dtype).min // 2
    # Reduced values v - p in exact integers; removed, below-threshold and listed pairs (these
    # are covered by best_listed, which includes pair prices) get the sentinel.
    red: NDArray[np.signedinteger[Any]] = values.astype(dtype)
    red -= (prices - pricing.bonus).astype(dtype)[None, :]
    np.putmask(red, values < max(pricing.threshold, 0), sentinel)
    local, cols = _rows_slices(shortlist, block)
    red[local, cols] = sentinel
    full_best = np.maximum(best_listed, red.max(axis=1) if red.shape[1] else -np.inf)
    # Also add pairs that are nearly improving, so that the next solve rarely needs another.
    floor = np.floor(best_listed - ADD_MARGIN).astype(dtype)
    add_local, add_cols = np.nonzero(red > floor[:, None])
    if len(add_local):
        gain = red[add_local, add_cols]
        order = np.lexsort((add_cols, -gain, add_local))
        add_local, add_cols = add_local[order], add_cols[order]
        rank = np.arange(len(add_local)) - np.searchsorted(add_local, add_local)
        keep = rank < add_limit
        add_local, add_cols = add_local[keep], add_cols[keep]
    add_scores = values[add_local, add_cols].astype(np.int64)
    red[add_local, add_cols] = sentinel
    left = red.max(axis=1) if red.shape[1] else np.full(len(block), sentinel)
    left_reduced = np.where(left > sentinel, left, -np.inf).astype(np.float64)
    excluded = np.where(red > sentinel, values, -1).max(axis=1) if red.shape[1] else left
    return (
        np.maximum(full_best, 0.0),
        left_reduced,
        excluded.astype(np.int64),
        block[add_local].astype(np.int64),
        add_cols.astype(np.int64),
        add_scores,
    )


def _dropped_columns_bound(
    features: Features,
    shortlist: Shortlist,
    rows: I64,
    dropped: I64,
    prices: F64,
    pricing: Pricing,
    old_left: F64,
) -> F64:
    """Bound max over left-out j of (v_dj - p_j) when only the `dropped` mentors got cheaper.

    For other mentors the price did not fall, so the old bound still holds; the mentors whose
    price fell are scored exactly.
    """
    out = old_left[rows].copy()
    if len(dropped) == 0:
        return out
    for lo, hi in block_ranges(len(rows), len(dropped)):
        block = rows[lo:hi]
        values = scored_columns(features, block, dropped)
        red = values.astype(np.float64) + pricing.bonus - prices[dropped][None, :]
        red[values < max(pricing.threshold, 0)] = -np.inf
        local, cols = _rows_slices(shortlist, block)
        pos = np.searchsorted(dropped, cols).clip(0, len(dropped) - 1)
        hit = dropped[pos] == cols
        red[local[hit], pos[hit]] = -np.inf  # listed pairs are covered by best_listed
        out[lo:hi] = np.maximum(out[lo:hi], red.max(axis=1))
    return out


def certify(
    features: Features,
    shortlist: Shortlist,
    solution: FlowSolution,
    pricing: Pricing,
    add_limit: int,
    memory: CertifyMemory,
) -> tuple[float, int, int]:
    """Bound the full problem; add improving left-out pairs to the shortlist.

    Returns (bound in integer units, demands that needed an exact pass, pairs added).
    """
    model = features.model
    n_m = model.n_mentors
    memory.forget_unless(pricing.bonus, pricing.threshold)
    prices = mentor_prices(solution, pricing)
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
    left_out = shortlist.excluded_best.astype(np.float64)
    cheap = np.where(left_out >= max(pricing.threshold, 0), left_out + pricing.bonus, -np.inf)
    if memory.prices is not None and memory.left_out_reduced is not None:
        drift = float(np.max(memory.prices - prices, initial=0.0))
        cheap = np.minimum(cheap, memory.left_out_reduced + drift)
    doubtful = np.flatnonzero(pricing.active & (cheap > best + 1e-9))
    left_reduced = cheap.copy()  # a valid bound on left-out reduced values at these prices
    if memory.prices is not None and memory.left_out_reduced is not None and len(doubtful):
        dropped = np.flatnonzero(memory.prices > prices)
        if len(dropped) <= n_m * DROPPED_SHARE_MAX:
            refined = _dropped_columns_bound(
                features, shortlist, doubtful, dropped, prices, pricing, memory.left_out_reduced
            )
            left_reduced[doubtful] = np.minimum(left_reduced[doubtful], refined)
            doubtful = doubtful[refined > best[doubtful] + 1e-9]
    added: list[tuple[I64, I64, I64]] = []
    ranges = block_ranges(len(doubtful), n_m)
    with ThreadPoolExecutor(worker_count()) as pool:
        parts = pool.map(
            lambda lh: _exact_block(
                features,
                shortlist,
                doubtful[lh[0] : lh[1]],
                prices,
                best[doubtful[lh[0] : lh[1]]],
                pricing,
                add_limit,
            ),
            ranges,
        )
        for (lo, hi), (full_best, left_red, excluded, ar, ac, ascore) in zip(
            ranges, parts, strict=True
        ):
            block = doubtful[lo:hi]
            best[block] = full_best
            left_reduced[block] = left_red
            shortlist.excluded_best[block] = excluded
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
    return bound_units, len(doubtful), n_added
