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

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.shortlist import (
    SCALE,
    Shortlist,
    block_ranges,
    scored_rows,
)
from mentorbridge.matching_engine.solvers.flow import FlowSolution

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]


@dataclass
class Certificate:
    """Objective, upper bound for the full problem and relative gap (all in score units)."""

    objective: float
    bound: float
    gap: float
    exact_rows: int = 0


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


def certify(
    features: Features,
    shortlist: Shortlist,
    solution: FlowSolution,
    pricing: Pricing,
    add_limit: int,
) -> tuple[float, int, int]:
    """Bound the full problem; add improving left-out pairs to the shortlist.

    Returns (bound in integer units, demands that needed an exact pass, pairs added).
    """
    model = features.model
    n_m = model.n_mentors
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
    left_out_ok = left_out >= max(pricing.threshold, 0)
    cheap = np.where(left_out_ok, left_out + pricing.bonus, -np.inf)
    doubtful = np.flatnonzero(pricing.active & (cheap > best + 1e-9))
    added_rows: list[I64] = []
    added_cols: list[I64] = []
    added_scores: list[I64] = []
    for lo, hi in block_ranges(len(doubtful), n_m):
        block = doubtful[lo:hi]
        values = scored_rows(features, block)
        valid = values >= max(pricing.threshold, 0)
        red = values + float(pricing.bonus) - prices[None, :]
        mentees = model.demand_mentee[block]
        with_pairs = np.isin(mentees, solution.mid_mentee_key // max(n_m, 1))
        for local in np.flatnonzero(with_pairs):
            all_cols = np.arange(n_m, dtype=np.int64)
            mentee_col = np.full(n_m, mentees[local], np.int64)
            red[local] -= _pair_prices(solution, mentee_col, all_cols, n_m)
        red[~valid] = -np.inf
        full_best = np.maximum(red.max(axis=1), 0.0) if n_m else np.zeros(len(block))
        in_list = np.zeros_like(valid)
        for local, d in enumerate(block.tolist()):
            in_list[local, shortlist.row(d)[0]] = True
        improving = (red > best[block][:, None] + 1e-9) & ~in_list
        for local in np.flatnonzero(improving.any(axis=1)):
            cand = np.flatnonzero(improving[local])
            cand = cand[np.lexsort((cand, -red[local, cand]))][:add_limit]
            added_rows.append(np.full(len(cand), block[local], np.int64))
            added_cols.append(cand.astype(np.int64))
            added_scores.append(values[local, cand].astype(np.int64))
            in_list[local, cand] = True
        best[block] = full_best
        left = np.where(valid & ~in_list, values, -1)
        shortlist.excluded_best[block] = left.max(axis=1) if n_m else -1
    total_best = float(best[pricing.active].sum())
    bound_units = float((pricing.capacity.clip(0) * prices).sum()) + total_best
    bound_units += float(solution.mid_prices.sum())
    added = 0
    if added_rows:
        rows_new = np.concatenate(added_rows)
        shortlist.merge(rows_new, np.concatenate(added_cols), np.concatenate(added_scores))
        added = len(rows_new)
    return bound_units, len(doubtful), added
