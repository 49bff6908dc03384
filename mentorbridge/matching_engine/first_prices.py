"""Mentor prices for the first solve, from a sampled problem, and the pairs they pick.

The first shortlist is chosen by raw score: every focus area lists its best mentors, which are
everybody's best, so where many mentors are alike the first solve's prices are far off and the
certificate adds the pairs that matter over several rounds of solving the whole, growing
shortlist. The *sampled problem* takes a random share of the mentees (`SAMPLE_SHARE`, at most
`SAMPLE_MAX_DEMANDS` focus areas) and lets each sampled focus area stand for `1 / share` alike
ones (supplies and pair arcs times that; every mentor keeps all its places, so no place is
rounded away). It is solved on the same scores (the shortlist's rows of the sample) with the
same certificate, for rounds until its gap is below `SAMPLE_GAP`; its own first prices come
from its own sample in the same way. Its prices are close to the full problem's: a market of a
fifth of the mentees, each five times, clears at about the same prices.

With those prices the certificate's pass with nothing matched adds each focus area's best
left-out pairs by *reduced* score, and the next working set ranks by reduced score too. All
pairs added are real pairs with exact scores and the optimum is still decided by the rounds'
certificate: only the number of rounds changes. The samples are drawn from a fixed seed, so a
solve stays deterministic.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from numba import njit
from numpy.typing import NDArray

from mentorbridge.matching_engine import heap, kernels
from mentorbridge.matching_engine.certificate import (
    CertifyMemory,
    Pricing,
    certify,
    relative_gap,
)
from mentorbridge.matching_engine.classes import has_members
from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.shortlist import (
    EMPTY,
    SCALE,
    Shortlist,
    scored_rows,
    worker_count,
)
from mentorbridge.matching_engine.solvers import flow
from mentorbridge.matching_engine.solvers.flow import Arcs, FlowSolution
from mentorbridge.matching_engine.solvers.simplex import network_flows, pot_simplex_module

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
log = logging.getLogger(__name__)

SAMPLE_SHARE = 0.2  # share of the mentees (and of each mentor's places) in the sample
SAMPLE_SEED = 20261204  # fixed: the same instance always gets the same sample
SAMPLE_ROUNDS = 12  # solves of the sample at most
SAMPLE_GAP = 0.01  # the sample's rounds stop at this relative gap
MIN_SAMPLE_DEMANDS = 2_000  # smaller instances solve fast enough from raw scores
SAMPLE_MAX_DEMANDS = 5_000  # a sample's demands at most (a smaller share for larger problems)
# problems with more demands get no sample (unless `any_size`): at 100,000 x 30,000 plain the
# sample and the pass over all pairs at its prices cost more than the rounds they saved (docs,
# Performance); the generator's 100,000 x 30,000 `alike` needs it (`rounds.run_round`)
MAX_SAMPLED_DEMANDS = 50_000
# sampled focus areas x open mentors solved at once by the network simplex at most (the app's
# 20,000 x 6,000 round: 1,443 x 6,000, 8.7 M; 70 MB for the cost matrix)
DENSE_SAMPLE_MAX_CELLS = 12_000_000
DENSE_MAX_ITER = 200_000_000  # pivots of the network simplex at most
SIMPLEX_OPTIMAL = 1  # POT's result code of an optimal transport
DENSE_PAIRS_PER_ROW = 100  # pairs of each sampled focus area listed at the dense sample's prices
DENSE_PAIRS_PER_MENTOR = 200  # ... and of each mentor, of least slack
DENSE_BLOCK_ROWS = 256  # rows of the dense sample selected at once (a task of the pool)
DENSE_MENTOR_BLOCK = 64  # mentors of the dense sample selected at once (their slacks: 0.7 MB)
# a first solve whose focus areas' best mentors by raw score would reach less than this share
# of the places it can fill gets a dense sample's prices before any auction
# (`raw_lists_reach_places`): the app's 20,000 x 6,000 round 0.29, plain instances 0.98-0.99
LISTED_PLACES_MIN = 0.6
LISTED_BLOCK_ROWS = 32  # rows scored at once for that estimate (beside the shortlist's peak)


def replicated_solve(arcs: Arcs, copies: int) -> tuple[FlowSolution, float]:
    """Min-cost flow where every demand of `arcs` stands for `copies` alike demands (supply,
    pair and unmatched arcs times `copies`; mentor places as they are); its duals and value.

    Mentor classes are one node each, and every member takes its class's price. The duals are
    the highest prices, as in `flow._potentials`; the assignment is not split into members
    (only the prices are wanted), so `assigned` is -1 throughout.
    """
    rep = arcs.mentor_class
    net = arcs.by_class().network()
    n_d, n_m = net.n_demands, len(net.capacity)
    mentor_nodes = n_d + np.arange(n_m, dtype=np.int64)
    n_pair, n_mid, n_act = len(net.pair_tail), len(net.mid_node), len(net.active)
    tails = np.concatenate([net.pair_tail, net.mid_node, net.active, mentor_nodes])
    heads = np.concatenate(
        [net.pair_head, net.mid_mentor, np.full(n_act, net.sink), np.full(n_m, net.sink)]
    )
    caps = np.concatenate(
        [
            np.full(n_pair, copies, np.int64),
            net.mid_capacity * copies,
            np.full(n_act, copies, np.int64),
            np.maximum(net.capacity, 0),
        ]
    )
    costs = np.concatenate([net.pair_cost, np.zeros(n_mid + n_act + n_m, np.int64)])
    supplies = np.zeros(net.n_nodes, np.int64)
    supplies[net.active] = copies
    supplies[net.sink] = -copies * n_act
    tails, heads = tails.astype(np.int64), heads.astype(np.int64)
    flows = network_flows(net, copies)  # POT's simplex where it serves (the same duals below)
    if flows is None:
        flows = flow._flows(tails, heads, caps, costs, supplies)
    value = float(-(costs[:n_pair] * flows[:n_pair]).sum())
    # a demand's pair and unmatched arcs carry at most its own supply: never binding
    unbounded = np.zeros(len(tails), bool)
    unbounded[:n_pair] = True
    unbounded[n_pair + n_mid : n_pair + n_mid + n_act] = True
    dist = flow._potentials(tails, heads, caps, costs, flows, unbounded, net.n_nodes, net.sink)
    prices = np.maximum(dist[net.sink] - dist[mentor_nodes], 0.0).astype(np.float64)
    if rep is not None:
        prices = prices[rep]
    mid_prices = np.maximum(dist[net.mid_mentor] - dist[net.mid_node], 0.0).astype(np.float64)
    solution = FlowSolution(
        assigned=np.full(arcs.n_demands, -1, np.int64),
        prices=prices,
        mid_mentee_key=net.mid_key,
        mid_prices=mid_prices,
        values=np.zeros(arcs.n_demands, np.int64),
        mid_capacity=net.mid_capacity,
        mentor_class=rep,
    )
    return solution, value


def _sample_arcs(
    shortlist: Shortlist,
    features: Features,
    active: NDArray[np.bool_],
    capacity: I64,
    bonus: int,
    classes: I64 | None,
    removed: I64,
    threshold: int = 0,
) -> Arcs:
    rows = shortlist.rows
    keep = active[rows] & (capacity[shortlist.cols] > 0)
    if threshold > 0:
        keep &= shortlist.scores >= threshold  # `fair`: only the pairs at its threshold or above
    return Arcs(
        rows=rows[keep],
        cols=shortlist.cols[keep],
        values=shortlist.scores[keep] + bonus,
        demand_mentee=features.model.demand_mentee,
        capacity=capacity,
        n_demands=len(active),
        mentor_class=classes,
        removed=removed if classes is not None else None,
    )


def _draw(
    demand_mentee: I64, active: NDArray[np.bool_], max_demands: int, depth: int
) -> tuple[NDArray[np.bool_], int]:
    """The sampled demands of a level (whole mentees, 1 in `step` drawn at random from a fixed
    seed: `max_demands` focus areas or a SAMPLE_SHARE of `active`, whichever is fewer, about)
    and `step`, how many alike demands each stands for."""
    n_active = int(active.sum())
    step = max(2, round(1 / SAMPLE_SHARE), -(-n_active // max_demands))
    rng = np.random.default_rng(SAMPLE_SEED + depth)
    n_mentees = int(demand_mentee.max(initial=-1)) + 1
    chosen = rng.random(n_mentees) < 1 / step
    return active & chosen[demand_mentee], step


@dataclass
class DenseSample:
    """A sampled problem solved over every pair (`dense_sample`): the sampled focus areas
    (`rows`), the open mentors (`mentors`), their dense scores, the prices it gives every
    mentor (0 for the closed ones) and what it was solved for (`bonus`, `threshold`)."""

    rows: I64
    mentors: I64
    scores: NDArray[np.int32]
    prices: F64
    bonus: int
    threshold: int


def dense_sample(
    features: Features,
    active: NDArray[np.bool_],
    capacity: I64,
    bonus: int,
    threshold: int = 0,
    max_demands: int = SAMPLE_MAX_DEMANDS,
    unless_lists_reach: int | None = None,
) -> DenseSample | None:
    """Mentor prices from the sampled problem of the `active` demands (the same draw as
    `sampled_prices`' first level) solved exactly over *every* pair at once: each sampled focus
    area's row scored against all open mentors, and a transportation problem on that dense
    matrix solved by the network simplex of POT (`ot`, a C++ solver). None when POT is not
    installed, the sample is larger than DENSE_SAMPLE_MAX_CELLS pairs or the simplex does not
    finish within DENSE_MAX_ITER pivots: the caller then solves the sample by rounds of flows
    on its shortlisted rows (`sampled_prices`). With `unless_lists_reach` (the shortlist's K),
    also None, before the simplex, where each focus area's K best mentors by raw score would
    reach most places (`raw_lists_reach_places`): the auctions on the shortlist then price
    the round without a sample.

    Sources: each sampled focus area with `step` units (it stands for that many alike ones),
    and one *filler* with as many units as there are places. Targets: each open mentor with
    its places, and *unmatched* with a unit for every sampled one. A focus area's unit to a
    mentor costs -(score + bonus) where eligible (at `threshold` or above), to unmatched 0;
    the filler takes the places nobody takes at cost 0, the rest of it goes to unmatched. So
    staying unmatched is always allowed and nothing is forced. An ineligible pair costs a
    positive amount: never better than unmatched, so never used. A mentor's price is the
    unmatched target's dual minus its own (>= 0: the filler reaches both at cost 0).

    Where the flow sample takes 4 rounds of growing flows and certificates (the app's round:
    1,443 focus areas x 14 on up to 1.15 M arcs, 4-6 s), this takes a second or two and is
    the sampled problem's optimum over every pair, not a 1 % gap on the shortlisted ones.
    The mentee constraint (two focus areas of one mentee never share a mentor) is relaxed
    here, as in `replicated_solve`'s sample: only the prices are used, and the certificate
    decides the optimum.
    """
    model = features.model
    n_active = int(active.sum())
    if n_active < MIN_SAMPLE_DEMANDS or n_active > MAX_SAMPLED_DEMANDS:
        return None  # the sizes `sampled_prices` takes without `any_size`
    s_active, step = _draw(model.demand_mentee, active, max_demands, 0)
    rows = np.flatnonzero(s_active)
    open_mentors = np.flatnonzero(capacity > 0)
    n_s, n_o = len(rows), len(open_mentors)
    if not n_s or not n_o or n_s * n_o > DENSE_SAMPLE_MAX_CELLS:
        return None
    solver = _network_simplex()
    if solver is None:
        return None
    t0 = time.perf_counter()
    places = capacity[open_mentors].astype(np.int64)
    scores = scored_rows(features, rows)  # once: for the check below and for the simplex
    if n_o < model.n_mentors:  # (a copy: only where some mentor is closed)
        scores = scores[:, open_mentors]
    if unless_lists_reach is not None and raw_lists_reach_places(
        scores, places, step, unless_lists_reach, n_active
    ):
        log.debug("dense sample: the focus areas' best by score reach most places, none")
        return None
    cost = _transport_costs(scores, bonus, max(threshold, 0), float(SCALE))
    supply = np.concatenate([np.full(n_s, float(step)), [float(places.sum())]])
    demand = np.concatenate([places.astype(np.float64), [float(step * n_s)]])
    transport, value, _, duals, code = solver(supply, demand, cost, DENSE_MAX_ITER, 1)
    del cost, transport
    heap.trim()  # the simplex's own arrays (about 0.25 GB at 1,443 x 6,000), freed but resident
    if code != SIMPLEX_OPTIMAL:
        log.debug("dense sample: the network simplex stopped (code %d)", code)
        return None
    prices = np.zeros(len(capacity), np.float64)
    prices[open_mentors] = np.maximum(duals[n_o] - duals[:n_o], 0.0)
    log.debug(
        "dense sample (%d demands x %d, %d open mentors): value %.0f, %.2f s",
        n_s, step, n_o, -value, time.perf_counter() - t0,
    )  # fmt: skip
    return DenseSample(
        rows=rows,
        mentors=open_mentors,
        scores=scores,
        prices=np.minimum(prices, float(SCALE + bonus)),
        bonus=bonus,
        threshold=threshold,
    )


@njit(cache=True, nogil=True)
def _transport_costs(scores: NDArray[np.int32], bonus: int, floor: int, ineligible: float) -> F64:
    """The dense sample's cost matrix, in one pass: a focus area's unit to a mentor costs
    -(score + bonus) where eligible (at `floor` or above), else `ineligible` (dearer than
    unmatched); the filler's row and the unmatched column cost 0."""
    n_s, n_o = scores.shape
    cost = np.empty((n_s + 1, n_o + 1), np.float64)
    for r in range(n_s):
        for j in range(n_o):
            s = scores[r, j]
            cost[r, j] = -float(s + bonus) if s >= floor else ineligible
        cost[r, n_o] = 0.0
    cost[n_s, :] = 0.0
    return cost


def warm_up_dense_sample() -> None:
    """Build the dense sample's kernels (the warm-up instance is far too small to take a
    sample; a worker's first large round compiled them)."""
    scores = np.array([[3, -1], [2, 5]], np.int32)
    _transport_costs(scores, 0, 0, float(SCALE))
    keep = np.zeros(scores.shape, np.bool_)
    best = np.zeros(2, np.float64)
    offset = np.zeros(2, np.float64)
    _rows_best(scores, offset, 0, 1, 0, 2, keep, best)
    _mentors_least_slack(scores, offset, 0, best, 1, 0, 2, keep)


def list_dense_sample(shortlist: Shortlist, sample: DenseSample) -> int:
    """List the pairs of the sample's focus areas its prices pick (`_list_sampled_pairs`);
    how many were new."""
    added = _list_sampled_pairs(
        shortlist, sample.rows, sample.mentors, sample.scores, sample.prices[sample.mentors],
        sample.bonus, sample.threshold,
    )  # fmt: skip
    log.debug("dense sample: %d pairs of its focus areas listed", added)
    return added


def dense_sampled_prices(
    features: Features,
    active: NDArray[np.bool_],
    capacity: I64,
    bonus: int,
    threshold: int = 0,
    max_demands: int = SAMPLE_MAX_DEMANDS,
    shortlist: Shortlist | None = None,
) -> F64 | None:
    """The prices of `dense_sample` (None where it gives none), its pairs listed on the
    `shortlist` when one is given."""
    sample = dense_sample(features, active, capacity, bonus, threshold, max_demands)
    if sample is None:
        return None
    if shortlist is not None:
        list_dense_sample(shortlist, sample)
    return sample.prices


def raw_lists_reach_places(
    scores: NDArray[np.int32], places: I64, step: int, k: int, n_active: int
) -> bool:
    """Whether each focus area's `k` best mentors by raw score (the rows of the first
    shortlist) would take LISTED_PLACES_MIN of the places the round can fill, estimated from
    a sample (the dense `scores` of sampled rows, each standing for `step` focus areas,
    against the open mentors, who have `places`): a mentor reaches min(its places, step x the
    sampled rows listing it).

    Where they fall short, the first auction on that shortlist gives up (its bound at its
    prices is far above its value: the focus areas left out list none of the places left free),
    and a sample's prices come first. The app's 20,000 x 6,000 round: 29 % (4,216 of 6,000
    mentors in no focus area's 40 best); the generator's plain and `only_goal_fit`
    instances, 98 % and 99 %. The rows are ranked LISTED_BLOCK_ROWS at a time (small
    temporaries beside the shortlist's peak)."""
    n_s, n_o = scores.shape
    top = min(k, n_o)
    if not n_s or top <= 0:
        return True
    listing = np.zeros(n_o, np.int64)
    for a in range(0, n_s, LISTED_BLOCK_ROWS):
        block = scores[a : a + LISTED_BLOCK_ROWS]
        best = np.argpartition(block, n_o - top, axis=1)[:, n_o - top :]
        eligible = np.take_along_axis(block, best, axis=1) >= 0
        listing += np.bincount(best[eligible], minlength=n_o)
    reached = int(np.minimum(places, listing * step).sum())
    return reached >= LISTED_PLACES_MIN * min(n_active, int(places.sum()))


def _list_sampled_pairs(
    shortlist: Shortlist,
    rows: I64,
    mentors: I64,
    scores: NDArray[np.int32],
    prices: F64,
    bonus: int,
    threshold: int,
) -> int:
    """List pairs of the sampled focus areas `rows` with `mentors` (their dense `scores`) at
    the sample's `prices`: each row's DENSE_PAIRS_PER_ROW best by reduced value and each
    mentor's DENSE_PAIRS_PER_MENTOR of least slack (the row's best reduced value, or 0,
    minus the pair's). Returns how many were new.

    The auctions after the sample price a mentor by the listed pairs that bid for it: with
    only the pass's pairs at the sample's prices (2 x K a row) many mentors had few bidders,
    and the first auction's bound was 45 % above its value (the app's round; 4 auctions). The
    flow sample listed about 760 pairs of each sampled row through its certificates at four
    different prices, and the auction after it was 0.2 % off. Pairs chosen by each mentor's
    slack give every mentor its nearest takers among the sampled rows: 0.2 % again, 2
    auctions."""
    n_s, n_o = scores.shape
    floor = max(threshold, 0)
    offset = np.asarray(prices - bonus, np.float64)  # a pair's reduced value: score less this
    scores = np.ascontiguousarray(scores, np.int32)
    keep = np.zeros((n_s, n_o), np.bool_)
    best = np.zeros(n_s, np.float64)  # each row's best reduced value, or 0 (unmatched)
    per_row, per_mentor = min(DENSE_PAIRS_PER_ROW, n_o), min(DENSE_PAIRS_PER_MENTOR, n_s)

    def rows_from(a: int) -> None:
        _rows_best(scores, offset, floor, per_row, a, a + DENSE_BLOCK_ROWS, keep, best)

    def mentors_from(b: int) -> None:
        end = min(b + DENSE_MENTOR_BLOCK, n_o)
        _mentors_least_slack(scores, offset, floor, best, per_mentor, b, end, keep)

    # blocks of rows, then of mentors (they read every row's best), on the pool's threads
    with ThreadPoolExecutor(worker_count()) as pool:
        list(pool.map(rows_from, range(0, n_s, DENSE_BLOCK_ROWS)))
        list(pool.map(mentors_from, range(0, n_o, DENSE_MENTOR_BLOCK)))
    r, c = np.nonzero(keep)
    return shortlist.merge(rows[r], mentors[c], scores[r, c].astype(np.int64))


@njit(cache=True, nogil=True)
def _mark_largest(values: F64, k: int, marks: NDArray[np.bool_]) -> None:
    """Mark the `k` largest finite `values` (all of them where fewer are finite); among values
    equal to the k-th largest the first ones (lowest index) are taken."""
    n = values.shape[0]
    finite = 0
    for i in range(n):
        if values[i] > -np.inf:
            finite += 1
    if finite <= k:
        for i in range(n):
            if values[i] > -np.inf:
                marks[i] = True
        return
    if k <= 0:
        return
    threshold = np.partition(values.copy(), n - k)[n - k]
    room = k
    for i in range(n):
        if values[i] > threshold:
            marks[i] = True
            room -= 1
    for i in range(n):
        if room == 0:
            break
        if values[i] == threshold:
            marks[i] = True
            room -= 1


@njit(cache=True, nogil=True)
def _rows_best(
    scores: NDArray[np.int32],
    offset: F64,
    floor: int,
    k: int,
    lo: int,
    hi: int,
    keep: NDArray[np.bool_],
    best: F64,
) -> None:
    """Rows `lo`..`hi` of `_list_sampled_pairs`: each row's `k` eligible pairs of largest
    reduced value (score - offset) kept, and its best reduced value (or 0) in `best`."""
    n_o = scores.shape[1]
    values = np.empty(n_o, np.float64)
    for r in range(lo, min(hi, scores.shape[0])):
        top = 0.0
        for j in range(n_o):
            if scores[r, j] >= floor:
                values[j] = scores[r, j] - offset[j]
                top = max(top, values[j])
            else:
                values[j] = -np.inf
        best[r] = top
        _mark_largest(values, k, keep[r])


@njit(cache=True, nogil=True)
def _mentors_least_slack(
    scores: NDArray[np.int32],
    offset: F64,
    floor: int,
    best: F64,
    k: int,
    lo: int,
    hi: int,
    keep: NDArray[np.bool_],
) -> None:
    """Mentors `lo`..`hi` of `_list_sampled_pairs`: each mentor's `k` eligible pairs of least
    slack (the row's best minus the pair's reduced value) kept. The block's slacks are laid
    out mentor by mentor from one read of each row."""
    n_s = scores.shape[0]
    width = hi - lo
    negated = np.empty((width, n_s), np.float64)  # minus the slack: the largest are the least
    for r in range(n_s):
        for j in range(lo, hi):
            if scores[r, j] >= floor:
                negated[j - lo, r] = scores[r, j] - offset[j] - best[r]
            else:
                negated[j - lo, r] = -np.inf
    marks = np.zeros(n_s, np.bool_)
    for j in range(lo, hi):
        marks[:] = False
        _mark_largest(negated[j - lo], k, marks)
        for r in range(n_s):
            if marks[r]:
                keep[r, j] = True


def _network_simplex() -> Callable[..., Any] | None:
    """POT's dense network simplex (`ot.lp.emd_wrap.emd_c(supply, demand, cost, max_iter, threads)`:
    the transport, its cost, the duals of sources and targets, a result code), or None
    without POT (loaded once, see `solvers.simplex`)."""
    module = pot_simplex_module()
    return None if module is None else cast(Callable[..., Any], module.emd_c)


def sampled_prices(
    features: Features,
    shortlist: Shortlist,
    active: NDArray[np.bool_],
    capacity: I64,
    bonus: int,
    classes: I64 | None,
    removed: I64,
    k: int,
    copies: int = 1,
    depth: int = 0,
    threshold: int = 0,
    any_size: bool = False,
    max_demands: int = SAMPLE_MAX_DEMANDS,
) -> F64 | None:
    """Mentor prices for the problem of the `active` demands, each standing for `copies` alike
    ones, from its sampled problem (see the module); None when it is too small to need them.

    The sample's own first prices come from its sample in turn (down to MIN_SAMPLE_DEMANDS),
    so each level starts near its optimum and needs few rounds. Above MAX_SAMPLED_DEMANDS
    only with `any_size`. Each level's sample has `max_demands` focus areas at most (about: a
    share of the mentees is drawn at random); below MIN_SAMPLE_DEMANDS it has no sample of its
    own.
    """
    model = features.model
    n_active = int(active.sum())
    if n_active < MIN_SAMPLE_DEMANDS or model.n_mentors == 0:
        return None
    if depth == 0 and not any_size and n_active > MAX_SAMPLED_DEMANDS:
        return None
    s_active, step = _draw(model.demand_mentee, active, max_demands, depth)
    if not s_active.any():
        return None
    s_copies = copies * step
    first = sampled_prices(
        features, shortlist, s_active, capacity, bonus, classes, removed, k, s_copies, depth + 1,
        threshold, max_demands=max_demands,
    )  # fmt: skip
    memory = CertifyMemory()
    pricing = Pricing(bonus=bonus, threshold=threshold, active=s_active, capacity=capacity)
    # a sampled demand stands for `s_copies` alike ones, which spread over that many times the
    # mentors where every mentor is alone: its row may take that many times the pairs (the
    # app's 20,000 x 6,000 round: 4 rounds of its inner sample instead of 11, 2 of the outer
    # one instead of 3). Where mentors form classes, one pair reaches a whole class and the
    # rows need no more (the generator's 20,000 x 6,000 `alike`: 0.5-1.7 s slower with it)
    add_limit = k if has_members(classes) else k * s_copies
    if first is not None:
        seed_pairs(features, shortlist, first, pricing, classes, k, memory)
    for r in range(1, SAMPLE_ROUNDS + 1):
        arcs = _sample_arcs(
            shortlist, features, s_active, capacity, bonus, classes, removed, threshold
        )
        solution, value = replicated_solve(arcs, s_copies)
        _, _, added = certify(features, shortlist, solution, pricing, add_limit, memory)
        assert memory.prices is not None and memory.row_best is not None
        pair_total = solution.pair_price_total()  # with intermediate places times the copies
        bound = float((capacity.clip(0) * memory.prices).sum()) + s_copies * (
            float(np.maximum(memory.row_best[s_active], 0.0).sum()) + pair_total
        )
        gap = relative_gap(value, bound)
        log.debug(
            "sample %d (%d demands x %d) round %d: %d arcs, gap %.3g, %d pairs added",
            depth,
            int(s_active.sum()),
            s_copies,
            r,
            len(arcs.rows),
            gap,
            added,
        )
        if gap <= SAMPLE_GAP or added == 0:
            break
    assert memory.prices is not None
    return np.minimum(memory.prices, float(SCALE + bonus))


def seed_pairs(
    features: Features,
    shortlist: Shortlist,
    prices: F64,
    pricing: Pricing,
    classes: I64 | None,
    k: int,
    memory: CertifyMemory,
) -> tuple[float, int]:
    """Add each focus area's best left-out pairs at `prices` (reduced score within the
    certificate's margin of its best): the certificate's pass with nothing matched and no pair
    prices. `memory` keeps what the pass learnt for the first round's certificate. Returns the
    bound at `prices` and how many pairs were added."""
    n = features.model.n_demands
    nothing = FlowSolution(
        assigned=np.full(n, -1, np.int64),
        prices=prices.astype(np.float64),
        mid_mentee_key=EMPTY,
        mid_prices=np.zeros(0),
        values=np.zeros(n, np.int64),
        mentor_class=classes,
    )
    bound, exact, added = certify(features, shortlist, nothing, pricing, k, memory)
    log.debug(
        "seed pairs: bound %.0f at these prices, %d rows scored exactly, %d pairs added",
        bound,
        exact,
        added,
    )
    return bound, added


def slack_top(cols: I64, slack: F64, rows: I64, k: int) -> NDArray[np.bool_]:
    """Per pair, whether it is among its mentor's `k` pairs of least slack (ties: demand
    order)."""
    _, order = kernels.group_by_source(cols, int(cols.max(initial=-1)) + 1)
    return _top_in_groups(order, cols, slack, rows, cols, False, 0, k)


@njit(cache=True, nogil=True)
def _before(key: F64, tie: I64, a: int, b: int) -> bool:
    """Whether element a comes before element b: `key` ascending, ties by `tie` ascending."""
    return key[a] < key[b] or (key[a] == key[b] and tie[a] < tie[b])


@njit(cache=True, nogil=True)
def _top_in_groups(
    order: I64, group: I64, key: F64, tie: I64, label: I64, once: bool, n_labels: int, k: int
) -> NDArray[np.bool_]:
    """Per element, whether it is among the first `k` of its group (`order` lists the elements
    grouped by `group`) by `key` ascending, ties by `tie` ascending (a pair's `tie` is unique in
    its group). With `once`, each `label` counts once in a group, by its first element; its
    later ones are never among the first.

    A selection, not a sort: each group's candidates pass through a buffer of its k first so
    far (the 20,000 x 6,000 app round: 3 M arcs in 0.1 s instead of 1.1 s of sorting)."""
    n = len(order)
    top = np.zeros(n, np.bool_)
    seen = np.full(n_labels if once else 0, -1, np.int64)
    best_of = np.empty(n_labels if once else 0, np.int64)
    buffer = np.empty(max(k, 1), np.int64)
    start = 0
    while start < n:
        g = group[order[start]]
        end = start + 1
        while end < n and group[order[end]] == g:
            end += 1
        if once:  # each label's first element (by key, then tie) in this group
            for t in range(start, end):
                i = order[t]
                c = label[i]
                if seen[c] != start:
                    seen[c] = start
                    best_of[c] = i
                elif _before(key, tie, i, best_of[c]):
                    best_of[c] = i
        size = 0
        for t in range(start, end):
            i = order[t]
            if once and best_of[label[i]] != i:
                continue
            if size == k and (k == 0 or not _before(key, tie, i, buffer[k - 1])):
                continue
            at = size if size < k else k - 1
            while at > 0 and _before(key, tie, i, buffer[at - 1]):
                buffer[at] = buffer[at - 1]
                at -= 1
            buffer[at] = i
            if size < k:
                size += 1
        for t in range(size):
            top[buffer[t]] = True
        start = end
    return top


def mentor_side_pairs(
    shortlist: Shortlist, prices: F64, row_best: F64, pricing: Pricing, width: int
) -> int:
    """Move each mentor's `width` reserve pairs of least slack (its focus area's best reduced
    value minus the pair's, at `prices`) into the shortlist: in a market of alike mentors a
    focus area ties with dozens of mentors at its best, and a mentor no focus area lists in its
    first few would be left with free places in the first solve, priced 0. Returns how many
    pairs were added."""
    rows, cols, scores = shortlist.reserve_rows, shortlist.reserve_cols, shortlist.reserve_scores
    ok = pricing.active[rows] & (pricing.capacity[cols] > 0) & (scores >= max(pricing.threshold, 0))
    rows, cols, scores = rows[ok], cols[ok], scores[ok]
    if not len(rows):
        return 0
    slack = row_best[rows] - (scores + pricing.bonus - prices[cols])
    keep = slack_top(cols, slack, rows, width)
    return shortlist.merge(rows[keep], cols[keep], scores[keep])


def reduced_top(arcs: Arcs, prices: F64, k: int) -> NDArray[np.bool_]:
    """Per arc, whether it is among its demand's `k` best by reduced value (value - price;
    ties: mentor order), counting mentor classes once: a demand reaches a whole class through
    any member, so alike mentors tied at the top of a row count once and the row's k reach as
    many classes as they can; a later arc into a class the row already counted is never among
    them (the class network keeps one arc per demand and class, its best, anyway)."""
    negative = prices[arcs.cols] - arcs.values
    _, order = kernels.group_by_source(arcs.rows, arcs.n_demands)
    rep = arcs.mentor_class
    if rep is None:
        return _top_in_groups(order, arcs.rows, negative, arcs.cols, arcs.cols, False, 0, k)
    labels = rep[arcs.cols]
    return _top_in_groups(order, arcs.rows, negative, arcs.cols, labels, True, len(rep), k)
