"""Exact min-cost flow on the shortlist (OR-Tools SimpleMinCostFlow) and its LP duals.

Network: demand d -> mentor j (cost -value) -> sink (capacity = the mentor's free capacity);
demand d -> sink (cost 0) leaves d unmatched. A mentee never gets the same mentor twice: when
mentor j is on the shortlists of two or more of mentee i's focus areas, those arcs go through an
intermediate node (i, j) whose single arc to j has capacity 1.

Duals (mentor prices p_j >= 0, pair prices q_ij >= 0) are node potentials: shortest-path
distances in the residual graph of the optimal flow (Bellman-Ford from a virtual root).
"""

from __future__ import annotations

import ctypes
import logging
import mmap
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow, min_cost_flow

from mentorbridge.matching_engine import arrays, kernels
from mentorbridge.matching_engine.classes import refine, split_class_flow

I64 = NDArray[np.int64]
log = logging.getLogger(__name__)
ERR_SOLVER = "min-cost flow solver failed with status {status}"
UNREACHABLE = 2**50  # distance of a node with no residual path to the sink
CHILD_FAILED = 3
PR_SET_PDEATHSIG = 1  # Linux prctl: a signal the kernel sends this process when its parent dies
# work to do while a solve runs in a child process: called with busy(), true until it is done
Meanwhile = Callable[[Callable[[], bool]], None]
# another solver of a class network's flow (see `solve_min_cost`); None where it cannot serve
ClassFlow = Callable[["Arcs"], "FlowSolution | None"]
ERR_NEGATIVE_CYCLE = "residual graph has a negative cycle: the flow is not optimal"
EMPTY = np.zeros(0, np.int64)


@dataclass
class Arcs:
    """Candidate (demand, mentor, value) arcs of one solve, plus mentor capacities."""

    rows: I64
    cols: I64
    values: I64
    demand_mentee: I64
    capacity: I64
    n_demands: int
    # per mentor, its class representative (see `classes`); None: every mentor alone
    mentor_class: I64 | None = None
    # per mentor, how many of its focus areas one mentee may take (None: 1 each)
    mid_capacity: I64 | None = None
    # sorted keys demand * n_mentors + mentor of the pairs hard rules remove: classes ignore
    # them, so splitting a class's flow into members must (None: no pair removed)
    removed: I64 | None = None
    # per arc, whether the last solve chose it: among optimal solutions the flow keeps the most
    # of these (None: no preference)
    previous: NDArray[np.bool_] | None = None
    # per mentor, its hub (see `classes.mentor_hubs`), and the sorted keys demand * n_mentors
    # + mentor of the pairs explicit preferences score apart from their hub (None: no hubs)
    hub: I64 | None = None
    exceptions: I64 | None = None
    # arcs of cost 0 and unbounded capacity from one mentor node to another (a hub to its
    # classes; None: none)
    transfers: tuple[I64, I64] | None = None

    def subset(self, keep: NDArray[np.bool_]) -> Arcs:
        """Only the arcs where `keep` is true (same demands and capacities)."""
        return Arcs(
            rows=self.rows[keep],
            cols=self.cols[keep],
            values=self.values[keep],
            demand_mentee=self.demand_mentee,
            capacity=self.capacity,
            n_demands=self.n_demands,
            mentor_class=self.mentor_class,
            mid_capacity=self.mid_capacity,
            removed=self.removed,
            previous=self.previous[keep] if self.previous is not None else None,
            hub=self.hub,
            exceptions=self.exceptions,
            transfers=self.transfers,
        )

    def without_hubs(self) -> Arcs:
        """The same arcs solved on the class network (see `classes.mentor_hubs`)."""
        if self.hub is None:
            return self
        return replace(self, hub=None, exceptions=None, transfers=None)

    def by_class(self) -> Arcs:
        """The same problem with each mentor class as one mentor (its representative): summed
        capacity, one arc per (demand, class), a mentee may take up to `size` members."""
        rep = self.mentor_class
        if rep is None:
            return self
        n_m = len(self.capacity)
        size = np.bincount(rep, minlength=n_m).astype(np.int64)
        if size.max(initial=0) <= 1:  # every mentor alone: the network is the arcs' own
            return Arcs(
                rows=self.rows,
                cols=self.cols,
                values=self.values,
                demand_mentee=self.demand_mentee,
                capacity=np.maximum(self.capacity, 0),
                n_demands=self.n_demands,
                mid_capacity=size,
                previous=self.previous,
            )
        cols = rep[self.cols]
        # only arcs into classes of two or more members can repeat a (demand, class) key
        shared = np.flatnonzero(size[cols] > 1)
        key = self.rows[shared] * max(n_m, 1) + cols[shared]
        order = np.lexsort((-self.values[shared], key))
        key = key[order]
        first = np.ones(len(key), bool)
        first[1:] = key[1:] != key[:-1]
        keep = np.ones(len(cols), bool)
        keep[shared] = False
        keep[shared[order[first]]] = True
        capacity = np.bincount(rep, weights=np.maximum(self.capacity, 0), minlength=n_m)
        previous = None
        if self.previous is not None:
            width = max(n_m, 1)
            chosen = arrays.unique(self.rows[self.previous] * width + cols[self.previous])
            previous = arrays.isin(self.rows[keep] * width + cols[keep], chosen)
        return Arcs(
            rows=self.rows[keep],
            cols=cols[keep],
            values=self.values[keep],
            demand_mentee=self.demand_mentee,
            capacity=capacity.astype(np.int64),
            n_demands=self.n_demands,
            mid_capacity=size,
            previous=previous,
        )

    def network(self) -> Network:
        """Build node and arc arrays, with intermediate nodes where a mentee repeats a mentor."""
        n_d, n_m = self.n_demands, len(self.capacity)
        sink = n_d + n_m
        width = max(n_m, 1)
        limit = np.ones(n_m, np.int64) if self.mid_capacity is None else self.mid_capacity
        # the (mentee, mentor) keys with more arcs than the mentee may take of the mentor, in
        # key order; each gets an intermediate node
        if _in_mentee_runs(self.rows, self.demand_mentee):
            mid_keys, heads = kernels.mentee_repeats(
                self.rows, self.cols, self.demand_mentee, limit.astype(np.int64), n_d, width
            )
            active = arrays.unique_sorted(self.rows)
        else:
            key = self.demand_mentee[self.rows] * width + self.cols
            mid_keys = _keys_over_limit(key, limit, width)
            heads = n_d + self.cols
            if len(mid_keys):
                at = np.searchsorted(mid_keys, key).clip(0, len(mid_keys) - 1)
                shared = mid_keys[at] == key
                heads = np.where(shared, sink + 1 + at, heads)
            active = arrays.unique(self.rows)
        mid_cols = (mid_keys % width).astype(np.int64)
        transfer_tail, transfer_head = self.transfers or (EMPTY, EMPTY)
        return Network(
            n_nodes=sink + 1 + len(mid_keys),
            sink=sink,
            pair_tail=self.rows,
            pair_head=heads.astype(np.int64),
            pair_cost=-self.values,
            mid_node=sink + 1 + np.arange(len(mid_keys), dtype=np.int64),
            mid_mentor=n_d + mid_cols,
            mid_key=mid_keys.astype(np.int64),
            mid_capacity=limit[mid_cols],
            active=active,
            capacity=self.capacity,
            n_demands=n_d,
            transfer_tail=n_d + transfer_tail,
            transfer_head=n_d + transfer_head,
        )


def _in_mentee_runs(rows: I64, demand_mentee: I64) -> bool:
    """Whether the arcs come row by row and each mentee's rows in one run (the shortlist's
    order and its subsets; arcs appended by a merge do not)."""
    if len(rows) < 2:
        return True
    if not bool((rows[1:] >= rows[:-1]).all()):
        return False
    mentee = demand_mentee[rows]
    return bool((mentee[1:] >= mentee[:-1]).all())


def _keys_over_limit(key: I64, limit: I64, width: int) -> I64:
    """The distinct keys (mentee * width + mentor) that occur more often than limit[mentor],
    sorted. A plain sort finds the repeated keys; `np.unique` with inverse and counts (an
    argsort) took 0.35-0.57 CPU s per 2.5 M arcs against 0.04."""
    if len(key) == 0:
        return key.astype(np.int64)
    if int(limit[key % width].min()) < 1:  # a key seen once can be over: count them all
        uniq, counts = np.unique(key, return_counts=True)
        return uniq[counts > limit[uniq % width]].astype(np.int64)
    ordered = np.sort(key)
    repeated = arrays.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    counts = np.searchsorted(ordered, repeated, "right") - np.searchsorted(ordered, repeated)
    return repeated[counts > limit[repeated % width]].astype(np.int64)


@dataclass
class Network:
    """Arc arrays of the flow network."""

    n_nodes: int
    sink: int
    pair_tail: I64
    pair_head: I64
    pair_cost: I64
    mid_node: I64
    mid_mentor: I64
    mid_key: I64  # mentee * n_mentors + mentor of each intermediate node
    mid_capacity: I64  # capacity of each intermediate node's arc to its mentor
    active: I64
    capacity: I64
    n_demands: int
    transfer_tail: I64 = field(default_factory=lambda: EMPTY)
    transfer_head: I64 = field(default_factory=lambda: EMPTY)


@dataclass
class FlowSolution:
    """Assignment (mentor per demand or -1) and the LP duals of the solve."""

    assigned: I64
    prices: NDArray[np.float64]  # p_j per mentor
    mid_mentee_key: I64  # mentee * n_mentors + mentor (class) for each intermediate node
    mid_prices: NDArray[np.float64]  # q_ij per intermediate node
    values: I64  # value of each demand's assigned arc (0 when unmatched)
    mid_capacity: I64 | None = None  # per intermediate node (None: 1 each)
    mentor_class: I64 | None = None  # the arcs' mentor classes (mid keys use classes)

    def pair_price_total(self) -> float:
        """Sum of q_ij times the capacity of its intermediate node (the dual objective's part)."""
        if self.mid_capacity is None:
            return float(self.mid_prices.sum())
        return float((self.mid_prices * self.mid_capacity).sum())


def solve_min_cost(
    arcs: Arcs,
    want_duals: bool = True,
    meanwhile: Meanwhile | None = None,
    solve_refined: bool = True,
    class_flow: ClassFlow | None = None,
) -> FlowSolution:
    """Maximum total value assignment on the arcs (exact), with duals if asked.

    With `meanwhile`, the solver runs in a forked child process and this process calls
    `meanwhile(busy)` until the solve is done (see `_flows_in_child`); the result is the same.

    With mentor classes the network has one node per class; the class flow is split into
    members afterwards and the prices are each member's class price. A class whose flow cannot
    be split (hard-rule exceptions) is refined in place and the flow solved again; with
    `solve_refined` false it is refined but not solved again: the class's focus areas take
    the members of its max flow split, as many as it places, and the rest are left unmatched
    (a feasible assignment, a little below the optimum) and the prices and `mentor_class` are
    those of the classes solved (a relaxation's duals: they still bound every pair). For a
    round that is followed by another anyway (the next solve uses the refined classes).

    With `class_flow`, each flow of the class network comes from it first (`simplex.
    class_flow_by_simplex`; None where it cannot serve, and OR-Tools solves); hubs are not
    used then.
    """
    if arcs.mentor_class is None:
        return _class_network_flow(arcs, want_duals, meanwhile, class_flow)
    if arcs.hub is not None and class_flow is None:
        by_hub = _solve_by_hub(arcs, want_duals, meanwhile, partial=not solve_refined)
        if by_hub is not None:
            return by_hub
    rep = arcs.mentor_class
    while True:
        solved = rep.copy() if not solve_refined else rep
        solution = _class_network_flow(arcs.by_class(), want_duals, meanwhile, class_flow)
        rows = np.flatnonzero(solution.assigned >= 0)
        members, failed = split_class_flow(
            rows,
            solution.assigned[rows],
            arcs.demand_mentee,
            rep,
            arcs.capacity,
            arcs.removed,
            partial=not solve_refined,
        )
        if not failed:
            break
        refine(rep, failed, arcs.removed, rows)
        if not solve_refined:
            left = members < 0  # the demands the failed classes' splits could not place
            solution.values[rows[left]] = 0
            solution.assigned[rows] = members
            solution.prices = solution.prices[solved]
            solution.mentor_class = solved
            return solution
    solution.assigned[rows] = members
    solution.prices = solution.prices[rep]
    solution.mentor_class = rep
    return solution


def _class_network_flow(
    class_arcs: Arcs, want_duals: bool, meanwhile: Meanwhile | None, class_flow: ClassFlow | None
) -> FlowSolution:
    """The optimal flow of a class network (arcs without classes): `class_flow`'s where it
    gives one, else OR-Tools'."""
    if class_flow is not None:
        found = class_flow(class_arcs)
        if found is not None:
            return found
    return _solve_min_cost(class_arcs, want_duals, meanwhile)


def _solve_by_hub(
    arcs: Arcs, want_duals: bool, meanwhile: Meanwhile | None, partial: bool
) -> FlowSolution | None:
    """`solve_min_cost` with the classes of each hub behind one hub node, or None when that
    does not give the flow (the caller then solves with classes alone).

    A demand's arcs into the classes of a hub (mentors alike but for explicit preferences,
    see `classes.mentor_hubs`) all have one value unless a preference scores the pair apart
    (`Arcs.exceptions`). They become one arc into the hub node, which reaches each of its
    classes through an arc of cost 0 (a mentee may send up to the hub's size into it). A
    mentee with a pair in the hub that a preference scores apart or a hard rule removes keeps
    all its arcs into the hub's classes as they are. The hub network holds every flow of the
    class network on these arcs, so its optimum is at least theirs; its flow is then split
    into members: the demands sent straight to a class as `solve_min_cost` splits them, then
    each hub's demands over its members' places left, one member per mentee. When every
    demand gets a member the assignment has the hub network's value, so it is optimal on the
    class network too, and the hub network's duals are its duals: each member at its class
    node's price, and a hub's pair price on every class of the hub (the same dual objective:
    the hub's size is the sum of its classes' sizes). A hub whose split fails (unequal
    places: two mentees each sending two units into a hub of a mentor with three places and
    one with one) is taken apart and the hub network solved again; with `partial` its
    demands that no member can take are left unmatched instead, as `solve_min_cost` does.

    100,000 x 30,000 `profiles`: a row lists up to 40 mentors who are copies of one profile,
    alone in their class only because another mentee ranks them.
    """
    rep, hub = arcs.mentor_class, arcs.hub
    assert rep is not None and hub is not None
    n_m = len(arcs.capacity)
    width = max(n_m, 1)
    merging_arcs = ~kernels.pair_keys_in(
        arcs.rows, arcs.cols, arcs.demand_mentee, hub, width, _kept_apart(arcs, hub)
    )
    apart = np.zeros(n_m, bool)  # hubs taken apart
    while True:
        class_places = np.bincount(rep, weights=np.maximum(arcs.capacity, 0), minlength=n_m)
        live = np.flatnonzero((rep == np.arange(n_m)) & (class_places > 0))
        merging = (np.bincount(hub[live], minlength=n_m) >= 2) & ~apart
        built = _hub_network(arcs, merging, merging_arcs, live, class_places.astype(np.int64))
        if built is None:
            return None
        flow_arcs, hub_ids = built
        solution = _hub_duals(
            arcs, _solve_min_cost(flow_arcs, want_duals, meanwhile), hub_ids, live, want_duals
        )
        del flow_arcs
        log.debug("hubs: solved")
        members, failed_classes, failed_hubs = _split_hubs(
            arcs, solution.assigned, hub, hub_ids, partial
        )
        if failed_classes and not partial:
            log.debug("hubs: %d classes cannot take their flow, refined", len(failed_classes))
            refine(rep, failed_classes, arcs.removed, np.flatnonzero(solution.assigned >= 0))
            continue
        if failed_hubs and not partial:
            log.debug("hubs: %d cannot take their flow, taken apart", len(failed_hubs))
            apart[failed_hubs] = True
            continue
        unplaced = (solution.assigned >= 0) & (members < 0)
        solution.values[unplaced] = 0
        solution.mentor_class = rep
        if failed_classes:  # `partial`: refined for the next solve, priced as solved
            solution.mentor_class = rep.copy()
            refine(rep, failed_classes, arcs.removed, np.flatnonzero(solution.assigned >= 0))
        solution.assigned = members
        return solution


def _kept_apart(arcs: Arcs, hub: I64) -> I64:
    """Sorted keys mentee * n_mentors + hub of the mentees with a pair in the hub that a
    preference scores apart or a hard rule removes."""
    width = max(len(arcs.capacity), 1)
    parts = [k for k in (arcs.removed, arcs.exceptions) if k is not None and len(k)]
    if not parts:
        return np.zeros(0, np.int64)
    keys = np.concatenate(parts)
    rows, cols = np.divmod(keys, width)
    return arrays.unique(arcs.demand_mentee[rows] * width + hub[cols])


def _hub_network(
    arcs: Arcs,
    merging: NDArray[np.bool_],
    merging_arcs: NDArray[np.bool_],
    live: I64,
    class_places: I64,
) -> tuple[Arcs, I64] | None:
    """The arcs of the hub network (see `_solve_by_hub`; None: no arc goes through a hub, or
    a hub's arcs of one demand differ in value) and the hubs in node order (hub node
    n_mentors + k is the k-th). Its temporaries go before the solve (a forked solve's peak
    counts the parent's pages)."""
    rep, hub = arcs.mentor_class, arcs.hub
    assert rep is not None and hub is not None
    n_m = len(arcs.capacity)
    size = np.bincount(rep, minlength=n_m).astype(np.int64)
    hub_ids = np.flatnonzero(merging)
    n_h = len(hub_ids)
    hub_node = np.full(n_m, -1, np.int64)
    hub_node[hub_ids] = n_m + np.arange(n_h, dtype=np.int64)
    # per mentor, the group of its arcs that become one arc per demand: its hub's (0..n_h-1)
    # where it is in one, else its class's (n_h + class) where that has members, else none;
    # looked up once per arc, int32 (100,000 x 30,000: 14.5 M arcs, 58 MB)
    plain = np.where(size[rep] > 1, n_h + rep, -1).astype(np.int32)
    through = merging[hub]
    by_hub = np.where(through, hub_node[hub] - n_m, plain).astype(np.int32)
    group = by_hub[arcs.cols]
    apart = np.flatnonzero(~merging_arcs)
    group[apart] = plain[arcs.cols[apart]]
    via = group < n_h
    via &= group >= 0
    if not via.any():
        return None
    del apart
    previous = arcs.previous if arcs.previous is not None else np.zeros(len(group), bool)
    rows, values = arcs.rows, arcs.values
    order = None
    if len(rows) > 1 and not bool((rows[1:] >= rows[:-1]).all()):
        order = np.argsort(rows, kind="stable")  # arcs appended by a merge
        rows, group, values, previous = rows[order], group[order], values[order], previous[order]
    keep, chosen, equal = kernels.first_in_row_groups(rows, group, values, previous, n_h + n_m)
    del group, rows, values
    if not equal:
        log.debug("hubs not used: a hub's arcs of one demand differ in value")
        return None
    kept = np.flatnonzero(keep) if order is None else order[keep]
    cls = rep[arcs.cols[kept]]
    cols = np.where(via[kept], hub_node[hub[cls]], cls)
    in_hub = merging[hub[live]]
    hub_size = np.bincount(hub[live], weights=size[live], minlength=n_m).astype(np.int64)
    flow_arcs = Arcs(
        rows=arcs.rows[kept],
        cols=cols,
        values=arcs.values[kept],
        demand_mentee=arcs.demand_mentee,
        capacity=np.concatenate([class_places, np.zeros(n_h, np.int64)]),
        n_demands=arcs.n_demands,
        mid_capacity=np.concatenate([size, hub_size[hub_ids]]),
        previous=chosen[keep] if arcs.previous is not None else None,
        transfers=(hub_node[hub[live[in_hub]]], live[in_hub]),
    )
    log.debug("hubs: %d arcs as %d (%d hubs)", len(arcs.rows), len(kept), n_h)
    return flow_arcs, hub_ids


def _hub_duals(
    arcs: Arcs, solution: FlowSolution, hub_ids: I64, live: I64, want_duals: bool
) -> FlowSolution:
    """The hub network's flow with its duals on the class network (see `_solve_by_hub`):
    each member at its class node's price, a hub's pair price on each of its classes."""
    rep, hub = arcs.mentor_class, arcs.hub
    assert rep is not None and hub is not None
    n_m = len(arcs.capacity)
    width = max(n_m, 1)
    ext = n_m + len(hub_ids)
    if not want_duals:
        solution.prices = np.zeros(n_m)
        solution.mid_mentee_key = EMPTY
        return solution
    size = np.bincount(rep, minlength=n_m).astype(np.int64)
    mentee, col = np.divmod(solution.mid_mentee_key, ext)
    plain = col < n_m
    priced_hub = ~plain & (solution.mid_prices > 0)
    # a hub's pair price on each of its classes, with the class's size as capacity
    by_hub = np.argsort(hub[live], kind="stable")
    hub_sorted = hub[live][by_hub]
    target = hub_ids[col[priced_hub] - n_m]
    lo = np.searchsorted(hub_sorted, target)
    count = np.searchsorted(hub_sorted, target, "right") - lo
    which = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
    classes_of = live[by_hub][which]
    mid_capacity = solution.mid_capacity
    assert mid_capacity is not None
    spread = np.repeat(mentee[priced_hub], count) * width + classes_of
    keys = np.concatenate([mentee[plain] * width + col[plain], spread])
    prices = np.concatenate(
        [solution.mid_prices[plain], np.repeat(solution.mid_prices[priced_hub], count)]
    )
    capacity = np.concatenate([mid_capacity[plain], size[classes_of]])
    order = np.lexsort((-prices, keys))
    keys, prices, capacity = keys[order], prices[order], capacity[order]
    head = np.ones(len(keys), bool)
    head[1:] = keys[1:] != keys[:-1]  # a key twice: the higher price (still a valid dual)
    solution.mid_mentee_key = keys[head]
    solution.mid_prices = prices[head]
    solution.mid_capacity = capacity[head]
    solution.prices = solution.prices[:n_m][rep]
    return solution


def _split_hubs(
    arcs: Arcs, target: I64, hub: I64, hub_ids: I64, partial: bool
) -> tuple[I64, list[int], list[int]]:
    """Members for a hub network's flow (`target`: per demand a class, n_mentors + k for the
    k-th hub of `hub_ids`, or -1), and the classes and the hubs whose split failed (their
    demands that no member can take get -1; without `partial` the caller solves again)."""
    rep = arcs.mentor_class
    assert rep is not None
    n_m = len(arcs.capacity)
    members = np.full(len(target), -1, np.int64)
    rows = np.flatnonzero(target >= 0)
    direct = rows[target[rows] < n_m]
    placed, failed_classes = split_class_flow(
        direct, target[direct], arcs.demand_mentee, rep, arcs.capacity, arcs.removed, partial
    )
    members[direct] = placed
    through = rows[target[rows] >= n_m]
    if not len(through):
        return members, failed_classes, []
    left = arcs.capacity - np.bincount(placed[placed >= 0], minlength=n_m)
    merging = np.zeros(n_m, bool)
    merging[hub_ids] = True
    # a mentor takes part in its hub's split while it has places left
    member_hub = np.where(merging[hub] & (left > 0), hub, np.arange(n_m))
    member_hub[hub_ids] = hub_ids  # a hub's lowest mentor names it (if full, it is passed)
    parts = [k for k in (arcs.removed, arcs.exceptions) if k is not None and len(k)]
    removed = arrays.unique(np.concatenate(parts)) if parts else None
    split, failed_hubs = split_class_flow(
        through, hub_ids[target[through] - n_m], arcs.demand_mentee, member_hub, left,
        removed, partial, equal_places=False,
    )  # fmt: skip
    # a hub left with one member with places is not split (a class of one): check it
    bad = _overfull(arcs.demand_mentee[through], split, left)
    if bad.any():
        failed_hubs = sorted(set(failed_hubs) | set(hub[split[bad]].tolist()))
        split[bad] = -1  # with `partial`: those demands stay unmatched
    members[through] = split
    return members, failed_classes, failed_hubs


def _overfull(mentee: I64, member: I64, places: I64) -> NDArray[np.bool_]:
    """Per demand, whether it is a mentee's second demand to one member or past the
    member's places (demands in order; -1 members are never)."""
    out = np.zeros(len(member), bool)
    on = np.flatnonzero(member >= 0)
    if not len(on):
        return out
    width = max(len(places), 1)
    key = mentee[on] * width + member[on]
    order = np.argsort(key, kind="stable")
    again = np.zeros(len(on), bool)
    again[order[1:]] = key[order][1:] == key[order][:-1]
    out[on[again]] = True
    on = on[~again]
    order = np.argsort(member[on], kind="stable")
    rank = arrays.group_rank(member[on][order])
    past = np.zeros(len(on), bool)
    past[order] = rank >= places[member[on][order]]
    out[on[past]] = True
    return out


def _flows(tails: I64, heads: I64, caps: I64, costs: I64, supplies: I64) -> I64:
    """Flow on every arc of an optimal min-cost flow (OR-Tools)."""
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    solver.set_nodes_supplies(np.arange(len(supplies), dtype=np.int64), supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(ERR_SOLVER.format(status=status))
    return np.asarray(solver.flows(np.arange(len(tails), dtype=np.int64)), np.int64)


def _flows_in_child(
    tails: I64, heads: I64, caps: I64, costs: I64, supplies: I64, meanwhile: Meanwhile
) -> I64:
    """`_flows` solved in a forked child process while this one runs `meanwhile`.

    OR-Tools holds the GIL while it solves, so on a machine with a second core the only way
    to use it meanwhile is another process. The child shares the arrays (fork, copy on
    write), writes the flows into shared memory and leaves with os._exit (no cleanup of the
    parent's state runs in it). `meanwhile(busy)` works in small steps while busy() is true.
    """
    shared = mmap.mmap(-1, max(len(tails), 1) * 8)
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: solve, write, leave
        code = CHILD_FAILED
        try:
            _die_with(parent)
            found = _flows(tails, heads, caps, costs, supplies)
            np.frombuffer(shared, np.int64, len(tails))[:] = found
            code = 0
        finally:
            os._exit(code)
    status: int | None = None

    def busy() -> bool:
        nonlocal status
        if status is None:
            done, code = os.waitpid(pid, os.WNOHANG)
            if done:
                status = code
        return status is None

    try:
        meanwhile(busy)
        if status is None:
            status = os.waitpid(pid, 0)[1]
    except BaseException:  # an error or an interrupt: no child is left solving
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        shared.close()
        raise
    if os.waitstatus_to_exitcode(status) != 0:
        shared.close()
        # the solver's own message is lost with the child: solve here to raise it
        return _flows(tails, heads, caps, costs, supplies)
    flows = np.frombuffer(shared, np.int64, len(tails)).copy()
    shared.close()
    return flows


def _die_with(parent: int) -> None:
    """In a solving child: be killed when the parent dies (Linux), so a CLI killed or
    terminated mid-solve leaves no orphan solving on; leave at once if it died already."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl (not Linux): the child ends with its solve
        return
    if os.getppid() != parent:
        os._exit(CHILD_FAILED)


def _solve_min_cost(
    arcs: Arcs, want_duals: bool = True, meanwhile: Meanwhile | None = None
) -> FlowSolution:
    net = arcs.network()
    n_d, n_m = net.n_demands, len(net.capacity)
    n_tr = len(net.transfer_tail)
    mentor_nodes = n_d + np.arange(n_m, dtype=np.int64)
    tails = np.concatenate(
        [net.pair_tail, net.mid_node, net.active, mentor_nodes, net.transfer_tail], dtype=np.int64
    )
    heads = np.concatenate(
        [
            net.pair_head,
            net.mid_mentor,
            np.full(len(net.active), net.sink),
            np.full(n_m, net.sink),
            net.transfer_head,
        ],
        dtype=np.int64,
    )
    caps = np.concatenate(
        [
            np.ones(len(net.pair_tail), np.int64),
            net.mid_capacity,
            np.ones(len(net.active), np.int64),
            np.maximum(net.capacity, 0),
            np.full(n_tr, len(net.active) + 1, np.int64),  # never binding
        ]
    )
    costs = np.concatenate(
        [net.pair_cost, np.zeros(len(net.mid_node) + len(net.active) + n_m + n_tr, np.int64)]
    )
    n_pair = len(net.pair_tail)
    # copied into the arrays above: the network's own go (peak memory)
    net.pair_tail = net.pair_head = net.pair_cost = np.zeros(0, np.int64)
    supplies = np.zeros(net.n_nodes, np.int64)
    supplies[net.active] = 1
    supplies[net.sink] = -len(net.active)
    solve_costs = _keeping_previous(costs, arcs.previous, len(net.active), net.n_nodes)
    if meanwhile is not None and hasattr(os, "fork"):
        flows = _flows_in_child(tails, heads, caps, solve_costs, supplies, meanwhile)
    else:
        flows = _flows(tails, heads, caps, solve_costs, supplies)
    used = flows[:n_pair] > 0
    assigned = np.full(n_d, -1, np.int64)
    assigned[arcs.rows[used]] = arcs.cols[used]
    values = np.zeros(n_d, np.int64)
    values[arcs.rows[used]] = arcs.values[used]
    mid_mentee_key = net.mid_key
    if not want_duals:
        empty = np.zeros(0)
        return FlowSolution(assigned, np.zeros(n_m), mid_mentee_key, empty, values)
    # `_potentials` with each array freed once the next is made: at 100,000 x 30,000 `alike`
    # (12.5 M arcs in a hub network) 0.6 GB less at the run's peak
    forward = flows < caps
    forward[:n_pair] = True  # pair, unmatched and transfer arcs are never binding
    forward[n_pair + len(net.mid_node) : n_pair + len(net.mid_node) + len(net.active)] = True
    forward[len(tails) - n_tr :] = True
    backward = flows > 0
    del flows, caps, solve_costs
    residual = [tails, heads, costs, forward, backward]
    del tails, heads, costs, forward, backward  # the list holds the only references
    dist = _residual_potentials(residual, net.n_nodes, net.sink)
    prices = np.maximum(dist[net.sink] - dist[mentor_nodes], 0.0)
    mid_prices = np.maximum(dist[net.mid_mentor] - dist[net.mid_node], 0.0)
    return FlowSolution(
        assigned, prices, mid_mentee_key, mid_prices, values, mid_capacity=net.mid_capacity
    )


def _keeping_previous(
    costs: I64, previous: NDArray[np.bool_] | None, n_active: int, n_nodes: int
) -> I64:
    """Costs whose optimal flows are the optimal flows of `costs` that keep the most arcs
    the last solve chose (`previous`, one flag per pair arc, the first arcs of `costs`).

    Every cost is scaled by n_active + 1 and a kept arc costs one unit less: n_active + 1
    units are worth more than any number of kept arcs, so the order by the real costs comes
    first and ties go to the flow that changes least (a re-solve after a pin does not
    reshuffle alike pairs). The flow is optimal for `costs` too, so its duals are computed on
    them. When the scaled costs could overflow the solver, `costs` as they are.
    """
    if previous is None or not previous.any():
        return costs
    weight = n_active + 1
    top = int(np.abs(costs).max(initial=0)) + 1
    if top * weight * (n_nodes + 1) >= 2**62:
        return costs
    scaled = costs * weight
    scaled[: len(previous)] -= previous.astype(np.int64)
    return scaled


def _potentials(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    unbounded: NDArray[np.bool_],
    n_nodes: int,
    sink: int,
) -> I64:
    """Feasible node potentials of the residual graph that give every mentor its highest price.

    Among the optimal duals, the highest prices make the certificate strongest (a left-out
    pair is judged against its mentor's price). A mentor's price is at most the cost of a
    residual path from it to the sink, and potentials pi(v) = -(distance from v to the sink)
    reach that bound for every mentor at once.
    """
    # Pair arcs and unmatched arcs are never binding (a demand has one unit), so they always
    # keep a forward residual arc; this makes the duals of matched pairs tight.
    forward = (flows < caps) | unbounded
    backward = flows > 0
    return _residual_potentials([tails, heads, costs, forward, backward], n_nodes, sink)


def _residual_potentials(arrays: list[NDArray[Any]], n_nodes: int, sink: int) -> I64:
    """Potentials -(distance to the sink) over the residual arcs of [tails, heads, costs,
    forward, backward]. The list is emptied and each array dropped once the next is made:
    given the only references, the caller holds none of them meanwhile (peak memory)."""
    tails, heads, costs, forward, backward = arrays
    arrays.clear()
    src = np.concatenate([tails[forward], heads[backward]])
    dst = np.concatenate([heads[forward], tails[backward]])
    del tails, heads
    weight = np.concatenate([costs[forward], -costs[backward]]).astype(np.int64)
    del costs, forward, backward
    # distances to the sink = distances from the sink on reversed arcs; a node that cannot
    # reach the sink (only mentors without places and idle demands) gets UNREACHABLE
    start = np.full(n_nodes, UNREACHABLE, np.int64)
    start[sink] = 0
    to_sink = shortest_distances(dst, src, weight, start, seed_below=UNREACHABLE)
    return -to_sink


def shortest_distances(src: I64, dst: I64, weight: I64, start: I64, seed_below: int) -> I64:
    """Shortest distances from a virtual root with an arc of cost start[v] to every node v
    with start[v] < seed_below (exact integers; unique, whatever the algorithm).

    Raises when labels keep falling (a negative cycle: the flow was not optimal).
    """
    n_nodes = len(start)
    starts, order = kernels.group_by_source(np.ascontiguousarray(src, np.int64), n_nodes)
    dist = np.ascontiguousarray(start, np.int64).copy()
    ok = kernels.shortest_distances(
        starts,
        np.ascontiguousarray(dst[order], np.int64),
        np.ascontiguousarray(weight[order], np.int64),
        dist,
        seed_below,
    )
    if not ok:
        raise RuntimeError(ERR_NEGATIVE_CYCLE)
    return dist


def max_matching_size(arcs: Arcs) -> tuple[int, I64]:
    """Largest number of demands that can be matched on the arcs (and one such assignment)."""
    if arcs.mentor_class is not None:
        rep = arcs.mentor_class
        while True:
            most, classes = max_matching_size(arcs.by_class())
            rows = np.flatnonzero(classes >= 0)
            members, failed = split_class_flow(
                rows, classes[rows], arcs.demand_mentee, rep, arcs.capacity, arcs.removed
            )
            if not failed:
                classes[rows] = members
                return most, classes
            refine(rep, failed, arcs.removed, rows)
    net = arcs.network()
    n_d, n_m = net.n_demands, len(net.capacity)
    source = net.n_nodes
    mentor_nodes = n_d + np.arange(n_m, dtype=np.int64)
    tails = np.concatenate(
        [np.full(len(net.active), source), net.pair_tail, net.mid_node, mentor_nodes]
    ).astype(np.int64)
    heads = np.concatenate(
        [net.active, net.pair_head, net.mid_mentor, np.full(n_m, net.sink)]
    ).astype(np.int64)
    caps = np.concatenate(
        [
            np.ones(len(net.active) + len(net.pair_tail), np.int64),
            net.mid_capacity,
            np.maximum(net.capacity, 0),
        ]
    )
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(tails, heads, caps)
    status = solver.solve(source, net.sink)
    if status != solver.OPTIMAL:
        raise RuntimeError(ERR_SOLVER.format(status=status))
    flows = solver.flows(np.arange(len(tails), dtype=np.int64))
    start = len(net.active)
    used = flows[start : start + len(net.pair_tail)] > 0
    assigned = np.full(n_d, -1, np.int64)
    assigned[arcs.rows[used]] = arcs.cols[used]
    return int(solver.optimal_flow()), assigned
