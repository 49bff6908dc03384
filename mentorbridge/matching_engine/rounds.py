"""One matching round on a built shortlist: solve for the objective, certify, enlarge, repeat."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np
from numba import njit
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays, heap, kernels
from mentorbridge.matching_engine.auction import Auction, auction_prices
from mentorbridge.matching_engine.certificate import (
    CertifyMemory,
    Pricing,
    certify,
    relative_gap,
)
from mentorbridge.matching_engine.classes import (
    exception_keys,
    has_members,
    mentor_classes,
    mentor_hubs,
)
from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.first_prices import (
    MAX_SAMPLED_DEMANDS,
    SAMPLE_MAX_DEMANDS,
    DenseSample,
    dense_sample,
    dense_sampled_prices,
    list_dense_sample,
    mentor_side_pairs,
    reduced_top,
    sampled_prices,
    seed_pairs,
    slack_top,
)
from mentorbridge.matching_engine.model import Model
from mentorbridge.matching_engine.shortlist import (
    EMPTY,
    PROBE_STRIDE,
    SCALE,
    ColumnView,
    Shortlist,
    block_ranges,
    scored_rows,
)
from mentorbridge.matching_engine.shortlist import mentor_side_width as shortlist_width
from mentorbridge.matching_engine.solvers.fair import (
    FairThreshold,
    bottleneck_threshold,
    restrict,
)
from mentorbridge.matching_engine.solvers.flow import (
    UNREACHABLE,
    Arcs,
    ClassFlow,
    FlowSolution,
    Meanwhile,
    solve_min_cost,
)
from mentorbridge.matching_engine.solvers.group import solve_groups
from mentorbridge.matching_engine.solvers.repair import repair_min_cost, repair_on_rows
from mentorbridge.matching_engine.solvers.simplex import MAX_ARCS as SIMPLEX_MAX_ARCS
from mentorbridge.matching_engine.solvers.simplex import (
    class_flow_by_simplex,
    hubs_pay,
    pot_simplex_module,
)
from mentorbridge.matching_engine.solvers.stable import StableInput, StableOutcome, solve_stable

I64 = NDArray[np.int64]
# (stage, round, relative gap) while a round is solved: see `run_round`
F64 = NDArray[np.float64]
StepCallback = Callable[[str, int, float | None], None]
Hubs = tuple[I64, I64]  # per mentor its hub, and the keys of the pairs scored apart from it
log = logging.getLogger(__name__)
WORKING_MARGIN = SCALE // 40
# the first working set's slack after auction prices: the bound at the last auction's prices
# minus its value, within these (the 100,000 x 30,000 plain instance: 5,523 units after 4
# auctions, 1.07 M arcs instead of 5.7 M at WORKING_MARGIN; 20,000 x 6,000: 218,249 after 2)
AUCTION_MARGIN = SCALE // 200
WORKING_TOP = 8
FIRST_TOP = 12
# classes of alike mentors listed per demand before the first solve (`_seed_classes`); on the
# generator's 20,000 x 6,000 `profiles` instance 40 % of the optimum's matched focus areas take
# a class below their 12 best by score: with 12 the rounds ended after 3 solves, with 20-32
# after 2 (16: 3)
SEED_TOP = 24
WORKING_SET_MAX_GAP = 0.01  # re-solve on a working set while the relative gap is below this
FALLBACK_MAX_CELLS = 400_000_000  # pairs scored by the exact all-pairs fallback at most
FALLBACK_MAX_ARCS = 12_000_000  # eligible pairs it solves on at most
FILL_PER_PLACE = 4  # unmatched demands offered to each free place by the fill step
FILL_PER_FULL = 2  # ... and to each full mentor
FILL_PER_DEMAND = 4  # mentors offered to each unmatched demand at most
FILL_DEPTH = 32  # best unmatched demands looked at per mentor
FILL_BLOCK_CELLS = 20_000_000  # scores held at once
FILL_MIN_FREE = 0.02  # fill only when a solve leaves this share of the places free or more
FILL_PASSES = 2  # fill steps (each followed by a solve) per run at most
FILL_MAX_CELLS = 200_000_000  # unmatched demands x open mentors scored by a fill step at most
DUALS_WORK = 12  # label corrections per residual arc at most when pricing a working set's flow
# ... when pricing round 1's flow on a sample's first working set: where that flow is optimal
# on the whole shortlist (the generator's 100,000 x 30,000 every-pair-alike: 87,635 focus areas
# matched, its bound 3 matches off at the flow's own duals) the pricing takes one pass from the
# flow's prices, where it is not (20,000 x 6,000 `alike`, 0.025 % off) it would run its budget
FIRST_PRICING_WORK = 2
# ... tried only where the bound at the sample's prices is within this of round 1's objective
# (relative, scores only): every-pair-alike at 100,000 x 30,000, 3.4e-5; 20,000 x 6,000 `alike`,
# whose flow is not optimal on the whole shortlist, 3.7e-3 (the failed pricing cost 0.6 s)
PRICE_WHOLE_GAP = 1e-4
# a later round of one solve repairs the last round's flow (from the last certificate's prices)
# instead of solving afresh while the relative gap is below this; a repair that declines
# (budget, negative cycle) falls back to the fresh solve. At 20k (the app's round) a repair at
# a gap of 1.9e-4 declined after 5 CPU s; at 2.7e-6 it took 0.2 CPU s against a 9 CPU s solve
REPAIR_MAX_GAP = 1e-5
# ... and declines as soon as it has laid the last flow on the new arcs, when that leaves more
# units of excess than this, instead of after its budget of arc scans (one augmenting path per
# Dijkstra, each across a degenerate market): repairs of 30, 68, 200 and 230 units closed in
# 0.5-6 s, ones of 754, 1,484, 1,517 and 4,964 all passed their budget (the generator's
# 100,000 x 30,000 `alike`: 26.6 s before the fresh solve, 10.5 s with this cap)
REPAIR_MAX_EXCESS = 500
# ... and where the round's arcs would go through hubs that hardly merge them (`hubs_pay`), only
# while the gap is below this (the repair runs on the class network). The generator's 100,000 x
# 30,000 `alike` (hubs keep 68 % of the arcs): round 5 (gap 2.1e-8, 740 units) repaired in 3 s
# instead of a 16.5 s solve through hubs; round 4 (4.9e-6) left 1,145 units of excess, and with
# the cap lifted passed its budget after 19 s
HUB_REPAIR_MAX_GAP = 1e-6
# a first solve's round flows on the class network by POT's simplex where hubs do not pay
# (`solvers.simplex`; OR-Tools otherwise, and wherever the simplex cannot serve)
FLOWS_BY_SIMPLEX = True
# after max_rounds, rounds go on (CLOSING_ROUNDS more at most) while the relative gap is at most
# CLOSING_GAP and each round narrows it: a bound that close is one or two rounds from the
# certificate, which the exact fallback cannot give at cohort scale
CLOSING_GAP = 1e-4
CLOSING_ROUNDS = 4
REPAIR_TOP = 2  # each row's best arcs a re-solve's first repair takes whatever their slack
# slacks (score units) of the arcs a re-solve's first repair takes, tried in turn while the
# repaired flow's prices leave an arc outside worth more (`_repair_on_tight`). The app's 20k
# round: a pin that moves the optimum by 0.11 closes on the tight arcs (0.77 M of 6.2 M), one
# that moves it by 0.41 needs those within 0.002 (1.9 M arcs); the whole set takes 2.5 CPU s
REPAIR_SLACKS = (0, 2_000, 20_000)
# a first solve whose relative gap is above this gets prices from a sampled problem before the
# next round (`_seed_prices`): the app's 20,000 x 6,000 round starts at 49 %, the generator's
# `alike` one at 30 %, the plain one at 2.6 %
FAR_GAP = 0.1
# where auctions follow the sample (mentors without classes whose first auctions gave up), the
# sample is one level of this many focus areas at most, not two of first_prices'
# SAMPLE_MAX_DEMANDS (see *Performance*, dec06c). Solved beside the shortlist
# (`sample_beside_shortlist`), 1,000 ended its simplex sooner (1.5-1.7 s, not 1.9-2.9 s) but
# its prices left the repair twice the work (0.67-0.83 s of paths, not 0.34-0.41 s): the
# app's 20,000 x 6,000 round took 8.8-10.3 s either way, 1,200 as long; 800 takes 3 auctions
# (docs, Performance, dec08)
SAMPLE_BEFORE_AUCTIONS = 1_500
# ... and the certificate's pass at its prices adds up to this many times K pairs a focus
# area, not K: the auctions after it then need 2 rounds, not 3 (the app's 20,000 x 6,000 round:
# 14.6-15.0 s against 17.4 s; 3 or 4 times K: 2 rounds too, 16.0-16.2 s; our own `alike`,
# which keeps K, took 14.7 s against 13.6 s with twice K; docs, Performance, dec06d)
SEED_PAIRS_BEFORE_AUCTIONS = 2
# a first solve of more demands than this (where no sample gives first prices, see
# `first_prices.MAX_SAMPLED_DEMANDS`) solves the whole shortlist in round 1, not the first
# working set: at 100,000 x 30,000 the first working set's duals put the bound 79 % above its
# objective (3.4 M pairs added, round 2 on 10 M arcs, 5 rounds); the whole shortlist's 7.7 %
# (2.1 M pairs added, 4 rounds, same optimum; docs, Performance)
WHOLE_FIRST_ABOVE = MAX_SAMPLED_DEMANDS
# first prices (from auctions on the shortlist, `_auction_rounds`, without mentor classes of
# two or more members; else from a sampled problem) before round 1 for a first solve of this
# many active focus areas or more
AUCTION_MIN_DEMANDS = 2_000
# auctions (each followed by the certificate's pass at its prices) at most, stopping once the
# bound at the prices is within AUCTION_GAP of the auction's value. Chosen on the generator's
# plain instances: 20,000 x 6,000 reaches 2.5e-5 after 2 (its round 1 then certifies after a
# repair), 100,000 x 30,000 6.1e-5 after 3 (its round 1 then needed four repair rounds) and
# 1.2e-7 after 4 (one)
AUCTION_ROUNDS = 4
AUCTION_GAP = 3e-5
# round 1 after auctions repairs the last auction's assignment (`solvers.repair`) instead of
# solving afresh from this many working-set arcs: 100,000 x 30,000 1.4 s instead of 4.6 s
# (1.44 M arcs, 5,109 units moved), 50,000 x 15,000 1.0 s instead of 2.2 s (1.30 M arcs); at
# 20,000 x 6,000 (0.48 M arcs) OR-Tools is as fast (0.46 s against 0.49 s)
AUCTION_REPAIR_MIN_ARCS = 1_000_000
# the auctions give up (their prices are not used) when an auction's bound is more than
# AUCTION_FAR_GAP above its value, or when the next auction does not halve the gap: the
# app's 20,000 x 6,000 round (one focus area each, low scores, most pairs off the shortlist)
# went 112 %, 91 %, 69 %, 57 %, and its rounds from those prices were still 4.8 % off after 8;
# the generator's plain 100,000 x 30,000 goes 18.5 %, 0.26 %, 6.1e-5, 1.2e-7
AUCTION_FAR_GAP = 0.5
AUCTION_MIN_FALL = 0.5
# the unlisted pairs' share of the gap past which the first auction's pass is skipped: below
# the far gap (that share is part of the gap only); the generator's plain instances have
# gaps of 0.005 (20,000 x 6,000) and 0.16 (100,000 x 30,000) after their first auction
GIVE_UP_UNLISTED = 0.25
GIVE_UP_SAMPLE = 512  # unmatched focus areas `_unlisted_gap` scores
GIVE_UP_SEED = 20261205
# a first solve with mentor classes prices a sampled problem before round 1 (not after a far
# round 1) when the classes are more than this share of the mentors: alike mentors that
# hardly ever tie exactly, so each row's FIRST_TOP best classes are the same dozen mentors for
# every row and round 1's bound is far off (the generator's `alike`: 4,948 classes of 6,000,
# round 1 at 47 %); where classes are large (`profiles`: 1,280 of 6,000) round 1's bound is
# close (6 %) and a sample first costs 1 s more. Above WHOLE_FIRST_ABOVE focus areas a sample
# comes first whatever the share: round 1 would solve the whole shortlist without prices
# (100,000 x 30,000 `profiles`, 5,904 classes of 30,000: 1.7 % off, then 4 more rounds on
# 9-14 M arcs)
SAMPLE_FIRST_CLASS_SHARE = 0.5


@dataclass
class RoundOutcome:
    """Assignment of every demand (-1 unmatched) and the numbers the result reports."""

    assigned: I64
    pinned_scores: dict[int, int]
    objective_units: float
    bound_units: float
    bonus: int
    threshold: int
    rounds: int
    exact_rows: int
    added_pairs: int
    seconds: dict[str, float] = field(default_factory=dict)
    blocking_pairs: int | None = None
    group_labels: tuple[I64, I64] | None = None
    scores: I64 | None = None  # score units of each demand's pair (-1 unmatched)
    certified: bool = True  # the flow part is proven optimal for the full problem
    certificate_note: str = ""
    exact_fallback: bool = False
    # rounds whose flow was repaired (the last flow, or round 1's from the last auction's
    # assignment), not solved afresh
    repaired_rounds: int = 0
    # where the first flow's prices came from: "auction", "sample" (before round 1), "sample,
    # then auction" (auctions after the sample's prices), "sample after round 1" (round 1 was
    # far off) or "none"
    first_prices: str = "none"


def _hubs(features: Features, classes: I64 | None) -> Hubs | None:
    """The hubs of the mentor classes and the pairs preferences score apart (see
    `flow._solve_by_hub`), or None when no hub holds two classes."""
    if classes is None:
        return None
    hub = mentor_hubs(features, classes)
    return None if hub is None else (hub, exception_keys(features))


def _arcs(
    shortlist: Shortlist,
    demand_mentee: I64,
    active: NDArray[np.bool_],
    capacity: I64,
    bonus: int,
    classes: I64 | None = None,
    removed: I64 | None = None,
    hubs: Hubs | None = None,
) -> Arcs:
    rows = shortlist.rows
    # bool lookups and an in-place bonus: at 100,000 x 30,000 `profiles` (20 M entries) an
    # int64 gather and a sum were 0.33 GB more at the run's peak
    keep = (capacity > 0)[shortlist.cols]
    keep &= active[rows]
    cols, values = shortlist.cols, shortlist.scores
    if not (bonus == 0 and keep.all()):
        rows, cols, values = rows[keep], cols[keep], values[keep]
        if bonus:
            values += bonus
    # else the arcs share the shortlist's mentors and scores (neither is ever changed in
    # place: a merge makes new arrays): at 100,000 x 30,000 `star` round 3's 14.5 M arcs
    # would copy 0.23 GB at the run's peak
    return Arcs(
        rows=rows,
        cols=cols,
        values=values,
        demand_mentee=demand_mentee,
        capacity=capacity,
        n_demands=len(active),
        mentor_class=classes,
        removed=removed if classes is not None else None,
        hub=hubs[0] if hubs is not None else None,
        exceptions=hubs[1] if hubs is not None else None,
    )


def _working_set(
    arcs: Arcs, memory: CertifyMemory, assigned: I64 | None, gap: float | None = None
) -> Arcs:
    """The arcs worth solving on after a certificate round.

    With the last certificate's duals, a solution that uses an arc is worth at most the bound
    minus the arc's slack (its demand's best reduced value minus its own). So when the gap
    (bound - objective of the last solve) is below WORKING_MARGIN, the arcs with slack within
    the gap hold every solution at least as good as the last one, and they are the working set
    (reduced-cost fixing). Otherwise kept: arcs with slack within WORKING_MARGIN, each demand's
    WORKING_TOP best-scoring arcs, and the last assignment. The certificate still prices every
    shortlisted pair, so a pair left out here that matters shows up as a gap, and the next
    round solves the whole shortlist.
    """
    if memory.prices is None or memory.row_best is None:
        return arcs
    if gap is not None and gap < WORKING_MARGIN:
        keep = _within_slack(arcs, memory, gap)
    else:
        keep = _within_slack(arcs, memory, WORKING_MARGIN)
        rank = arrays.group_rank(arcs.rows)
        keep |= rank < WORKING_TOP
    if assigned is not None:
        keep |= takes_last(arcs, assigned)
    return arcs.subset(keep)


def takes_last(arcs: Arcs, assigned: I64) -> NDArray[np.bool_]:
    """Per arc, whether it is its demand's pair in `assigned` (a mentor per demand, -1 none):
    with mentor classes, any arc into the assigned member's class. The class flow is split
    into members a row need not list (a row that lists one member reaches them all), so the
    member's own arc is often missing; the row's arc into its class stands for it."""
    rep = arcs.mentor_class
    if rep is None:
        return assigned[arcs.rows] == arcs.cols
    return kernels.takes_class(arcs.rows, arcs.cols, np.ascontiguousarray(assigned, np.int64), rep)


def _auction_working_set(arcs: Arcs, memory: CertifyMemory, auction: Auction) -> Arcs:
    """The first solve's arcs after auction prices: slack (the demand's best reduced value
    minus the arc's) within the auction's own gap (the bound at its prices minus its value),
    but at least AUCTION_MARGIN and at most WORKING_MARGIN. With prices this close to the
    optimum's (the 20k plain instance: 0.50 M of 1.5 M arcs) round 1 certifies or leaves a gap
    a repair closes. A fixed 0.005 left the 20k instance (gap 2.4e-5 after 2 auctions) a
    bound 0.05 % off and a second solve, 0.002 sent it back to a sampled problem; the 100k one
    (gap 1.2e-7 after 4 auctions) solves 1.07 M arcs at its gap instead of 5.7 M at 0.025,
    8 s instead of 17.6, with the same objective and bound."""
    margin = min(max(auction.bound - auction.value, AUCTION_MARGIN), WORKING_MARGIN)
    return arcs.subset(_within_slack(arcs, memory, margin))


def _repair_beside(
    arcs: Arcs, start: I64, prices: F64, meanwhile: Meanwhile | None
) -> FlowSolution | None:
    """`repair_min_cost` of `start` on `arcs`, in a worker thread while this one runs
    `meanwhile` (the repair's compiled kernels release the GIL, as the forked solve leaves
    this process free): None when the repair declines."""
    if meanwhile is None:
        repaired = repair_min_cost(arcs, start, prices)
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(repair_min_cost, arcs, start, prices)
            meanwhile(lambda: not future.done())
            repaired = future.result()
    heap.trim()  # its network's arrays, freed but resident, before the whole shortlist's
    return repaired


def _simplex_beside(meanwhile: Meanwhile | None) -> ClassFlow:
    """`simplex.class_flow_by_simplex`, in a worker thread while this one runs `meanwhile`
    (POT's simplex and the repair release the GIL)."""

    def class_flow(class_arcs: Arcs) -> FlowSolution | None:
        if meanwhile is None:
            solved = class_flow_by_simplex(class_arcs)
        else:
            with ThreadPoolExecutor(max_workers=1) as pool:
                future = pool.submit(class_flow_by_simplex, class_arcs)
                meanwhile(lambda: not future.done())
                solved = future.result()
        heap.trim()  # the simplex's and the repair's arrays, freed but resident
        return solved

    return class_flow


def _within_slack(arcs: Arcs, memory: CertifyMemory, slack: float) -> NDArray[np.bool_]:
    """Per arc, whether its demand's best reduced value (at the last prices) minus its own is
    at most `slack`."""
    assert memory.prices is not None and memory.row_best is not None
    return kernels.within_slack(
        arcs.rows,
        arcs.cols,
        arcs.values,
        np.ascontiguousarray(memory.prices, np.float64),
        np.ascontiguousarray(memory.row_best, np.float64),
        float(slack),
    )


def _repair_on_tight(
    whole: Arcs, memory: CertifyMemory, kept: I64
) -> tuple[Arcs, FlowSolution | None]:
    """A re-solve's first flow: the last flow repaired (from the last prices, `solvers.repair`)
    on the arcs within a slack of their row's best reduced value under the last prices, each
    row's REPAIR_TOP best and the last pairs; its prices are the repair's own potentials, near
    the last prices. Then checked on every arc of `whole`: when an arc outside is worth more to
    its focus area at those prices than the focus area's pair (or than nothing, unmatched), the
    repaired flow may not be optimal there, and the repair starts again on the arcs within the
    next of REPAIR_SLACKS. When none is, the flow is optimal on all of `whole` and its prices
    feasible there: the certificate closes unless a pair off the shortlist beats them. Only
    for networks without intermediate nodes (each mentee one focus area). Returns the arcs
    repaired on and the flow, or None (a repair declined, or no slack was enough: the caller
    solves those arcs afresh)."""
    assert memory.prices is not None and memory.row_best is not None
    reduced = whole.values - memory.prices[whole.cols]
    slack = memory.row_best[whole.rows] - reduced
    top = arrays.group_rank(whole.rows) < REPAIR_TOP
    if len(kept) == whole.n_demands:
        top |= takes_last(whole, kept)
    for passes, most in enumerate(REPAIR_SLACKS):
        keep = top | (slack <= most)
        arcs = whole.subset(keep)
        solution = repair_min_cost(arcs, kept, memory.prices, extreme_duals=False)
        if solution is None:
            return arcs, None
        assigned = solution.assigned
        own = np.where(assigned >= 0, solution.values - solution.prices[assigned.clip(0)], 0.0)
        better = whole.values - solution.prices[whole.cols] > own[whole.rows] + 0.5
        better &= ~keep
        log.debug(
            "repair pass %d on %d arcs: %d arcs outside beat their focus area's pair",
            passes,
            len(arcs.rows),
            int(better.sum()),
        )
        if not better.any():
            return arcs, solution
    return arcs, None


def duals_on(
    arcs: Arcs, assigned: I64, start_prices: F64 | None = None, work: int = DUALS_WORK
) -> FlowSolution | None:
    """The LP duals of the assignment `assigned` as a flow on the network of `arcs`, or None
    when it is not an optimal flow there (or that is not found out quickly).

    A re-solve solves a working set; when its first round leaves a gap but its flow is optimal
    on the whole shortlist too, the duals of the whole shortlist's network price every pair as
    a solve on all of it would (the same potentials: shortest distances to the sink in the
    residual graph, see `flow._potentials`), and the certificate can close without another
    solve. A flow that is not optimal there has a negative
    cycle in its residual graph: the label correcting then runs past its budget. Mentor
    classes are one node each, as `solve_min_cost` solves them; `assigned` names members.

    `start_prices` (per member) are the prices of the same flow on a working set of these arcs:
    its residual graph has fewer arcs, so its distances to the sink are upper bounds of these,
    and the label correcting starts from them (a fraction of the passes from the sink alone;
    the distances it ends with are the same). Any other start still ends at feasible
    potentials of this flow, which are valid duals: the certificate decides as always. `work`:
    label corrections per residual arc at most.
    """
    rep = arcs.mentor_class
    flow_arcs = arcs.by_class()  # classes of alike mentors are one node each, as solved
    flow_assigned = assigned if rep is None else np.where(assigned >= 0, rep[assigned], -1)
    net = flow_arcs.network()
    n_d, n_m = net.n_demands, len(net.capacity)
    used = flow_assigned[flow_arcs.rows] == flow_arcs.cols
    if int(used.sum()) != int((assigned >= 0).sum()):
        return None  # the assignment uses a pair these arcs lack
    mentor_nodes = n_d + np.arange(n_m, dtype=np.int64)
    n_mid, n_act = len(net.mid_node), len(net.active)
    # the pair arcs apart from the rest (intermediate places, unmatched arcs, mentor places; all
    # of cost 0): a pair arc carries at most its demand's supply, so it is never full, and the
    # network's other arcs are few. No array as long as all arcs is made but the reversed
    # residual graph (at 100,000 x 30,000 round 1 prices 5.2 M arcs: 0.5 GB less at the peak)
    tails = np.concatenate([net.mid_node, net.active, mentor_nodes]).astype(np.int64)
    heads = np.concatenate(
        [net.mid_mentor, np.full(n_act, net.sink), np.full(n_m, net.sink)]
    ).astype(np.int64)
    caps = np.concatenate(
        [net.mid_capacity, np.ones(n_act, np.int64), np.maximum(net.capacity, 0)]
    ).astype(np.int64)
    via_mid = used & (net.pair_head > net.sink)
    mid_flow = np.bincount(net.pair_head[via_mid] - net.sink - 1, minlength=n_mid)
    mentor_flow = np.bincount(flow_assigned[flow_assigned >= 0], minlength=n_m)
    flows = np.concatenate(
        [mid_flow, (assigned[net.active] < 0).astype(np.int64), mentor_flow]
    ).astype(np.int64)
    if bool((flows > caps).any()):
        return None
    unbounded = np.zeros(len(tails), bool)
    unbounded[n_mid : n_mid + n_act] = True  # an unmatched arc carries at most its supply
    forward = (flows < caps) | unbounded
    backward = flows > 0
    # distances to the sink: from the sink along the residual arcs reversed (head -> tail)
    starts, to, weight = kernels.reversed_residual(
        net.n_nodes, net.pair_tail, net.pair_head, net.pair_cost, used, tails, heads, forward,
        backward,
    )  # fmt: skip
    n_residual = len(to)
    # the network's own arcs go before the label correcting (100,000 x 30,000 with `goal_fit`
    # alone, round 1 priced on 16 M arcs: 0.27 GB at the peak)
    net.pair_tail = net.pair_head = net.pair_cost = EMPTY
    dist = np.full(net.n_nodes, UNREACHABLE, np.int64)
    if start_prices is not None:
        known = np.full(n_m, UNREACHABLE, np.int64)
        labels = np.minimum(np.rint(start_prices), UNREACHABLE).astype(np.int64)
        known[np.arange(n_m) if rep is None else rep] = labels
        dist[mentor_nodes] = known
    dist[net.sink] = 0
    budget = work * max(n_residual, 1)
    scanned = kernels.distances_within(starts, to, weight, dist, UNREACHABLE, budget)
    log.debug("pricing a working set's flow: %d arcs scanned, %d residual arcs", scanned, len(to))
    if scanned < 0:
        return None
    potential = -dist
    prices = np.maximum(potential[net.sink] - potential[mentor_nodes], 0.0)
    mid_prices = np.maximum(potential[net.mid_mentor] - potential[net.mid_node], 0.0)
    values = np.zeros(n_d, np.int64)
    values[flow_arcs.rows[used]] = flow_arcs.values[used]
    if rep is not None:
        prices = prices[rep]  # each member at its class's price, as `solve_min_cost` gives
    return FlowSolution(
        assigned.copy(),
        prices.astype(np.float64),
        net.mid_key,
        mid_prices.astype(np.float64),
        values,
        mid_capacity=net.mid_capacity,
        mentor_class=arcs.mentor_class,
    )


def _first_working_set(
    arcs: Arcs, mentor_width: int, prices: F64 | None = None, row_best: F64 | None = None
) -> Arcs:
    """First solve: each demand's FIRST_TOP best arcs (counting mentor classes once), each
    mentor's best `mentor_width` and every PROBE_STRIDE-th after them (see
    `shortlist._split_reserve`). With first prices (`first_prices.sampled_prices`) each
    demand's FIRST_TOP best by reduced value instead of by score, and also each mentor's
    `mentor_width` of least slack (`row_best` minus the reduced value).

    The certificate prices every shortlisted pair afterwards, so nothing is lost: pairs that
    matter come back through the next rounds' working sets.
    """
    if prices is None:
        # by value, each mentor class once (a demand reaches a whole class through any
        # member): the selection at first prices, with every price 0
        keep = reduced_top(arcs, np.zeros(len(arcs.capacity)), FIRST_TOP)
    else:
        # by reduced value only: a row's best by raw score that the prices make dear are not
        # worth solving on (20,000 x 6,000 `alike`: round 1 on 0.78 M arcs instead of 1.01 M,
        # and its bound close enough that round 2 certifies, 0.6 s less; the app's round the
        # same 3 rounds)
        keep = reduced_top(arcs, prices, FIRST_TOP)
        if row_best is not None:
            slack = row_best[arcs.rows] - (arcs.values - prices[arcs.cols])
            keep |= slack_top(arcs.cols, slack, arcs.rows, mentor_width)
    kernels.mark_ranked_by_column(
        arcs.rows, arcs.cols, arcs.values, len(arcs.capacity), mentor_width, PROBE_STRIDE, keep
    )
    return arcs.subset(keep)


def _seed_prices(
    features: Features,
    shortlist: Shortlist,
    pricing: Pricing,
    classes: I64 | None,
    removed: I64,
    k: int,
    memory: CertifyMemory,
    any_size: bool = False,
    max_demands: int = SAMPLE_MAX_DEMANDS,
    add_per_row: int | None = None,
    dense: bool = False,
    given: DenseSample | None = None,
) -> tuple[F64, float] | None:
    """Prices from a sampled problem (`first_prices.sampled_prices`, of `max_demands` focus
    areas at most; with `dense`, solved over every pair at once where it is small enough,
    `first_prices.dense_sampled_prices`) and the pairs they pick:
    each demand's best left-out pairs by reduced value (`add_per_row` at most, default `k`)
    and each mentor's reserve pairs of least slack. `memory` then holds those prices and each
    demand's best reduced value at them. Returns the prices and the certificate's bound at them
    (nothing matched); None (nothing done) when the instance is too small for a sample.
    `given`: a dense sample of this problem solved already (`sample_beside_shortlist`)."""
    active, capacity, bonus = pricing.active, pricing.capacity, pricing.bonus
    threshold = max(pricing.threshold, 0)
    prices = None
    if given is not None:
        list_dense_sample(shortlist, given)
        prices = given.prices
    elif dense:
        prices = dense_sampled_prices(
            features, active, capacity, bonus, threshold, max_demands, shortlist
        )
    if prices is None:
        prices = sampled_prices(
            features, shortlist, active, capacity, bonus, classes, removed, k,
            threshold=threshold, any_size=any_size, max_demands=max_demands,
        )  # fmt: skip
    if prices is None:
        return None
    seed = Pricing(bonus=bonus, threshold=threshold, active=active, capacity=capacity)
    per_row = k if add_per_row is None else add_per_row
    bound, added = seed_pairs(features, shortlist, prices, seed, classes, per_row, memory)
    assert memory.prices is not None and memory.row_best is not None
    added += mentor_side_pairs(
        shortlist, memory.prices, memory.row_best, seed, shortlist_width(capacity)
    )
    log.debug("first prices: %d pairs added, bound %.0f at them", added, bound)
    return prices, bound


def _auction_rounds(
    features: Features,
    shortlist: Shortlist,
    pricing: Pricing,
    classes: I64 | None,
    k: int,
    memory: CertifyMemory,
    start: F64 | None = None,
) -> Auction | None:
    """First prices from auctions on the shortlist (`auction.auction_prices`), each followed
    by the certificate's pass at its prices with nothing matched, which adds the left-out pairs
    those prices make worth listing (`first_prices.seed_pairs`); up to AUCTION_ROUNDS times,
    until the bound at the prices is within AUCTION_GAP of the auction's value. `memory` then
    holds the last prices and each demand's best reduced value at them. Returns the last
    auction, or None when none finished.

    The first auction starts from the prices `start` when given (a sampled problem's), each
    later one from the last auction's: the listed pairs grew, the prices moved little, and a
    warm auction needs about a quarter fewer bids (`auction.WARM_EPS_START`).
    """
    active, capacity, bonus = pricing.active, pricing.capacity, pricing.bonus
    last: Auction | None = None
    last_gap = 1.0
    for r in range(AUCTION_ROUNDS):
        if last is not None:
            start = last.prices
        found = auction_prices(
            shortlist.indptr, shortlist.cols, shortlist.scores, bonus, active, capacity, start
        )
        if found is None:
            break
        if r == 0:
            # unmatched focus areas beside free places: a gap the pass below would only confirm
            unlisted = _unlisted_gap(features, found, pricing)
            if unlisted > GIVE_UP_UNLISTED:
                log.debug("auction 1: unlisted pairs alone %.2e above its value, give up", unlisted)
                return None
        last = found
        bound, added = seed_pairs(features, shortlist, found.prices, pricing, classes, k, memory)
        found.bound = bound
        log.debug(
            "auction %d: value %d, bound %.0f at its prices, %d pairs added",
            r + 1,
            found.value,
            bound,
            added,
        )
        gap = scores_gap(found.value, bound, bonus, found.assigned)
        if gap > AUCTION_FAR_GAP or (r > 0 and gap > last_gap * AUCTION_MIN_FALL):
            log.debug("auction %d: gap %.2e, the auctions give up", r + 1, gap)
            return None
        if added == 0 or gap <= AUCTION_GAP:
            break
        last_gap = gap
    return last


def _auctions_after_sample(
    features: Features,
    shortlist: Shortlist,
    pricing: Pricing,
    classes: I64 | None,
    k: int,
    memory: CertifyMemory,
) -> Auction | None:
    """`_auction_rounds` again once a sampled problem's prices (`_seed_prices`) have listed
    the pairs the first auctions lacked; `memory` is left as the sample left it when these
    give up too.

    Where the first auctions give up (the app's 20,000 x 6,000 round: most of the optimum's
    pairs were not on the shortlist as first built), the sample's prices alone leave round 1 a
    narrow working set whose duals are further off than the sample's, and round 2 solves most
    of the shortlist (3.0-3.7 M arcs). Auctions on the shortlist the sample grew price every
    listed pair within a unit, and round 1 then repairs the last auction's assignment and is
    priced on the whole shortlist, as after auctions that did not give up: one round, not 3.
    """
    kept = replace(memory)
    found = _auction_rounds(features, shortlist, pricing, classes, k, memory, memory.prices)
    log.debug("auctions after the sample: %s", "prices" if found is not None else "gave up")
    if found is None:
        memory.__dict__.update(kept.__dict__)
    return found


def _unlisted_gap(features: Features, auction: Auction, pricing: Pricing) -> float:
    """An estimate of how far above the auction's value (relative, scores only) the bound at
    its prices is at least, from the pairs of its unmatched focus areas with its free places:
    every unmatched focus area's best reduced value among them is part of the bound's excess.
    Measured on GIVE_UP_SAMPLE unmatched focus areas (a fixed seed) and scaled up; costs a
    few milliseconds, where the certificate's pass at the prices costs a second at 20,000 x
    6,000 (the app's round: its auction left most of its places free beside 9,000 unmatched
    focus areas, because its listed pairs held few of the places' takers)."""
    active, capacity, bonus = pricing.active, pricing.capacity, pricing.bonus
    places = np.maximum(capacity, 0)
    taken = auction.assigned[auction.assigned >= 0]
    free = np.flatnonzero(np.bincount(taken, minlength=len(places)) < places)
    unmatched = np.flatnonzero(active & (auction.assigned < 0))
    if not len(free) or not len(unmatched):
        return 0.0
    rng = np.random.default_rng(GIVE_UP_SEED)
    n = min(len(unmatched), GIVE_UP_SAMPLE)
    sample = np.sort(rng.choice(unmatched, n, replace=False))
    scores = ColumnView(features, free).score(sample).astype(np.int64)
    reduced = np.where(scores >= 0, scores + bonus - auction.prices[free], 0.0)
    excess = float(np.maximum(reduced.max(axis=1), 0.0).sum()) * len(unmatched) / n
    value = auction.value - bonus * len(taken)
    return relative_gap(value, value + excess)  # as `scores_gap` measures


def scores_gap(value: float, bound: float, bonus: int, assigned: I64) -> float:
    """The bound's relative gap above the value of the assignment `assigned`, relative to the
    scores alone (without `bonus` per match): with coverage's and fair's bonus in both, every
    gap would look tiny. The auctions' stop (the 20,000 x 6,000 plain instance under coverage
    stopped after one auction at 1.6e-7 of the bonus-laden value, 5.4e-3 of its scores, and
    round 1 matched 133 focus areas fewer) and the late repair's test (the app's round under
    `fair`: repairs of thousands of units tried and declined, 2.4-3.8 s each) use it."""
    matched_bonus = bonus * int((assigned >= 0).sum())
    return relative_gap(value - matched_bonus, bound - matched_bonus)


def _seed_classes(
    features: Features, shortlist: Shortlist, classes: I64, active: NDArray[np.bool_], capacity: I64
) -> int:
    """Before the first solve, list each active demand's SEED_TOP best classes of two or more
    open mentors (scored on their representative) that its row does not reach yet.

    The shortlist's top K counts mentors: where alike mentors tie, a row's K all fall in one
    or two classes, and the first solve (and its prices) sees almost nothing else. At the
    optimum many focus areas take a class well below their best few (the popular classes are
    full and dear), so the seed reaches deeper than the first solve's FIRST_TOP. The added
    pairs are real pairs with exact scores, so the certificate is unchanged; only fewer rounds
    are needed. Returns how many pairs were added.
    """
    n_m = len(classes)
    size = np.bincount(classes, minlength=n_m)
    reps = np.flatnonzero((size > 1) & (classes == np.arange(n_m)) & (capacity > 0))
    rows = np.flatnonzero(active).astype(np.int64)
    if len(reps) < 2 or not len(rows):
        return 0
    width = max(n_m, 1)
    listed = arrays.unique(shortlist.rows * width + classes[shortlist.cols])
    view = ColumnView(features, reps)
    top = min(SEED_TOP, len(reps))
    parts: list[tuple[I64, I64, I64]] = []
    for lo, hi in block_ranges(len(rows), len(reps)):
        block = rows[lo:hi]
        values = view.score(block)
        best = np.argpartition(-values, top - 1, axis=1)[:, :top] if top < len(reps) else None
        if best is None:
            best = np.broadcast_to(np.arange(len(reps)), (len(block), len(reps)))
        local = np.repeat(np.arange(len(block)), best.shape[1])
        pos = best.reshape(-1)
        score = values[local, pos].astype(np.int64)
        d, j = block[local], reps[pos]
        keep = (score >= 0) & ~arrays.isin(d * width + j, listed, pool_sorted=True)
        parts.append((d[keep], j[keep], score[keep]))
    return shortlist.merge(
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
    )


@njit(cache=True, nogil=True)
def _greedy_offers(
    top: I64, top_values: NDArray[np.int32], want: I64, per_demand: int, lowest: int, n_rows: int
) -> tuple[I64, I64]:
    """Pairs (row, column): each column in turn (`top[c]`: its best rows, best first, with
    their scores `top_values[c]`) takes up to `want[c]` of them scoring `lowest` or more among
    the rows offered fewer than `per_demand` columns so far."""
    offered = np.zeros(n_rows, np.int64)
    total = 0
    for c in range(top.shape[0]):
        total += want[c]
    out_r = np.empty(total, np.int64)
    out_c = np.empty(total, np.int64)
    n = 0
    for c in range(top.shape[0]):
        left = want[c]
        for i in range(top.shape[1]):
            if left == 0 or top_values[c, i] < lowest:
                break
            r = top[c, i]
            if offered[r] < per_demand:
                offered[r] += 1
                out_r[n] = r
                out_c[n] = c
                n += 1
                left -= 1
    return out_r[:n], out_c[:n]


def warm_up_fill() -> None:
    """Load the fill step's compiled kernel (`_greedy_offers`) on a tiny problem: the engine's
    warm-up solve never leaves the places free that call for it."""
    top = np.zeros((1, 1), np.int64)
    _greedy_offers(top, np.zeros((1, 1), np.int32), np.ones(1, np.int64), 1, 0, 1)


def _fill_pairs(
    features: Features, assigned: I64, active: NDArray[np.bool_], capacity: I64, lowest: int
) -> tuple[I64, I64, I64]:
    """Pairs from the unmatched demands to every open mentor, after a solve.

    At the optimum every mentor is priced at least at the score of its best unmatched demand
    (else that demand would gain from it). The shortlist lists each demand's best mentors and
    each mentor's best demands, and where mentors are alike these are the same few: a
    mentor's best *unmatched* demands are seldom listed, so the solve prices mentors far too
    low and leaves places free that no listed demand can take, and the certificate's bound
    is far above the objective (the app's 20,000 x 6,000 round: twice it in round 1, 8
    rounds). So each open mentor is offered its best unmatched demands: FILL_PER_PLACE per
    free place, FILL_PER_FULL when it is full; each demand goes to at most FILL_PER_DEMAND
    mentors (alike mentors would all take the same ones), mentors with free places first.
    Only when the solve leaves FILL_MIN_FREE of the places free or more: where it fills
    them (the generator's instances), the extra solve would cost more than it saves.
    Real pairs with exact scores: the certificate is unchanged; the next solve fills the
    places and prices the mentors. `lowest`: the smallest score worth offering (1 for
    `total`, where a pair scoring 0 adds nothing; 0 for `coverage`).
    """
    used = np.bincount(assigned[assigned >= 0], minlength=len(capacity))
    free = np.maximum(capacity, 0) - used
    cols = np.flatnonzero(capacity > 0).astype(np.int64)
    rows = np.flatnonzero(active & (assigned < 0)).astype(np.int64)
    if not len(cols) or not len(rows) or len(rows) * len(cols) > FILL_MAX_CELLS:
        return EMPTY, EMPTY, EMPTY
    if free.sum() < FILL_MIN_FREE * np.maximum(capacity, 0).sum():
        return EMPTY, EMPTY, EMPTY  # the solve fills (nearly) every place: prices are set
    cols = cols[np.argsort(-free[cols], kind="stable")]  # free places first
    want = np.where(free[cols] > 0, free[cols] * FILL_PER_PLACE, FILL_PER_FULL).astype(np.int64)
    depth = min(len(rows), FILL_DEPTH)
    tops, top_values = [], []
    step = max(1, FILL_BLOCK_CELLS // len(rows))
    for lo in range(0, len(cols), step):
        values = ColumnView(features, cols[lo : lo + step]).score(rows).T  # mentors x rows
        best = np.argpartition(-values, depth - 1, axis=1)[:, :depth]
        best_values = np.take_along_axis(values, best, axis=1)
        order = np.argsort(-best_values, axis=1, kind="stable")
        tops.append(np.take_along_axis(best, order, axis=1).astype(np.int64))
        top_values.append(np.take_along_axis(best_values, order, axis=1))
    top = np.concatenate(tops)
    top_value = np.ascontiguousarray(np.concatenate(top_values))
    r, c = _greedy_offers(top, top_value, want, FILL_PER_DEMAND, lowest, len(rows))
    return rows[r], cols[c], top_value[c, _position(top, r, c)].astype(np.int64)


def _list_solution_pairs(
    features: Features, shortlist: Shortlist, assigned: I64, classes: I64 | None
) -> int:
    """Shortlist the solve's pairs its rows do not list (by class): how many were added.

    A hub network (`flow._solve_by_hub`) lets a focus area that lists one class of a hub take
    a member of any class of the hub (they score it alike), so its pair may be one the
    shortlist lacks. The next round's working set keeps each row's arcs into its last
    member's class (`takes_last`): without the pair listed the row loses it, and that round's
    optimum can fall below the last one (the generator's 100,000 x 30,000 `alike`: round 3
    fell from 35,067.6 to 35,027.8, its bound 21 % off). Scored exactly, as every listed pair.
    """
    rows = np.flatnonzero(assigned >= 0)
    if not len(rows):
        return 0
    if classes is None:
        missing = rows[shortlist.scores_of(rows, assigned[rows]) < 0]
    else:
        entry_rows = shortlist.rows  # made from the row pointers: once
        covered = kernels.takes_class(
            entry_rows,
            shortlist.cols,
            np.ascontiguousarray(assigned, np.int64),
            np.ascontiguousarray(classes, np.int64),
        )
        missing = np.setdiff1d(rows, entry_rows[covered])
        del entry_rows, covered
    if not len(missing):
        return 0
    cols = assigned[missing]
    scores = np.empty(len(missing), np.int64)
    for lo, hi in block_ranges(len(missing), features.model.n_mentors):
        block = scored_rows(features, missing[lo:hi])
        scores[lo:hi] = block[np.arange(hi - lo), cols[lo:hi]]
    eligible = scores >= 0
    log.debug("solve's pairs not listed: %d, shortlisted", len(missing))
    return shortlist.merge(missing[eligible], cols[eligible], scores[eligible])


def _no_step(stage: str, round_number: int, gap: float | None) -> None:
    """`run_round`'s `on_step` when nobody listens."""


def _position(top: I64, r: I64, c: I64) -> I64:
    """Where row r stands in column c's list `top[c]` (it is there)."""
    return np.argmax(top[c] == r[:, None], axis=1)


def _with_pairs(arcs: Arcs, rows: I64, cols: I64, values: I64) -> Arcs:
    """`arcs` plus more arcs (none of them chosen by the last solve)."""
    out = arcs.subset(np.ones(len(arcs.rows), bool))
    out.rows = np.concatenate([arcs.rows, rows])
    out.cols = np.concatenate([arcs.cols, cols])
    out.values = np.concatenate([arcs.values, values])
    if arcs.previous is not None:
        out.previous = np.concatenate([arcs.previous, np.zeros(len(rows), bool)])
    return out


def _value_of(arcs: Arcs, assigned: I64) -> int:
    hit = assigned[arcs.rows] == arcs.cols
    return int(arcs.values[hit].sum())


def _scores_of(solution: FlowSolution, bonus: int) -> I64:
    """Score units of each demand's assigned pair (-1 when unmatched)."""
    return np.where(solution.assigned >= 0, solution.values - bonus, -1).astype(np.int64)


def market(model: Model) -> tuple[NDArray[np.bool_], I64, int]:
    """A solve's demands (pinned ones out), each mentor's places (pins taken, paused mentors
    0) and the objective's bonus per match (`coverage`, `fair`: more than any score sum)."""
    active = np.ones(model.n_demands, bool)
    capacity = model.capacity.copy()
    for d, j in model.pinned:
        active[d] = False
        capacity[j] -= 1
    capacity[model.mentor_opt_out] = 0
    n_slots = int(min(active.sum(), capacity.clip(0).sum()))
    objective = model.instance.objective
    bonus = SCALE * (n_slots + 1) if objective in ("coverage", "fair") else 0
    return active, capacity, bonus


@dataclass
class FirstSample:
    """A dense sample being solved in a thread (`sample_beside_shortlist`), and the market it
    is of."""

    active: NDArray[np.bool_]
    capacity: I64
    bonus: int
    future: Future[DenseSample | None]


def sample_beside_shortlist(
    features: Features, k: int, max_rounds: int, spread: bool
) -> FirstSample | None:
    """Start, in a thread, the dense sample a first solve would take after its first auction
    gave up (`_auction_rounds`, then `_seed_prices`), while this thread builds the shortlist;
    None where the solve would not take one: mentors alike (not `spread`), one round only,
    objectives other than `total` and `coverage`, group programs, too few focus areas, or no
    network simplex.

    The thread scores its sample's rows first and ends there (no sample: None) where each
    focus area's `k` best mentors by raw score reach most places
    (`first_prices.raw_lists_reach_places`): the auctions on the shortlist then price the
    round, as before. Where they do not (the app's 20,000 x 6,000 round: 29 % of its places)
    the first auction would give up, and the solve takes this sample's prices instead
    (`run_round`'s `first_sample`): the same prices and pairs as the sample it would solve
    after that auction, with the auction skipped and the network simplex run while the
    shortlist is built."""
    model = features.model
    instance = model.instance
    if (
        not spread
        or max_rounds <= 1
        or instance.objective not in ("total", "coverage")
        or instance.program_kind == "group"
        or pot_simplex_module() is None
    ):
        return None
    active, capacity, bonus = market(model)
    if not AUCTION_MIN_DEMANDS <= int(active.sum()) <= MAX_SAMPLED_DEMANDS:
        return None
    features.kernel_tables()  # built here once, not in both threads
    pool = ThreadPoolExecutor(1, thread_name_prefix="first-sample")
    future = pool.submit(
        dense_sample, features, active, capacity, bonus, 0, SAMPLE_BEFORE_AUCTIONS, k
    )
    pool.shutdown(wait=False)  # the thread ends with its task
    return FirstSample(active=active, capacity=capacity, bonus=bonus, future=future)


def _sample_of(
    first: FirstSample | None, active: NDArray[np.bool_], capacity: I64, bonus: int
) -> DenseSample | None:
    """The dense sample solved beside the shortlist (waited for) when it is of this market;
    else None."""
    if first is None:
        return None
    same = (
        first.bonus == bonus
        and np.array_equal(first.active, active)
        and np.array_equal(first.capacity, capacity)
    )
    return first.future.result() if same else None


def run_round(
    features: Features,
    shortlist: Shortlist,
    pinned_scores: dict[int, int],
    k: int,
    max_rounds: int,
    memory: CertifyMemory | None = None,
    while_solving: Callable[[I64], Meanwhile | None] | None = None,
    on_step: StepCallback | None = None,
    fork: bool = True,
    first_sample: FirstSample | None = None,
    on_flow: Callable[[I64], None] | None = None,
) -> RoundOutcome:
    """Solve the instance's objective on the shortlist with a certificate for the full problem.

    `on_step(stage, round, gap)` hears where the solve is, for a progress display: "prices"
    before first prices are sought (round 0, gap None), "round" after each round's
    certificate (its number and its bound's relative gap above its total score, `scores_gap`:
    0 once certified), "stable" before deferred acceptance. It must not raise.

    `memory` carries the last certificate's prices and bounds between re-solves of a session.
    `while_solving(last assignment)` may give work to do while the next round's flow is
    solved in a child process (see `solve_min_cost`); it must not change what is solved.
    Without `fork` (a web worker: no child processes) that work runs only beside a stage
    this process runs in a worker thread (the repair of the auctions' assignment), and
    every flow is solved in this process.

    `first_sample`: a dense sample solved beside the shortlist (`sample_beside_shortlist`),
    taken in place of the first auctions where it is of this problem and found them short.

    `on_flow(assigned)` hears each round's flow (a mentor per demand, or -1) as soon as it is
    laid, before its certificate: the result's assignment where that certificate proves it
    optimal (most large rounds: the first). A caller may start writing it meanwhile (`Session.
    solve`'s `on_flow`); it must not raise, and must not change the array.
    """
    model = features.model
    objective = model.instance.objective
    kind = model.instance.program_kind
    active, capacity, bonus = market(model)
    seconds = {"solve": 0.0, "certify": 0.0}
    classes = mentor_classes(features, capacity) if kind != "group" else None
    removed = removed_keys(model)
    step = on_step if on_step is not None else _no_step
    if objective == "stable":
        step("stable", 0, None)
        return _stable(
            features, shortlist, pinned_scores, active, capacity, classes, removed,
            while_solving if fork else None,
        )  # fmt: skip
    threshold = 0
    total_exact = total_added = 0
    solution: FlowSolution | None = None
    bound_units = 0.0
    objective_units = 0
    rounds = 0
    memory = memory if memory is not None else CertifyMemory()
    memory.forget_unless(bonus, memory.threshold if objective == "fair" else 0)
    last_gap: float | None = None
    last_relative: float | None = None
    last_scores_gap: float | None = None
    fair: FairThreshold | None = None
    narrow = memory.prices is not None  # a re-solve starts from the last duals' working set
    # where ties keep a last solve's pairs (a re-solve, or a session rebuilt with `prefer`),
    # OR-Tools' flows do (the kept pairs' costs), not the simplex's
    by_simplex = FLOWS_BY_SIMPLEX and not narrow and memory.assigned is None and kind != "group"
    # hubs in a first solve only: a hub's focus areas are split over its members afresh, and
    # a re-solve keeps the last solve's pairs where scores tie
    hubs = None if narrow else _hubs(features, classes)
    narrow_first = False
    fills = 0
    repaired_rounds = 0
    # each mentee one focus area: no intermediate nodes, so a repaired flow's prices can be
    # checked on every shortlisted pair at once (`_repair_on_tight`)
    one_area_each = bool((np.diff(model.mentee_start) <= 1).all())
    # ties keep the last *solve's* pairs (a re-solve after a pin changes least); the rounds of
    # one solve don't tie-break among themselves: the scaled costs slow the flow solver
    kept = memory.assigned
    if classes is not None and not narrow and objective in ("total", "coverage", "fair"):
        t0 = time.perf_counter()
        total_added += _seed_classes(features, shortlist, classes, active, capacity)
        seconds["certify"] += time.perf_counter() - t0
    # a first solve whose bound is far off gets prices from a sampled problem before the next
    # round (see `_seed_prices`); that round starts afresh from them, as round 1 did
    first_prices: F64 | None = None
    first_bound: float | None = None  # the bound at the sample's prices
    # `fair` only after round 1 (its threshold comes from round 1's shortlist)
    may_sample = not narrow and objective in ("total", "coverage", "fair") and kind != "group"
    first_round = 1
    limit = max_rounds
    # first prices from an auction on the shortlist (see `_auction_rounds`)
    auctioned: Auction | None = None
    priced_by = "none"
    if (
        may_sample
        and objective != "fair"
        and max_rounds > 1
        and int(active.sum()) >= AUCTION_MIN_DEMANDS
    ):
        # without classes, auctions; when they give up, or with classes of mentors that hardly
        # ever tie, a sampled problem; with large classes, round 1 first (a far-off round 1
        # gets the sampled problem's prices after it, below)
        step("prices", 0, None)
        t0 = time.perf_counter()
        pricing = Pricing(bonus=bonus, threshold=0, active=active, capacity=capacity)
        alike = has_members(classes)
        early = None if alike else _sample_of(first_sample, active, capacity, bonus)
        if not alike and early is None:
            auctioned = _auction_rounds(features, shortlist, pricing, classes, k, memory)
            priced_by = "auction" if auctioned is not None else priced_by
        share = len(arrays.unique(classes)) / len(classes) if alike and classes is not None else 0
        # with classes of members, a sample first where they are few (mentors that hardly
        # ever tie) or where round 1 would otherwise solve the whole shortlist without prices
        sample_first = alike and (
            share > SAMPLE_FIRST_CLASS_SHARE or int(active.sum()) > WHOLE_FIRST_ABOVE
        )
        if (not alike and auctioned is None) or sample_first:
            # alike mentors at any size (the generator's 100,000 x 30,000 `alike`: certified in
            # 5 rounds, 215 s, 5.5 GB; without prices round 7 was still 9 % off, 7.7 GB; its
            # `profiles`: 146 s in 3 rounds instead of 202 s in 5); after auctions that gave
            # up, up to MAX_SAMPLED_DEMANDS
            seeded = _seed_prices(
                features, shortlist, pricing, classes, removed, k, memory, any_size=alike,
                max_demands=SAMPLE_MAX_DEMANDS if alike else SAMPLE_BEFORE_AUCTIONS,
                add_per_row=k if alike else k * SEED_PAIRS_BEFORE_AUCTIONS, dense=not alike,
                given=early,
            )  # fmt: skip
            first_prices, first_bound = seeded if seeded is not None else (None, None)
            may_sample = first_prices is None
            priced_by = "sample" if first_prices is not None else priced_by
            if first_prices is not None and not alike:
                # the auctions gave up for want of the pairs the optimum takes, which the
                # sample's prices have now listed: auctions again on that shortlist
                auctioned = _auctions_after_sample(features, shortlist, pricing, classes, k, memory)
                if auctioned is not None:
                    first_prices = first_bound = None
                    priced_by = "sample, then auction"
        if not alike or sample_first:
            seconds["prices"] = time.perf_counter() - t0
    while rounds < limit:
        rounds += 1
        t0 = time.perf_counter()
        resolving = narrow and solution is None  # a re-solve's first round
        # a re-solve repairs the last flow from the last prices (None: it solves afresh), with
        # or without classes of alike mentors: the repaired flow is as optimal and keeps as
        # many of the last pairs as a fresh solve (see `solvers.repair`)
        repaired = None
        tight = False
        moved = False  # `fair`'s threshold moved since the last solve
        if (
            resolving
            and kept is not None
            and memory.prices is not None
            and one_area_each
            and objective in ("total", "coverage")
            and not has_members(classes)
        ):
            # on the whole shortlist's rows, no network built: optimal on all of it
            repaired = repair_on_rows(
                shortlist.indptr, shortlist.cols, shortlist.scores, bonus, active, capacity,
                kept, memory.prices,
            )  # fmt: skip
            tight = repaired is not None
        arcs: Arcs | None = None
        whole = None  # the last round's arcs go before this round's are built (peak memory)
        if repaired is None:
            arcs = _arcs(
                shortlist, model.demand_mentee, active, capacity, bonus, classes, removed, hubs
            )
            if objective == "fair":
                base = _arcs(shortlist, model.demand_mentee, active, capacity, 0, classes, removed)
                fair = bottleneck_threshold(base, fair)  # the shortlist only grew since
                if solution is not None and fair.threshold != threshold:
                    # pairs of the last solve fall below a higher threshold (or new ones
                    # above a lower) and the last prices were for the old one: a working set
                    # from them lost 175 of 14,383 matches on the app's round (bound 120 %
                    # off); the whole shortlist at the new threshold instead
                    log.debug(
                        "round %d: fair threshold %d -> %d", rounds, threshold, fair.threshold
                    )
                    narrow, moved = False, True
                threshold = fair.threshold
                arcs = restrict(arcs, threshold + bonus)
        whole = arcs
        if resolving and kept is not None and memory.prices is not None:
            if repaired is not None:
                pass  # repaired on the rows above
            elif one_area_each:
                assert whole is not None
                arcs, repaired = _repair_on_tight(whole, memory, kept)
                tight = repaired is not None
            else:
                assert arcs is not None
                arcs = _working_set(arcs, memory, None, gap=last_gap)
                repaired = repair_min_cost(arcs, kept, memory.prices)
            log.debug("round %d: last solve's flow %s", rounds, "repaired" if repaired else "not")
        elif narrow:
            assert arcs is not None
            arcs = _working_set(arcs, memory, solution.assigned if solution else None, gap=last_gap)
            if solution is not None and log.isEnabledFor(logging.DEBUG):
                covered = np.unique(arcs.rows[takes_last(arcs, solution.assigned)])
                log.debug(
                    "round %d: working set %d arcs; last pairs kept for %d of %d matched",
                    rounds, len(arcs.rows), len(covered), int((solution.assigned >= 0).sum()),
                )  # fmt: skip
        elif rounds == 1 and auctioned is not None:
            assert arcs is not None
            arcs = _auction_working_set(arcs, memory, auctioned)
            narrow_first = True
        elif (
            rounds == first_round
            and max_rounds > 1
            and objective in ("total", "coverage")
            and (first_prices is not None or int(active.sum()) <= WHOLE_FIRST_ABOVE)
        ):
            assert arcs is not None
            if first_prices is not None:
                arcs = _first_working_set(
                    arcs, shortlist_width(model.capacity), memory.prices, memory.row_best
                )
            else:
                arcs = _first_working_set(arcs, shortlist_width(model.capacity))
            narrow_first = True
        meanwhile = None
        if while_solving is not None and solution is not None:
            meanwhile = while_solving(solution.assigned)
        elif while_solving is not None and auctioned is not None:
            meanwhile = while_solving(auctioned.assigned)  # most of its pairs stay
        if arcs is not None and kept is not None and len(kept) == model.n_demands:
            arcs.previous = takes_last(arcs, kept)
        # round 1 on the first working set is followed by another round unless its bound
        # closes: a class split that fails there is refined for the next round, not solved again
        first = rounds == first_round and narrow_first
        if (
            repaired is None
            and solution is not None
            and not resolving
            and not moved
            and memory.prices is not None
            and last_scores_gap is not None
            and last_scores_gap <= REPAIR_MAX_GAP
            and arcs is not None
            # with hubs that pay a fresh solve is quicker (100,000 x 30,000 `profiles` round 3:
            # 14.5 M arcs as 1.2 M solved in 3.3 s; the repair took 4.3 s and 0.4 GB more);
            # where they hardly do, the repair while the gap is tiny (HUB_REPAIR_MAX_GAP)
            and (arcs.hub is None or (last_scores_gap <= HUB_REPAIR_MAX_GAP and not hubs_pay(arcs)))
        ):
            repaired = repair_min_cost(
                arcs.without_hubs(), solution.assigned, memory.prices, max_excess=REPAIR_MAX_EXCESS
            )
            log.debug("round %d: last flow %s", rounds, "repaired" if repaired else "not repaired")
        if (
            repaired is None
            and rounds == 1
            and auctioned is not None
            and not resolving
            and arcs is not None
            and len(arcs.rows) >= AUCTION_REPAIR_MIN_ARCS
            and memory.prices is not None
        ):
            # the last auction left every focus area within a unit of its best at its prices:
            # its assignment repaired is round 1's flow at a fraction of a fresh solve
            repaired = _repair_beside(arcs, auctioned.assigned, memory.prices, meanwhile)
            log.debug("round 1: auction's assignment %s", "repaired" if repaired else "not")
        if repaired is not None:
            solution = repaired
            repaired_rounds += 1
        else:
            assert arcs is not None
            beside = meanwhile if fork else None
            simplex = by_simplex and len(arcs.rows) <= SIMPLEX_MAX_ARCS
            solution = solve_min_cost(
                arcs,
                meanwhile=beside,
                solve_refined=not first,
                class_flow=_simplex_beside(beside) if simplex and not hubs_pay(arcs) else None,
            )
        while fills < FILL_PASSES and objective in ("total", "coverage"):
            lowest = 1 if objective == "total" else 0
            fr, fc, fs = _fill_pairs(features, solution.assigned, active, capacity, lowest)
            listed = shortlist.scores_of(fr, fc) if len(fr) else EMPTY
            new = listed < 0
            fr, fc, fs = fr[new], fc[new], fs[new]
            if not len(fr):
                break
            fills += 1
            if arcs is None or whole is None:  # repaired on the rows: the arcs were not built
                arcs = whole = _arcs(
                    shortlist, model.demand_mentee, active, capacity, bonus, classes, removed,
                    hubs,
                )  # fmt: skip
            total_added += shortlist.merge(fr, fc, fs)
            arcs = _with_pairs(arcs, fr, fc, fs + bonus)
            if resolving:
                whole = _with_pairs(whole, fr, fc, fs + bonus)
            log.debug("round %d: fill step added %d pairs for free places", rounds, len(fr))
            solution = solve_min_cost(arcs)
        memory.assigned = solution.assigned
        objective_units = int(solution.values.sum())
        total_added += _list_solution_pairs(features, shortlist, solution.assigned, classes)
        if on_flow is not None:
            on_flow(solution.assigned)
        t1 = time.perf_counter()
        pricing = Pricing(bonus=bonus, threshold=threshold, active=active, capacity=capacity)
        on_part = (
            not tight  # optimal on the whole shortlist already, priced on all of it
            and arcs is not None
            and whole is not None
            and len(arcs.rows) < len(whole.rows)
        )
        # round 1 on a sample's first working set whose objective the bound at the sample's
        # prices already nearly reaches (see `PRICE_WHOLE_GAP`)
        sampled_close = (
            first_bound is not None
            and rounds == first_round
            and narrow_first
            and scores_gap(objective_units, first_bound, bonus, solution.assigned)
            <= PRICE_WHOLE_GAP
        )
        if on_part and not resolving and ((rounds == 1 and auctioned is not None) or sampled_close):
            # round 1 on the auction's working set: its own duals have not closed the bound on
            # any instance measured (the prices picked the arcs; the flow's duals on them are
            # its own), so the whole shortlist's duals first, and one certificate (100,000 x
            # 30,000: a pass of 2.9 s at the working set's duals saved). The same after a
            # sample's prices when its flow is that close, the pricing giving up sooner
            assert whole is not None
            if whole.hub is not None:
                # through its hub a focus area may take a member its row did not list (now
                # listed, `_list_solution_pairs`): the class network of the shortlist as it is
                # now holds the flow, and its duals price every pair (hubs only solve faster)
                whole = _arcs(
                    shortlist, model.demand_mentee, active, capacity, bonus, classes, removed
                )
            work = FIRST_PRICING_WORK if sampled_close else DUALS_WORK
            priced = duals_on(whole, solution.assigned, solution.prices, work)
            log.debug("round %d: working set's flow %s", rounds, "priced" if priced else "not")
            if priced is not None:
                solution = priced
            on_part = False
        # round 1 on a first working set not priced above: priced after its certificate when
        # its own duals leave a gap of at most PRICE_WHOLE_GAP
        first_unpriced = on_part and not resolving and rounds == first_round and narrow_first
        n_arcs = len(arcs.rows) if arcs is not None else len(shortlist.cols)
        if not (resolving and on_part):
            # nothing reads this round's arcs after the certificate, and while they hold the
            # shortlist's entries (`_arcs`) its merge cannot free them: at 100,000 x 30,000
            # `star` 0.2 GB more at round 2's merge
            arcs = whole = None
        bound_units, exact, added = certify(
            features, shortlist, solution, pricing, add_limit=k, memory=memory
        )
        after: Arcs | None = None  # where this round's flow is priced after its certificate
        if bound_units > objective_units and resolving and on_part:
            # the working set's own duals leave a gap; when its flow is optimal on the whole
            # shortlist, the whole shortlist's duals may close it without another solve
            after, work, said = whole, DUALS_WORK, "round %d: working set's flow %s"
        elif (
            first_unpriced
            and kind != "group"
            and bound_units > objective_units
            and scores_gap(objective_units, bound_units, bonus, solution.assigned)
            <= PRICE_WHOLE_GAP
        ):
            # the generator's 100,000 x 30,000 with only `preference` weighted: the sample's
            # bound 3.3 % off, round 1's own duals 3.1e-5 (0.6 of a score), and a second
            # round on 9.6 M arcs found the same objective after 28 s. Priced on the class
            # network of the shortlist as it is now (with the certificate's pairs: where one
            # of them improves, the flow is not optimal there and the rounds go on)
            after = _arcs(shortlist, model.demand_mentee, active, capacity, bonus, classes, removed)
            work, said = FIRST_PRICING_WORK, "round %d: its flow %s after its certificate"
        if after is not None:
            priced = duals_on(after, solution.assigned, solution.prices, work)
            after = whole = None
            log.debug(said, rounds, "priced" if priced else "not")
            if priced is not None:
                solution = priced
                total_exact += exact
                total_added += added
                bound_units, exact, added = certify(
                    features, shortlist, solution, pricing, add_limit=k, memory=memory
                )
        seconds["solve"] += t1 - t0
        seconds["certify"] += time.perf_counter() - t1
        total_exact += exact
        total_added += added
        log.debug(
            "round %d: objective %d bound %.0f exact rows %d added pairs %d; %d arcs",
            rounds,
            objective_units,
            bound_units,
            exact,
            added,
            n_arcs,
        )
        step("round", rounds, scores_gap(objective_units, bound_units, bonus, solution.assigned))
        if bound_units <= objective_units:
            break
        last_gap = bound_units - objective_units
        relative = relative_gap(objective_units, bound_units)
        if (
            rounds == limit
            and limit < max_rounds + CLOSING_ROUNDS
            and last_relative is not None
            and relative <= CLOSING_GAP
            and relative < last_relative
            and added > 0
        ):
            limit += 1
            log.debug("round %d: gap %.2e, closing it with one more round", rounds, relative)
        last_relative = relative
        last_scores_gap = scores_gap(objective_units, bound_units, bonus, solution.assigned)
        # (`fair` solves its whole shortlist in round 1: far off there too, it gets them)
        if may_sample and rounds == 1 and (narrow_first or fair is not None) and relative > FAR_GAP:
            may_sample = False
            t2 = time.perf_counter()
            seeded = _seed_prices(features, shortlist, pricing, classes, removed, k, memory)
            first_prices, first_bound = seeded if seeded is not None else (None, None)
            seconds["prices"] = seconds.get("prices", 0.0) + time.perf_counter() - t2
            if first_prices is not None:
                priced_by = "sample after round 1"
                first_round = 2
                limit += 1  # the round from the prices does not count against max_rounds
                narrow = False
                continue
        if added == 0:
            if not narrow and not (rounds == first_round and narrow_first):
                break
            narrow = False  # the working set missed a pair: solve the whole shortlist
        else:
            # duals close to optimal pick a good working set; far-off ones (a large gap) would
            # leave out too much: solve the whole shortlist then
            narrow = last_scores_gap <= WORKING_SET_MAX_GAP
    assert solution is not None
    scores = _scores_of(solution, bonus)
    certified = bound_units <= objective_units
    note = ""
    fallback = False
    if not certified:
        t0 = time.perf_counter()
        found = _exact_fallback(features, active, capacity, bonus, classes, removed, objective)
        if isinstance(found, str):
            note = (
                f"not proven optimal: after {rounds} rounds the bound is "
                f"{relative_gap(objective_units, bound_units):.2e} above the objective, and "
                f"the exact all-pairs solve was not tried: {found}"
            )
            log.warning(note)
        else:
            solution, threshold = found
            scores = _scores_of(solution, bonus)
            objective_units = int(solution.values.sum())
            bound_units = float(objective_units)
            certified = fallback = True
            memory.forget_bounds()  # the shortlist's duals are stale
            hit = solution.assigned >= 0
            rows = np.flatnonzero(hit)
            total_added += shortlist.merge(rows, solution.assigned[rows], scores[rows])
        seconds["solve"] += time.perf_counter() - t0
    assigned = solution.assigned
    outcome = RoundOutcome(
        assigned=assigned,
        pinned_scores=pinned_scores,
        objective_units=float(objective_units),
        bound_units=bound_units,
        bonus=bonus,
        threshold=threshold,
        rounds=rounds,
        exact_rows=total_exact,
        added_pairs=total_added,
        seconds=seconds,
        scores=scores,
        certified=certified,
        certificate_note=note,
        exact_fallback=fallback,
        repaired_rounds=repaired_rounds,
        first_prices=priced_by,
    )
    t0 = time.perf_counter()
    if kind == "group":
        full = _arcs(shortlist, model.demand_mentee, active, capacity, bonus)
        if objective == "fair":
            full = restrict(full, threshold + bonus)
        _group(features, shortlist, full, outcome, capacity)
    seconds["solve"] += time.perf_counter() - t0
    pin_units = sum(pinned_scores.values()) + bonus * len(pinned_scores)
    outcome.objective_units += pin_units
    outcome.bound_units += pin_units
    assert outcome.scores is not None
    for d, j in model.pinned:
        outcome.assigned[d] = j
        outcome.scores[d] = pinned_scores[d]
    return outcome


def _exact_fallback(
    features: Features,
    active: NDArray[np.bool_],
    capacity: I64,
    bonus: int,
    classes: I64 | None,
    removed: I64 | None,
    objective: str,
) -> tuple[FlowSolution, int] | str:
    """The objective solved exactly on every eligible pair (mentor classes as one column).

    Returns the solution and the fair threshold, or why it was too large to try.

    The arcs go to each class's representative only. When the flow cannot be split into the
    members (hard-rule exceptions), the solver splits the class (``classes`` changes in place)
    and the members taken out would have no arcs at all: the arcs are then built again for the
    new classes and the flow solved again, until the classes hold.
    """
    while True:
        before = None if classes is None else classes.copy()
        built = _fallback_arcs(features, active, capacity, bonus, classes, removed)
        if isinstance(built, str):
            return built
        arcs, arc_values = built
        threshold = 0
        if objective == "fair":
            base = arcs.subset(np.ones(len(arc_values), bool))
            base.values = arc_values
            threshold = bottleneck_threshold(base).threshold
            arcs = restrict(arcs, threshold + bonus)
        solution = solve_min_cost(arcs, want_duals=False)
        if classes is None or before is None or np.array_equal(classes, before):
            return solution, threshold
        log.debug("exact fallback: a mentor class was split, building its arcs again")


def _fallback_arcs(
    features: Features,
    active: NDArray[np.bool_],
    capacity: I64,
    bonus: int,
    classes: I64 | None,
    removed: I64 | None,
) -> tuple[Arcs, I64] | str:
    """Every eligible (focus area, mentor class) arc with its value plus `bonus`, and the
    values without it; or why there are too many to try."""
    model = features.model
    rows = np.flatnonzero(active).astype(np.int64)
    rep = classes if classes is not None else np.arange(model.n_mentors, dtype=np.int64)
    open_mentor = capacity > 0
    columns = np.flatnonzero(open_mentor & (rep == np.arange(model.n_mentors)))
    cells = len(rows) * len(columns)
    if cells > FALLBACK_MAX_CELLS:
        return (
            f"{len(rows)} focus areas x {len(columns)} mentor classes = {cells} pairs, more "
            f"than {FALLBACK_MAX_CELLS}"
        )
    view = ColumnView(features, columns)
    parts: list[tuple[I64, I64, I64]] = []
    n_arcs = 0
    for lo, hi in block_ranges(len(rows), len(columns)):
        block = rows[lo:hi]
        values = view.score(block)
        local, pos = np.nonzero(values >= 0)
        parts.append((block[local], columns[pos], values[local, pos].astype(np.int64)))
        n_arcs += len(local)
        if n_arcs > FALLBACK_MAX_ARCS:
            return f"more than {FALLBACK_MAX_ARCS} eligible (focus area, mentor class) pairs"
    parts += _excepted_arcs(features, rows, rep, columns, removed)
    arc_rows = np.concatenate([p[0] for p in parts]) if parts else EMPTY
    arc_cols = np.concatenate([p[1] for p in parts]) if parts else EMPTY
    arc_values = np.concatenate([p[2] for p in parts]) if parts else EMPTY
    arcs = Arcs(
        rows=arc_rows,
        cols=arc_cols,
        values=arc_values + bonus,
        demand_mentee=model.demand_mentee,
        capacity=capacity,
        n_demands=model.n_demands,
        mentor_class=classes,
        removed=removed if classes is not None else None,
    )
    return arcs, arc_values


def removed_keys(model: Model) -> I64:
    """Sorted keys demand * n_mentors + mentor of the pairs hard rules remove."""
    width = max(model.n_mentors, 1)
    return arrays.unique(model.pair_rows * width + model.pair_cols)


def _excepted_arcs(
    features: Features, rows: I64, rep: I64, columns: I64, removed: I64 | None
) -> list[tuple[I64, I64, I64]]:
    """Arcs the class columns miss: a demand the representative may not take but another
    member may (scored on that member: members score alike)."""
    if removed is None or not len(removed) or not len(columns):
        return []
    n_m = len(rep)
    d = removed // n_m
    j = removed % n_m
    is_column = np.zeros(n_m, bool)
    is_column[columns] = True
    active = np.zeros(features.model.n_demands, bool)
    active[rows] = True
    hit = is_column[j] & (rep[j] == j) & active[d]
    size = np.bincount(rep, minlength=n_m)
    hit &= size[j] > 1
    if not hit.any():
        return []
    removed_set = set(removed.tolist())
    members: dict[int, list[int]] = {}
    for m in np.flatnonzero(size[rep] > 1).tolist():
        members.setdefault(int(rep[m]), []).append(m)
    chosen: dict[int, list[int]] = {}  # member -> demands scored on it
    for dd, r in zip(d[hit].tolist(), j[hit].tolist(), strict=True):
        for m in members[r]:
            if dd * n_m + m not in removed_set:
                chosen.setdefault(m, []).append(dd)
                break
    parts = []
    for m, demands in chosen.items():
        block = np.array(demands, np.int64)
        values = ColumnView(features, np.array([m], np.int64)).score(block)[:, 0]
        ok = values >= 0
        parts.append((block[ok], np.full(int(ok.sum()), m, np.int64), values[ok].astype(np.int64)))
    return parts


def _stable(
    features: Features,
    shortlist: Shortlist,
    pinned_scores: dict[int, int],
    active: NDArray[np.bool_],
    capacity: I64,
    classes: I64 | None,
    removed: I64,
    while_solving: Callable[[I64], Meanwhile | None] | None = None,
) -> RoundOutcome:
    """The `stable` objective: deferred acceptance over every eligible pair (`solvers.stable`)
    and, for `stats.bound`, an upper bound on the best total score (`_total_bound`). With
    `while_solving` (the CLI) the bound's flow is solved in a forked child while this process
    runs deferred acceptance and then `while_solving(its assignment)`."""
    model = features.model
    t0 = time.perf_counter()
    if classes is not None:
        # as before `total`'s first solve: each demand's best classes of alike mentors beyond
        # its row (real pairs, exact scores), without which the bound's flow and prices see
        # nothing but the top ties (20,000 x 6,000 `profiles`: bound 27 % above the best
        # total without them, 5 % with them)
        _seed_classes(features, shortlist, classes, active, capacity)
    data = _stable_input(features, shortlist, active, capacity)

    def view(cols: I64 | None) -> Callable[[I64], NDArray[np.int32]]:
        if cols is None:
            return lambda rows: scored_rows(features, rows)
        return ColumnView(features, cols).score

    outcomes: list[StableOutcome] = []

    def deferred_acceptance() -> StableOutcome:
        if not outcomes:
            outcomes.append(solve_stable(data, view, block_ranges))
        return outcomes[0]

    def meanwhile(busy: Callable[[], bool]) -> None:
        assigned = deferred_acceptance().assigned
        more = while_solving(assigned) if while_solving is not None else None
        if more is not None:
            more(busy)

    if while_solving is None:
        deferred_acceptance()
    arcs = _bound_arcs(shortlist, model, active, capacity, classes, removed)
    solution = solve_min_cost(
        arcs, meanwhile=meanwhile if while_solving is not None else None, solve_refined=False
    )
    found = deferred_acceptance()
    log.debug(
        "stable: %d rows went beyond their lists, %d unknown pairs scored",
        found.extended_rows,
        found.scored_cells,
    )
    t1 = time.perf_counter()
    objective_units = int(found.scores[found.scores >= 0].sum())
    bound_units, exact_rows = _total_bound(features, shortlist, solution, active, capacity)
    seconds = {"solve": t1 - t0, "certify": time.perf_counter() - t1}
    pin_units = sum(pinned_scores.values())
    outcome = RoundOutcome(
        assigned=found.assigned,
        pinned_scores=pinned_scores,
        objective_units=float(objective_units + pin_units),
        bound_units=max(bound_units, float(objective_units)) + pin_units,
        bonus=0,
        threshold=0,
        rounds=1,
        exact_rows=exact_rows,
        added_pairs=0,
        seconds=seconds,
        blocking_pairs=found.blocking_pairs,
        scores=found.scores,
    )
    for d, j in model.pinned:
        outcome.assigned[d] = j
        found.scores[d] = pinned_scores[d]
    return outcome


def _stable_input(
    features: Features, shortlist: Shortlist, active: NDArray[np.bool_], capacity: I64
) -> StableInput:
    """The demands' lists and the mentors' tiers; known pairs: the shortlist, the reserve and
    the pairs of mentors that prefer a mentee (their rows scored here)."""
    model = features.model
    n_d = model.n_demands
    ranked_ptr = [0]
    ranked_cols: list[int] = []
    for mentee in model.mentees:
        cols = [model.mentor_index[ref] for ref in mentee.ranked_mentors]
        for _ in model.demands_of(mentee.id):
            ranked_cols.extend(cols)
            ranked_ptr.append(len(ranked_cols))
    tier_rows: list[int] = []
    tier_cols: list[int] = []
    tier_vals: list[int] = []
    for j, mentor in enumerate(model.mentors):
        for refs, tier in ((mentor.prefer_mentees, 0), (mentor.avoid_mentees, 2)):
            for ref in refs:
                if ref in model.mentee_index:
                    for d in model.demands_of(ref):
                        tier_rows.append(d)
                        tier_cols.append(j)
                        tier_vals.append(tier)
    t_rows = np.array(tier_rows, np.int64)
    t_cols = np.array(tier_cols, np.int64)
    t_vals = np.array(tier_vals, np.int64)
    # extra known pairs: the reserve (sorted by row) and the preferring mentors' pairs
    e_rows, e_cols, e_scores = (
        shortlist.reserve_rows,
        shortlist.reserve_cols,
        shortlist.reserve_scores,
    )
    preferred = t_vals == 0
    if preferred.any():
        p_rows, p_cols = t_rows[preferred], t_cols[preferred]
        scored = np.unique(p_rows)
        values = scored_rows(features, scored)
        p_scores = values[np.searchsorted(scored, p_rows), p_cols].astype(np.int64)
        ok = p_scores >= 0
        e_rows = np.concatenate([e_rows, p_rows[ok]])
        e_cols = np.concatenate([e_cols, p_cols[ok]])
        e_scores = np.concatenate([e_scores, p_scores[ok]])
        order = np.argsort(e_rows, kind="stable")
        e_rows, e_cols, e_scores = e_rows[order], e_cols[order], e_scores[order]
    order = np.argsort(t_rows, kind="stable")
    return StableInput(
        demand_mentee=model.demand_mentee,
        mentee_start=model.mentee_start,
        capacity=capacity,
        active=active,
        ranked_ptr=np.array(ranked_ptr, np.int64),
        ranked_cols=np.array(ranked_cols, np.int64),
        tier_ptr=np.searchsorted(t_rows[order], np.arange(n_d + 1)).astype(np.int64),
        tier_cols=t_cols[order],
        tier_vals=t_vals[order],
        excluded_best=shortlist.excluded_best.astype(np.int64),
        column_excluded=shortlist.column_excluded.astype(np.int64),
        known_ptr=shortlist.indptr.astype(np.int64),
        known_cols=shortlist.cols.astype(np.int64),
        known_scores=shortlist.scores.astype(np.int64),
        extra_ptr=np.searchsorted(e_rows, np.arange(n_d + 1)).astype(np.int64),
        extra_cols=e_cols.astype(np.int64),
        extra_scores=e_scores.astype(np.int64),
    )


def _bound_arcs(
    shortlist: Shortlist,
    model: Model,
    active: NDArray[np.bool_],
    capacity: I64,
    classes: I64 | None,
    removed: I64,
) -> Arcs:
    """The first working set of `total` (`_first_working_set`), whose flow's duals price the
    stable objective's bound."""
    arcs = _arcs(shortlist, model.demand_mentee, active, capacity, 0, classes, removed)
    return _first_working_set(arcs, shortlist_width(model.capacity))


def _total_bound(
    features: Features,
    shortlist: Shortlist,
    solution: FlowSolution,
    active: NDArray[np.bool_],
    capacity: I64,
) -> tuple[float, int]:
    """An upper bound on the best total score over every eligible pair (score units), and the
    rows the certificate scored exactly: the LP-duality bound (`certificate.certify`) at the
    duals of one min-cost flow on the first working set (`_bound_arcs`), the bound round 1 of
    `total` gives. Any nonnegative prices give a valid bound; these are near the optimal
    ones. Adds nothing to the shortlist."""
    pricing = Pricing(bonus=0, threshold=0, active=active, capacity=capacity)
    bound, exact, _ = certify(features, shortlist, solution, pricing, 0, CertifyMemory())
    return bound, exact


def _group(
    features: Features,
    features_shortlist: Shortlist,
    arcs: Arcs,
    outcome: RoundOutcome,
    capacity: I64,
) -> None:
    model = features.model
    labels_index: dict[str, int] = {}
    labels = np.array(
        [labels_index.setdefault(a.group, len(labels_index)) for a in model.demand_areas], np.int64
    )
    fixed = np.full(model.n_mentors, -1, np.int64)
    for d, j in model.pinned:
        if fixed[j] < 0:
            fixed[j] = labels[d]
    assigned, mentor_label = solve_groups(arcs, labels, fixed)
    outcome.assigned = assigned
    outcome.objective_units = float(_value_of(arcs, assigned))
    outcome.scores = _listed_scores(features_shortlist, assigned)
    outcome.group_labels = (labels, mentor_label)
    if outcome.objective_units < outcome.bound_units:
        # the bound is proven for the problem without the label rule; the rule is met by a
        # repair heuristic, so a result below that bound is not proven optimal
        outcome.certified = False
        outcome.certificate_note = (
            "not proven optimal: group programs meet the one-label-per-mentor rule with a "
            "repair heuristic; the bound is the best total without that rule, "
            f"{relative_gap(outcome.objective_units, outcome.bound_units):.2e} above the result"
        )


def _listed_scores(shortlist: Shortlist, assigned: I64) -> I64:
    rows = np.flatnonzero(assigned >= 0).astype(np.int64)
    out = np.full(len(assigned), -1, np.int64)
    out[rows] = shortlist.scores_of(rows, assigned[rows])
    return out


def _score_of(shortlist: Shortlist, assigned: I64) -> int:
    rows = shortlist.rows
    hit = assigned[rows] == shortlist.cols
    return int(shortlist.scores[hit].sum())


def gap_of(outcome: RoundOutcome) -> float:
    """Relative gap of an outcome's objective to its bound."""
    return relative_gap(outcome.objective_units, outcome.bound_units)
