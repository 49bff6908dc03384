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
import mmap
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow, min_cost_flow

from mentorbridge.matching_engine import arrays, kernels
from mentorbridge.matching_engine.classes import refine, split_class_flow

I64 = NDArray[np.int64]
ERR_SOLVER = "min-cost flow solver failed with status {status}"
UNREACHABLE = 2**50  # distance of a node with no residual path to the sink
CHILD_FAILED = 3
PR_SET_PDEATHSIG = 1  # Linux prctl: a signal the kernel sends this process when its parent dies
# work to do while a solve runs in a child process: called with busy(), true until it is done
Meanwhile = Callable[[Callable[[], bool]], None]
ERR_NEGATIVE_CYCLE = "residual graph has a negative cycle: the flow is not optimal"


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
        )

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
    """
    if arcs.mentor_class is None:
        return _solve_min_cost(arcs, want_duals, meanwhile)
    rep = arcs.mentor_class
    while True:
        solved = rep.copy() if not solve_refined else rep
        solution = _solve_min_cost(arcs.by_class(), want_duals, meanwhile)
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
    mentor_nodes = n_d + np.arange(n_m, dtype=np.int64)
    tails = np.concatenate([net.pair_tail, net.mid_node, net.active, mentor_nodes]).astype(np.int64)
    heads = np.concatenate(
        [net.pair_head, net.mid_mentor, np.full(len(net.active), net.sink), np.full(n_m, net.sink)]
    ).astype(np.int64)
    caps = np.concatenate(
        [
            np.ones(len(net.pair_tail), np.int64),
            net.mid_capacity,
            np.ones(len(net.active), np.int64),
            np.maximum(net.capacity, 0),
        ]
    )
    costs = np.concatenate(
        [net.pair_cost, np.zeros(len(net.mid_node) + len(net.active) + n_m, np.int64)]
    )
    supplies = np.zeros(net.n_nodes, np.int64)
    supplies[net.active] = 1
    supplies[net.sink] = -len(net.active)
    n_pair = len(net.pair_tail)
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
    unbounded = np.zeros(len(tails), bool)
    unbounded[:n_pair] = True
    unbounded[n_pair + len(net.mid_node) : n_pair + len(net.mid_node) + len(net.active)] = True
    dist = _potentials(tails, heads, caps, costs, flows, unbounded, net.n_nodes, net.sink)
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
    src = np.concatenate([tails[forward], heads[backward]])
    dst = np.concatenate([heads[forward], tails[backward]])
    weight = np.concatenate([costs[forward], -costs[backward]]).astype(np.int64)
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
