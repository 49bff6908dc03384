"""Repair of the last optimal flow after a pin or a forbid, instead of a fresh solve.

A re-solve of a kept `Session` solves almost the problem it solved last: a pin takes a demand
out and a place from a mentor, a forbid removes a few pairs. OR-Tools cannot start from a
flow, so each re-solve paid a whole min-cost flow (3.4-4.0 CPU s on the 20,000 x 6,000
`alike` working set). Here the last assignment is laid on the new network as a pseudo-flow
and made optimal again with successive shortest paths:

1. **Start flow**: each demand on the arc it had (if that arc is still there), else unmatched;
   mentors and intermediate nodes that now get more than their capacity keep the excess as an
   imbalance (the sink is short by as much).
2. **Potentials** (distances to the sink, in the convention of `flow._potentials`): every
   mentor (class) node at its last price, the sink at 0; demand and intermediate nodes at
   their shortest distance to those over the residual arcs leaving them (the budgeted label
   correcting of `kernels.distances_within`). The last prices certified the last flow
   optimal for every eligible pair, so reduced costs are >= 0 almost everywhere; the
   residual arcs leaving a mentor or the sink that are not (a demand whose pair got worse
   than another, a mentor with a free place and a price above 0, an unmatched demand with a
   positive reduced value) are saturated, which moves their flow into imbalances.
3. **Shortest augmenting paths**: Dijkstra on the reduced costs (all >= 0) from every node
   with an excess, until the deficits it reached can take all the excess; the potentials
   move so that reduced costs stay >= 0 and its shortest paths have reduced cost 0; the path
   to the nearest deficit is augmented, and a depth-first search pushes along the other
   paths of reduced cost 0 it finds; repeat until no imbalance is left. The flow is then
   optimal (no residual arc with a negative reduced cost).
4. **Duals**: the certificate wants the duals `flow._potentials` gives (shortest distances to
   the sink in the residual graph where pair and unmatched arcs never bind; they are the same
   for every optimal flow). With the potentials of step 3 every residual arc has a reduced
   cost >= 0, so one Dijkstra from the sink over the reversed arcs gives them exactly.

Ties: among optimal flows a solve keeps the most pairs of the last solve (`flow.
_keeping_previous`: costs scaled, a kept pair one unit cheaper). Here the same order is
exact: costs are `cost * W - kept` with W a power of two above twice the number of nodes, so
a simple path's tie-break part never reaches W/2 and the real distance is the scaled one
rounded to a multiple of W. When the scaled costs could overflow, no tie-break (as there).

Anything unexpected (a negative cycle among the demands, a budget of arc scans passed, a
class whose flow cannot be split into members) returns None and the caller solves afresh.
"""

from __future__ import annotations

import logging

import numpy as np
from numba import njit
from numpy.typing import NDArray

from mentorbridge.matching_engine import kernels
from mentorbridge.matching_engine.classes import split_class_flow
from mentorbridge.matching_engine.solvers.flow import UNREACHABLE, Arcs, FlowSolution, Network

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
log = logging.getLogger(__name__)
BIG = 1 << 40  # residual capacity of arcs that never bind (pair and unmatched arcs)
INF = 1 << 62  # label of a node not reached
LABEL_WORK = 12  # label corrections per residual arc at most for the start potentials
# sweeps over the arcs the start potentials take before label correcting does (`_sweep_labels`)
LABEL_SWEEPS = 6
REPAIR_WORK = 24  # arc scans per residual arc at most, over all augmenting paths
# ... per shortlisted pair in `repair_on_rows`: a pin or a forbid at 20k takes one or two paths
# (each Dijkstra scans at most every row once); a repair far from the optimum (the app's round 3,
# gap 2.7e-3, tried with 24) used its whole budget, 16 s, before the fresh solve
ROWS_WORK = 6
FAILED = -1


def repair_min_cost(
    arcs: Arcs,
    start: I64,
    prices: F64,
    work: int = REPAIR_WORK,
    extreme_duals: bool = True,
    max_excess: int | None = None,
) -> FlowSolution | None:
    """An optimal flow on `arcs` (as `flow.solve_min_cost` would give, with its duals) made
    from the last solve's assignment `start` (mentor per demand, -1 unmatched) and its mentor
    prices, or None when the repair does not succeed quickly (the caller then solves afresh):
    its budget of arc scans passed, or more than `max_excess` units of excess to move.

    Kept pairs are counted by class (a demand kept in its mentor's class keeps its pair: the
    members are split afresh anyway)."""
    if len(start) != arcs.n_demands:
        log.debug("repair declined: no last assignment")
        return None
    rep = arcs.mentor_class
    flow_arcs = arcs.by_class()
    last = start if rep is None else np.where(start >= 0, rep[np.maximum(start, 0)], -1)
    net = flow_arcs.network()
    n_d = net.n_demands
    n_pair, n_mid = len(net.pair_tail), len(net.mid_node)
    sink, n_nodes = net.sink, net.n_nodes
    kept = last[flow_arcs.rows] == flow_arcs.cols
    weight = _tie_weight(net.pair_cost, n_nodes)
    tails, heads, caps, scaled = _arc_arrays(
        net.pair_tail, net.pair_head, net.pair_cost, kept, net.mid_node, net.mid_mentor,
        net.mid_capacity, net.active, net.capacity, sink, weight,
    )  # fmt: skip
    # written into the arrays above: the network's own go (100,000 x 30,000 with `goal_fit`
    # alone, the repair of the last auction's assignment on 11 M arcs: 0.27 GB at the peak)
    net.pair_tail = net.pair_head = net.pair_cost = EMPTY_I64
    class_prices = np.rint(np.clip(np.asarray(prices, np.float64), 0, None)).astype(np.int64)
    labels = class_prices * weight
    pseudo = _start_flow(tails, heads, caps, kept, net.active, n_pair, n_mid, sink)
    pi = None
    if pseudo is not None:
        pi = _start_potentials(tails, heads, caps, scaled, pseudo[0], labels, n_d, n_nodes)
    if pi is None and pseudo is not None and n_mid:
        # a negative cycle among demands that share intermediate nodes (a mentee's focus
        # areas would swap mentors): start those demands unmatched, the paths place them
        direct = kept & (heads[:n_pair] < sink)
        pseudo = _start_flow(tails, heads, caps, direct, net.active, n_pair, n_mid, sink)
        if pseudo is not None:
            pi = _start_potentials(tails, heads, caps, scaled, pseudo[0], labels, n_d, n_nodes)
    if pseudo is None or pi is None:
        log.debug("repair declined: no start labels (a negative cycle among demands)")
        return None
    flows, supply = pseudo
    inflow = np.bincount(heads, flows, n_nodes) - np.bincount(tails, flows, n_nodes)
    imbalance = supply + np.rint(inflow).astype(np.int64)
    saturated = _saturate(tails, heads, caps, scaled, flows, imbalance, pi, n_d, sink)
    excess = int(imbalance.clip(0).sum())
    if max_excess is not None and excess > max_excess:
        log.debug("repair declined: %d excess units, more than %d", excess, max_excess)
        return None
    del kept
    out_start, out_arc = kernels.group_by_source(tails, n_nodes)
    budget = work * 2 * len(tails)
    paths = _augment(tails, heads, caps, scaled, flows, imbalance, pi, out_start, out_arc, budget)
    log.debug(
        "repair: %d excess units, %d saturated arcs, %d augmenting paths",
        excess,
        saturated,
        paths,
    )
    if paths < 0:
        log.debug("repair declined: no augmenting path or budget passed")
        return None
    if not extreme_duals:
        # the repair's own potentials, each rounded to the nearest multiple of W: a residual
        # arc's scaled reduced cost c*W - k + pi[head] - pi[tail] >= 0 (k in {0, 1}) with both
        # rounding errors in [-W/2, W/2) gives c + a[head] - a[tail] > -1, so >= 0 (integers)
        to_sink = np.floor_divide(pi - pi[sink] + weight // 2, weight)
        return _solution(arcs, flow_arcs, net, n_pair, flows, to_sink, rep)
    # the arcs by head only now, not beside the paths' arrays (peak memory)
    in_start, in_arc = kernels.group_by_source(heads, n_nodes)
    reach = _reach_sink(
        tails, heads, caps, scaled, flows, pi, out_start, out_arc, in_start, in_arc, sink
    )
    if reach is None:
        log.debug("repair declined: potentials not feasible")
        return None
    to_sink = np.full(n_nodes, UNREACHABLE, np.int64)
    hit = reach < INF
    exact = reach[hit] + pi[hit] - pi[sink]
    to_sink[hit] = np.floor_divide(exact + weight // 2, weight)
    return _solution(arcs, flow_arcs, net, n_pair, flows, to_sink, rep)


def _tie_weight(costs: I64, n_nodes: int) -> int:
    """W of the scaled costs `cost * W - kept`: a power of two above twice the nodes (a simple
    path's tie-break part stays below W/2), or 1 when the scaled labels could overflow."""
    weight = 1 << int(2 * (n_nodes + 2)).bit_length()
    top = int(np.abs(costs).max(initial=0)) + 1
    if top * weight * 64 >= INF:
        return 1
    return weight


@njit(cache=True, nogil=True)
def _arc_arrays(
    pair_tail: I64,
    pair_head: I64,
    pair_cost: I64,
    kept: NDArray[np.bool_],
    mid_node: I64,
    mid_mentor: I64,
    mid_capacity: I64,
    active: I64,
    capacity: I64,
    sink: int,
    weight: int,
) -> tuple[I64, I64, I64, I64]:
    """The network's arcs as (tails, heads, residual capacities, scaled costs), in one pass:
    the pair arcs (never binding; cost * `weight`, a `kept` one a unit cheaper where `weight`
    is above 1), the intermediate places, each active demand's unmatched arc (never binding)
    and each mentor's places to the sink (all three of cost 0). No concatenated copies: the
    repair's peak memory is its arrays of the arcs' length."""
    n_pair, n_mid, n_act, n_m = len(pair_tail), len(mid_node), len(active), len(capacity)
    n = n_pair + n_mid + n_act + n_m
    tails = np.empty(n, np.int64)
    heads = np.empty(n, np.int64)
    caps = np.empty(n, np.int64)
    scaled = np.zeros(n, np.int64)
    tie = 1 if weight > 1 else 0
    for i in range(n_pair):
        tails[i] = pair_tail[i]
        heads[i] = pair_head[i]
        caps[i] = BIG
        scaled[i] = pair_cost[i] * weight - (tie if kept[i] else 0)
    at = n_pair
    for t in range(n_mid):
        tails[at + t] = mid_node[t]
        heads[at + t] = mid_mentor[t]
        caps[at + t] = mid_capacity[t]
    at += n_mid
    for t in range(n_act):
        tails[at + t] = active[t]
        heads[at + t] = sink
        caps[at + t] = BIG
    at += n_act
    n_d = sink - n_m
    for j in range(n_m):
        tails[at + j] = n_d + j
        heads[at + j] = sink
        caps[at + j] = max(capacity[j], 0)
    return tails, heads, caps, scaled


def _start_flow(
    tails: I64,
    heads: I64,
    caps: I64,
    kept: NDArray[np.bool_],
    active: I64,
    n_pair: int,
    n_mid: int,
    sink: int,
) -> tuple[I64, I64] | None:
    """The last assignment as a pseudo-flow on this network, and the node supplies."""
    n_nodes = max(sink + 1, int(tails.max(initial=sink)) + 1)
    rows = tails[:n_pair]
    if int(np.bincount(rows[kept], minlength=1).max(initial=0)) > 1:
        return None  # a demand on two kept arcs: not a last assignment
    flows = np.zeros(len(tails), np.int64)
    flows[:n_pair] = kept
    matched = np.zeros(n_nodes, bool)
    matched[rows[kept]] = True
    n_act = len(active)
    flows[n_pair + n_mid : n_pair + n_mid + n_act] = ~matched[active]
    inflow = np.bincount(heads[:n_pair][kept], minlength=n_nodes)
    mid = slice(n_pair, n_pair + n_mid)
    flows[mid] = np.minimum(inflow[tails[mid]], caps[mid])
    inflow = inflow + np.bincount(heads[mid], flows[mid], n_nodes).astype(np.int64)
    last = slice(n_pair + n_mid + n_act, len(tails))
    flows[last] = np.minimum(inflow[tails[last]], caps[last])
    supply = np.zeros(n_nodes, np.int64)
    supply[active] = 1
    supply[sink] -= n_act
    return flows, supply


def _start_potentials(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    mentor_labels: I64,
    n_d: int,
    n_nodes: int,
) -> I64 | None:
    """Mentor nodes at their last price, the sink at 0, demand and intermediate nodes at their
    shortest distance to those over the residual arcs leaving them (None: not found within the
    label-correcting budget, e.g. a negative cycle among them)."""
    sink = n_d + len(mentor_labels)
    free = np.ones(n_nodes, bool)  # demand and intermediate nodes: labels to find
    free[n_d : sink + 1] = False
    labels = np.full(n_nodes, INF, np.int64)
    labels[n_d : n_d + len(mentor_labels)] = mentor_labels
    labels[sink] = 0
    pi: I64 | None = labels
    if not _sweep_labels(tails, heads, caps, costs, flows, free, labels, LABEL_SWEEPS):
        pi = _corrected_labels(tails, heads, caps, costs, flows, free, mentor_labels, n_d)
    if pi is None:
        return None
    isolated = (np.bincount(tails, minlength=n_nodes) + np.bincount(heads, minlength=n_nodes)) == 0
    pi[isolated] = 0
    if bool((pi >= INF).any()):
        return None
    return pi


@njit(cache=True, nogil=True)
def _sweep_labels(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    free: NDArray[np.bool_],
    pi: I64,
    sweeps: int,
) -> bool:
    """Lower the `free` nodes' labels `pi` to their shortest distance to the others over the
    residual arcs leaving them, by sweeps over the arcs in their order (Bellman-Ford); True
    once a sweep changes nothing, False after `sweeps` that all did (long residual paths
    among free nodes, or a negative cycle: `_corrected_labels` then).

    Where each mentee has one focus area, a demand's residual arcs all lead to mentor nodes
    or the sink, whose labels are fixed: one sweep sets every label and the next confirms
    them, reading the arcs in memory order (the app's 20,000 x 6,000 round: 3.8 M arcs,
    about 0.02 s, where grouping them by node for label correcting took 0.25 s)."""
    for _ in range(sweeps):
        changed = False
        for e in range(tails.shape[0]):
            t = tails[e]
            h = heads[e]
            if flows[e] < caps[e] and free[t] and pi[h] < INF:
                candidate = pi[h] + costs[e]
                if candidate < pi[t]:
                    pi[t] = candidate
                    changed = True
            if flows[e] > 0 and free[h] and pi[t] < INF:
                candidate = pi[t] - costs[e]
                if candidate < pi[h]:
                    pi[h] = candidate
                    changed = True
        if not changed:
            return True
    return False


def _corrected_labels(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    free: NDArray[np.bool_],
    mentor_labels: I64,
    n_d: int,
) -> I64 | None:
    """`_start_potentials`' labels by FIFO label correcting from the fixed nodes over the
    residual arcs reversed (None: not found within the label-correcting budget, e.g. a
    negative cycle among the free nodes)."""
    n_nodes = len(free)
    sink = n_d + len(mentor_labels)
    forward = (flows < caps) & free[tails]
    backward = (flows > 0) & free[heads]
    # shortest distances to the seeds = from the seeds along the residual arcs reversed
    reversed_arcs = [
        np.concatenate([heads[forward], tails[backward]]),
        np.concatenate([tails[forward], heads[backward]]),
        np.concatenate([costs[forward], -costs[backward]], dtype=np.int64),
    ]
    n_reversed = len(reversed_arcs[0])
    del forward, backward
    starts, to, weight = kernels.arcs_by_source_from(reversed_arcs, n_nodes)
    pi = np.full(n_nodes, INF, np.int64)
    pi[n_d : n_d + len(mentor_labels)] = mentor_labels
    pi[sink] = 0
    budget = LABEL_WORK * max(n_reversed, 1)
    if kernels.distances_within(starts, to, weight, pi, INF, budget) < 0:
        return None
    return pi


@njit(cache=True, nogil=True)
def _saturate(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    imbalance: I64,
    pi: I64,
    n_d: int,
    sink: int,
) -> int:
    """Push every residual arc leaving a mentor node or the sink whose reduced cost is below 0
    to its capacity (the others are >= 0 by the labels), in one pass over the arcs; returns
    how many there were."""
    moved = 0
    for e in range(tails.shape[0]):
        t = tails[e]
        h = heads[e]
        reduced = costs[e] + pi[h] - pi[t]
        amount = 0
        if n_d <= h <= sink and flows[e] > 0 and reduced > 0:
            amount = -flows[e]  # the residual arc head -> tail costs -reduced
        elif n_d <= t <= sink and flows[e] < caps[e] and reduced < 0:
            amount = caps[e] - flows[e]
        if amount != 0:
            imbalance[t] -= amount
            imbalance[h] += amount
            flows[e] += amount
            moved += 1
    return moved


@njit(cache=True, nogil=True)
def _sift_up(heap: I64, pos: I64, key: I64, i: int) -> None:
    node = heap[i]
    while i > 0:
        parent = (i - 1) >> 1
        other = heap[parent]
        if key[other] <= key[node]:
            break
        heap[i] = other
        pos[other] = i
        i = parent
    heap[i] = node
    pos[node] = i


@njit(cache=True, nogil=True)
def _pop(heap: I64, pos: I64, key: I64, size: int) -> int:
    """Remove and return the node with the lowest key (the heap has `size` > 0 entries)."""
    top = heap[0]
    pos[top] = -1
    size -= 1
    if size == 0:
        return top
    node = heap[size]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and key[heap[child + 1]] < key[heap[child]]:
            child += 1
        if key[heap[child]] >= key[node]:
            break
        heap[i] = heap[child]
        pos[heap[i]] = i
        i = child
    heap[i] = node
    pos[node] = i
    return top


@njit(cache=True, nogil=True)
def _move(e: int, amount: int, heads: I64, flows: I64, first: I64, nxt: I64, prv: I64) -> None:
    """Add `amount` (may be < 0) to arc e's flow, keeping the lists of arcs with flow."""
    before = flows[e]
    flows[e] = before + amount
    if before == 0 and flows[e] > 0:
        _link(e, heads[e], first, nxt, prv)
    elif before > 0 and flows[e] == 0:
        _unlink(e, heads[e], first, nxt, prv)


@njit(cache=True, nogil=True)
def _push_path(
    codes: I64,
    length: int,
    source: int,
    target: int,
    caps: I64,
    flows: I64,
    heads: I64,
    imbalance: I64,
    first: I64,
    nxt: I64,
    prv: I64,
) -> None:
    """Push from `source`'s excess to `target`'s deficit along the path of `length` arcs in
    `codes` (2 * arc, + 1 when along it backwards; in any order) as much as it carries."""
    amount = min(imbalance[source], -imbalance[target])
    for i in range(length):
        e = codes[i] >> 1
        amount = min(amount, flows[e] if codes[i] & 1 else caps[e] - flows[e])
    for i in range(length):
        e = codes[i] >> 1
        _move(e, -amount if codes[i] & 1 else amount, heads, flows, first, nxt, prv)
    imbalance[source] -= amount
    imbalance[target] += amount


@njit(cache=True, nogil=True)
def _augment(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    imbalance: I64,
    pi: I64,
    out_start: I64,
    out_arc: I64,
    budget: int,
) -> int:
    """Successive shortest paths (Dijkstra on reduced costs costs + pi[head] - pi[tail], all
    >= 0 on residual arcs) from the nodes with an excess, until every imbalance is 0: each
    Dijkstra settles nodes until the deficits among them can take all the excess, the
    potentials of the settled nodes move so that its shortest paths have reduced cost 0, and
    the flow is pushed along those paths (`_push_admissible`). `flows`, `imbalance` and `pi`
    change in place. Returns the number of augmenting paths, or FAILED (budget of arc scans
    passed, a negative reduced cost, or an excess that cannot reach a deficit).

    An arc is residual backwards only while it carries flow, so each node keeps the list of
    its incoming arcs with flow (a mentor node has hundreds of incoming pair arcs, a few with
    flow) instead of scanning all of them."""
    n = pi.shape[0]
    m = tails.shape[0]
    first = np.full(n, -1, np.int64)  # per node, its incoming arcs with flow (linked)
    nxt = np.full(m, -1, np.int64)
    prv = np.full(m, -1, np.int64)
    for e in range(m):
        if flows[e] > 0:
            _link(int(e), int(heads[e]), first, nxt, prv)
    dist = np.full(n, INF, np.int64)
    pred = np.full(n, -1, np.int64)  # 2 * arc (+1 when along the arc backwards)
    done = np.zeros(n, np.bool_)
    pos = np.full(n, -1, np.int64)
    heap = np.empty(n, np.int64)
    touched = np.empty(n, np.int64)
    settled = np.empty(n, np.int64)
    cur = np.zeros(n, np.int64)
    cur_in = np.full(n, -2, np.int64)
    dead = np.zeros(n, np.bool_)
    on_path = np.zeros(n, np.bool_)
    path_node = np.empty(n, np.int64)
    path_arc = np.empty(n, np.int64)
    scanned = 0
    paths = 0
    while True:
        size = 0
        n_touched = 0
        need = 0
        for v in range(n):
            if imbalance[v] > 0:
                dist[v] = 0
                heap[size] = v
                pos[v] = size
                size += 1
                touched[n_touched] = v
                n_touched += 1
                need += imbalance[v]
        if size == 0:
            return paths
        target = -1
        n_settled = 0
        absorbed = 0
        while size > 0:
            u = _pop(heap, pos, dist, size)
            size -= 1
            done[u] = True
            settled[n_settled] = u
            n_settled += 1
            if imbalance[u] < 0:
                if target < 0:
                    target = u
                absorbed -= imbalance[u]
                if absorbed >= need:
                    break
            du = dist[u]
            pu = pi[u]
            scanned += out_start[u + 1] - out_start[u]
            if scanned > budget:
                return FAILED
            for k in range(out_start[u], out_start[u + 1]):
                e = out_arc[k]
                if flows[e] < caps[e]:
                    v = heads[e]
                    if done[v]:
                        continue
                    step = costs[e] + pi[v] - pu
                    if step < 0:
                        return FAILED
                    if du + step < dist[v]:
                        if dist[v] == INF:
                            touched[n_touched] = v
                            n_touched += 1
                        dist[v] = du + step
                        pred[v] = 2 * e
                        if pos[v] < 0:
                            heap[size] = v
                            size += 1
                        _sift_up(heap, pos, dist, pos[v] if pos[v] >= 0 else size - 1)
            e = first[u]
            while e >= 0:
                scanned += 1
                v = tails[e]
                if not done[v]:
                    step = -costs[e] + pi[v] - pu
                    if step < 0:
                        return FAILED
                    if du + step < dist[v]:
                        if dist[v] == INF:
                            touched[n_touched] = v
                            n_touched += 1
                        dist[v] = du + step
                        pred[v] = 2 * e + 1
                        if pos[v] < 0:
                            heap[size] = v
                            size += 1
                        _sift_up(heap, pos, dist, pos[v] if pos[v] >= 0 else size - 1)
                e = nxt[e]
        if target < 0:
            return FAILED
        reach = dist[settled[n_settled - 1]]
        if reach > INF >> 2:
            return FAILED
        for i in range(n_settled):
            v = settled[i]
            pi[v] += reach - dist[v]
        # the path back to its source, pushed as far as it carries
        length = 0
        v = target
        while pred[v] >= 0:
            path_arc[length] = pred[v]
            length += 1
            e = pred[v] >> 1
            v = heads[e] if pred[v] & 1 else tails[e]
        _push_path(path_arc, length, v, target, caps, flows, heads, imbalance, first, nxt, prv)
        paths += 1
        for i in range(n_touched):
            v = touched[i]
            dist[v] = INF
            pred[v] = -1
            done[v] = False
            pos[v] = -1
        # every shortest path from an excess to a settled deficit now has reduced cost 0
        # throughout: push along the others too before the next Dijkstra
        more, work = _push_admissible(
            tails, heads, caps, costs, flows, imbalance, pi, out_start, out_arc, first, nxt,
            prv, cur, cur_in, dead, on_path, path_node, path_arc, budget - scanned,
        )  # fmt: skip
        if more < 0:
            return FAILED
        paths += more
        scanned += work


@njit(cache=True, nogil=True)
def _push_admissible(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    imbalance: I64,
    pi: I64,
    out_start: I64,
    out_arc: I64,
    first: I64,
    nxt: I64,
    prv: I64,
    cur: I64,
    cur_in: I64,
    dead: NDArray[np.bool_],
    on_path: NDArray[np.bool_],
    path_node: I64,
    path_arc: I64,
    budget: int,
) -> tuple[int, int]:
    """Augmenting paths from the excess nodes to deficit nodes over residual arcs of reduced
    cost 0 (a depth-first search with current-arc pointers, as in Dinic's blocking flow), each
    augmented at once: such a path is a shortest one, so every residual arc keeps a reduced
    cost >= 0 (the reverse of an arc of reduced cost 0 has reduced cost 0). A node found to
    lead nowhere is not entered again in this search; one skipped only because it was on the
    current path may be marked so too early, which loses paths, not correctness: the next
    Dijkstra finds them. Returns (paths augmented, arcs scanned); paths is -1 when the budget
    of arc scans passed."""
    n = pi.shape[0]
    cur[:] = 0
    cur_in[:] = -2
    dead[:] = False
    scanned = 0
    paths = 0
    for s in range(n):
        while imbalance[s] > 0 and not dead[s]:
            depth = 0
            path_node[0] = s
            on_path[s] = True
            target = -1
            while depth >= 0:
                u = path_node[depth]
                if depth > 0 and imbalance[u] < 0:
                    target = u
                    break
                nxt_node = -1
                n_out = out_start[u + 1] - out_start[u]
                while cur[u] < n_out:  # forward residual arcs: room left
                    e = out_arc[out_start[u] + cur[u]]
                    scanned += 1
                    if flows[e] < caps[e]:
                        v = heads[e]
                        if not dead[v] and not on_path[v] and costs[e] + pi[v] == pi[u]:
                            nxt_node = v
                            path_arc[depth] = 2 * e
                            break
                    cur[u] += 1
                if nxt_node < 0:  # backward residual arcs: incoming arcs with flow
                    if cur_in[u] == -2:
                        cur_in[u] = first[u]
                    while cur_in[u] >= 0:
                        e = cur_in[u]
                        scanned += 1
                        v = tails[e]
                        # (the list holds arcs with flow: `cur_in` restarts after each push
                        # through u, so the flow test only guards that invariant)
                        if (
                            flows[e] > 0
                            and not dead[v]
                            and not on_path[v]
                            and pi[v] - costs[e] == pi[u]
                        ):
                            nxt_node = v
                            path_arc[depth] = 2 * e + 1
                            break
                        cur_in[u] = nxt[e]
                if scanned > budget:
                    return -1, scanned
                if nxt_node >= 0:
                    depth += 1
                    path_node[depth] = nxt_node
                    on_path[nxt_node] = True
                else:
                    dead[u] = True
                    on_path[u] = False
                    depth -= 1
            if target < 0:
                break  # s is dead: nothing admissible leads from it to a deficit
            _push_path(path_arc, depth, s, target, caps, flows, heads, imbalance, first, nxt, prv)
            for i in range(depth + 1):
                on_path[path_node[i]] = False
                cur_in[path_node[i]] = -2  # its list may have changed: start it again
            paths += 1
    return paths, scanned


@njit(cache=True, nogil=True)
def _reach_sink_kernel(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    pi: I64,
    out_start: I64,
    out_arc: I64,
    in_start: I64,
    in_arc: I64,
    sink: int,
    dist: I64,
) -> bool:
    """Dijkstra from the sink over the residual arcs reversed, lengths the reduced costs
    (>= 0): dist[u] = reduced length of u's shortest path to the sink (INF: none). False when
    a reduced cost is below 0 (the potentials are not feasible)."""
    n = pi.shape[0]
    done = np.zeros(n, np.bool_)
    pos = np.full(n, -1, np.int64)
    heap = np.empty(n, np.int64)
    dist[sink] = 0
    heap[0] = sink
    pos[sink] = 0
    size = 1
    while size > 0:
        v = _pop(heap, pos, dist, size)
        size -= 1
        done[v] = True
        dv = dist[v]
        pv = pi[v]
        # residual arcs u -> v: arcs into v with room, and arcs out of v with flow (backwards)
        for k in range(in_start[v], in_start[v + 1]):
            e = in_arc[k]
            if flows[e] < caps[e]:
                u = tails[e]
                if done[u]:
                    continue
                step = costs[e] + pv - pi[u]
                if step < 0:
                    return False
                if dv + step < dist[u]:
                    dist[u] = dv + step
                    if pos[u] < 0:
                        heap[size] = u
                        size += 1
                    _sift_up(heap, pos, dist, pos[u] if pos[u] >= 0 else size - 1)
        for k in range(out_start[v], out_start[v + 1]):
            e = out_arc[k]
            if flows[e] > 0:
                u = heads[e]
                if done[u]:
                    continue
                step = -costs[e] + pv - pi[u]
                if step < 0:
                    return False
                if dv + step < dist[u]:
                    dist[u] = dv + step
                    if pos[u] < 0:
                        heap[size] = u
                        size += 1
                    _sift_up(heap, pos, dist, pos[u] if pos[u] >= 0 else size - 1)
    return True


def _reach_sink(
    tails: I64,
    heads: I64,
    caps: I64,
    costs: I64,
    flows: I64,
    pi: I64,
    out_start: I64,
    out_arc: I64,
    in_start: I64,
    in_arc: I64,
    sink: int,
) -> I64 | None:
    dist = np.full(len(pi), INF, np.int64)
    ok = _reach_sink_kernel(
        tails, heads, caps, costs, flows, pi, out_start, out_arc, in_start, in_arc, sink, dist
    )
    return dist if ok else None


def _solution(
    arcs: Arcs,
    flow_arcs: Arcs,
    net: Network,
    n_pair: int,
    flows: I64,
    to_sink: I64,
    rep: I64 | None,
) -> FlowSolution | None:
    """The assignment (classes split into members) and duals, as `flow.solve_min_cost`; the
    first `n_pair` flows are the pair arcs'."""
    n_d, n_m = net.n_demands, len(net.capacity)
    used = flows[:n_pair] > 0
    assigned = np.full(n_d, -1, np.int64)
    assigned[flow_arcs.rows[used]] = flow_arcs.cols[used]
    values = np.zeros(n_d, np.int64)
    values[flow_arcs.rows[used]] = flow_arcs.values[used]
    mentor_nodes = n_d + np.arange(n_m, dtype=np.int64)
    prices = np.maximum(to_sink[mentor_nodes] - to_sink[net.sink], 0.0)
    mid_prices = np.maximum(to_sink[net.mid_node] - to_sink[net.mid_mentor], 0.0)
    solution = FlowSolution(
        assigned, prices, net.mid_key, mid_prices, values, mid_capacity=net.mid_capacity
    )
    if rep is None:
        return solution
    rows = np.flatnonzero(assigned >= 0)
    members, failed = split_class_flow(
        rows, assigned[rows], arcs.demand_mentee, rep, arcs.capacity, arcs.removed
    )
    if failed:
        log.debug("repair declined: a class cannot take its flow")
        return None  # the caller's solve refines the classes
    solution.assigned[rows] = members
    solution.prices = solution.prices[rep]
    solution.mentor_class = rep
    return solution


# --- the repair on the shortlist's rows (each mentee one focus area, every mentor alone) ---

UNMATCHED = -1  # `assign` of a demand whose unit goes to the sink (unmatched)
NO_ARC = -2  # ... of a demand whose unit has not left it yet (an excess)
IDLE = -3  # ... of a demand that takes no part (pinned, or left out)


def repair_on_rows(
    indptr: I64,
    cols: I64,
    scores: I64,
    bonus: int,
    active: NDArray[np.bool_],
    capacity: I64,
    start: I64,
    prices: F64,
    work: int = ROWS_WORK,
) -> FlowSolution | None:
    """`repair_min_cost` on every shortlisted pair of an instance whose mentees have one focus
    area each and whose mentors are each their own class, walking the shortlist's rows (CSR:
    `indptr`, `cols`, `scores`) instead of building a network of its arcs.

    The network is the one `solve_min_cost` solves: demand d (where `active`) -> mentor j
    (where `capacity` > 0, value `scores + bonus`) -> sink, and d -> sink (unmatched). A
    demand's residual arcs are its row (pair arcs never bind) and its unmatched arc; a
    mentor's are the demands its flow comes from (kept as linked lists) and the sink while
    it has room; the sink's are the mentors with flow and the unmatched demands. The
    potentials start as in `repair_min_cost` (mentors at their last price; a demand's is the
    minimum over its row, its arcs being its only residual ones), the violated residual arcs
    are saturated, and successive shortest paths (Dijkstra on reduced costs, one unit each)
    remove the imbalances. Ties keep the last pairs (`cost * W - kept`) as there. The
    returned prices are the repair's own potentials, rounded to score units (as
    `repair_min_cost(..., extreme_duals=False)`). None when the repair does not succeed
    within `work` arc scans per arc (the caller solves as before)."""
    n_d, n_m = len(indptr) - 1, len(capacity)
    if len(start) != n_d or len(prices) != n_m:
        log.debug("row repair declined: no last assignment or prices")
        return None
    values = np.ascontiguousarray(scores, np.int64) + bonus
    top = int(values.max(initial=0)) + 1
    weight = _tie_weight(np.array([top], np.int64), n_d + n_m + 1)
    labels = np.rint(np.clip(np.asarray(prices, np.float64), 0, None)).astype(np.int64) * weight
    assign = np.full(n_d, IDLE, np.int64)
    pi = np.zeros(n_d + n_m + 1, np.int64)
    budget = work * 2 * (len(cols) + n_d + n_m)
    paths = _rows_repair(
        np.ascontiguousarray(indptr, np.int64),
        np.ascontiguousarray(cols, np.int64),
        values,
        np.ascontiguousarray(active, np.bool_),
        np.ascontiguousarray(np.maximum(capacity, 0), np.int64),
        np.ascontiguousarray(start, np.int64),
        labels,
        weight,
        budget,
        assign,
        pi,
    )
    log.debug("row repair: %d augmenting paths", paths)
    if paths < 0:
        log.debug("row repair declined: budget passed or potentials not feasible")
        return None
    sink = n_d + n_m
    to_sink = np.floor_divide(pi - pi[sink] + weight // 2, weight)
    assigned = np.where(assign >= 0, assign, -1).astype(np.int64)
    value = np.zeros(n_d, np.int64)
    rows = np.flatnonzero(assigned >= 0)
    value[rows] = kernels.listed_scores(indptr, cols, scores, rows, assigned[rows]) + bonus
    mentor_prices = np.maximum(to_sink[n_d:sink] - to_sink[sink], 0).astype(np.float64)
    return FlowSolution(
        assigned, mentor_prices, EMPTY_I64, np.zeros(0, np.float64), value, mid_capacity=EMPTY_I64
    )


EMPTY_I64 = np.zeros(0, np.int64)


@njit(cache=True, nogil=True)
def _unlink(d: int, owner: int, first: I64, nxt: I64, prv: I64) -> None:
    """Take item d out of the list of `owner` (in the rows' repair a demand out of a mentor's,
    or n_m for the unmatched; in `_augment` an arc out of its head's arcs with flow)."""
    if prv[d] >= 0:
        nxt[prv[d]] = nxt[d]
    else:
        first[owner] = nxt[d]
    if nxt[d] >= 0:
        prv[nxt[d]] = prv[d]
    nxt[d] = -1
    prv[d] = -1


@njit(cache=True, nogil=True)
def _link(d: int, owner: int, first: I64, nxt: I64, prv: I64) -> None:
    """Put item d at the head of the list of `owner`."""
    head = first[owner]
    nxt[d] = head
    prv[d] = -1
    if head >= 0:
        prv[head] = d
    first[owner] = d


@njit(cache=True, nogil=True)
def _relax(
    v: int,
    u: int,
    at: int,
    du: int,
    step: int,
    dist: I64,
    pred: I64,
    pred_at: I64,
    heap: I64,
    pos: I64,
    size: int,
    touched: I64,
    n_touched: int,
) -> tuple[int, int]:
    """Dijkstra's step along a residual arc u -> v of reduced cost `step` (row position `at`
    for a pair arc, else -1). Returns the heap's size and the touched count; size -1 when the
    reduced cost is below 0 (the potentials are not feasible)."""
    if step < 0:
        return -1, n_touched
    if du + step < dist[v]:
        if dist[v] == INF:
            touched[n_touched] = v
            n_touched += 1
        dist[v] = du + step
        pred[v] = u
        pred_at[v] = at
        if pos[v] < 0:
            heap[size] = v
            size += 1
        _sift_up(heap, pos, dist, pos[v] if pos[v] >= 0 else size - 1)
    return size, n_touched


@njit(cache=True, nogil=True)
def _expand(
    u: int,
    indptr: I64,
    cols: I64,
    values: I64,
    cap: I64,
    kept_at: I64,
    cost_now: I64,
    first: I64,
    nxt: I64,
    inflow: I64,
    to_sink: I64,
    weight: int,
    pi: I64,
    dist: I64,
    pred: I64,
    pred_at: I64,
    done: NDArray[np.bool_],
    heap: I64,
    pos: I64,
    size: int,
    touched: I64,
    n_touched: int,
    scanned: int,
) -> tuple[int, int, int]:
    """Dijkstra's steps along every residual arc leaving node u (see `_rows_repair`).
    Returns the heap's size (-1: a reduced cost below 0), the touched count and the arcs
    scanned so far."""
    n_d = indptr.shape[0] - 1
    n_m = cap.shape[0]
    sink = n_d + n_m
    du = dist[u]
    pu = pi[u]
    if u < n_d:  # a demand: its row, and its unmatched arc
        scanned += indptr[u + 1] - indptr[u] + 1
        for k in range(indptr[u], indptr[u + 1]):
            j = cols[k]
            if cap[j] <= 0 or done[n_d + j]:
                continue
            c = -values[k] * weight - (1 if k == kept_at[u] else 0)
            size, n_touched = _relax(
                n_d + j, u, k, du, c + pi[n_d + j] - pu, dist, pred, pred_at, heap, pos,
                size, touched, n_touched,
            )  # fmt: skip
            if size < 0:
                return -1, n_touched, scanned
        if not done[sink]:
            size, n_touched = _relax(
                sink, u, -1, du, pi[sink] - pu, dist, pred, pred_at, heap, pos, size,
                touched, n_touched,
            )  # fmt: skip
    elif u < sink:  # a mentor: on to the sink, back to the demands its flow is from
        j = u - n_d
        scanned += inflow[j] + 1
        if to_sink[j] < cap[j] and not done[sink]:
            size, n_touched = _relax(
                sink, u, -1, du, pi[sink] - pu, dist, pred, pred_at, heap, pos, size,
                touched, n_touched,
            )  # fmt: skip
        d = int(first[j])
        while d >= 0 and size >= 0:
            if not done[d]:
                size, n_touched = _relax(
                    d, u, -1, du, -cost_now[d] + pi[d] - pu, dist, pred, pred_at, heap,
                    pos, size, touched, n_touched,
                )  # fmt: skip
            d = int(nxt[d])
    else:  # the sink: back to the unmatched demands and to the mentors with flow
        scanned += n_m
        d = int(first[n_m])
        while d >= 0 and size >= 0:
            if not done[d]:
                size, n_touched = _relax(
                    d, u, -1, du, pi[d] - pu, dist, pred, pred_at, heap, pos, size,
                    touched, n_touched,
                )  # fmt: skip
            d = int(nxt[d])
        for j in range(n_m):
            if size < 0:
                break
            if to_sink[j] > 0 and not done[n_d + j]:
                size, n_touched = _relax(
                    n_d + j, u, -1, du, pi[n_d + j] - pu, dist, pred, pred_at, heap,
                    pos, size, touched, n_touched,
                )  # fmt: skip
    return size, n_touched, scanned


@njit(cache=True, nogil=True)
def _rows_repair(
    indptr: I64,
    cols: I64,
    values: I64,
    active: NDArray[np.bool_],
    cap: I64,
    start: I64,
    labels: I64,
    weight: int,
    budget: int,
    assign: I64,
    pi: I64,
) -> int:
    """The repair of `repair_on_rows`. Nodes: demands 0..n_d-1, mentor j at n_d + j, the sink
    at n_d + n_m. Fills `assign` (mentor per demand, UNMATCHED, or IDLE) and `pi` (the
    scaled potentials); returns the number of augmenting paths, or FAILED."""
    n_d = indptr.shape[0] - 1
    n_m = cap.shape[0]
    sink = n_d + n_m
    n = sink + 1
    # kept arc of each demand (its position in the row), and the scaled cost of its arc now
    kept_at = np.full(n_d, -1, np.int64)
    cost_now = np.zeros(n_d, np.int64)
    at_now = np.full(n_d, -1, np.int64)
    first = np.full(n_m + 1, -1, np.int64)  # lists: each mentor's demands, then the unmatched
    nxt = np.full(n_d, -1, np.int64)
    prv = np.full(n_d, -1, np.int64)
    inflow = np.zeros(n_m, np.int64)
    to_sink = np.zeros(n_m, np.int64)  # flow on each mentor's arc to the sink
    imbalance = np.zeros(n, np.int64)
    for j in range(n_m):
        pi[n_d + j] = labels[j]
    pi[sink] = 0
    for d in range(n_d):
        if not active[d]:
            continue
        best = 0  # the unmatched arc: cost 0 to the sink at 0
        last = start[d]
        for k in range(indptr[d], indptr[d + 1]):
            j = cols[k]
            if cap[j] <= 0:
                continue
            c = -values[k] * weight
            if j == last:
                c -= 1
                kept_at[d] = k
            if c + labels[j] < best:
                best = c + labels[j]
        pi[d] = best
        k = kept_at[d]
        if k >= 0:
            j = cols[k]
            assign[d] = j
            cost_now[d] = -values[k] * weight - 1
            at_now[d] = k
            inflow[j] += 1
            _link(d, j, first, nxt, prv)
        else:
            assign[d] = UNMATCHED
            _link(d, n_m, first, nxt, prv)
    for j in range(n_m):
        to_sink[j] = min(inflow[j], cap[j])
        imbalance[n_d + j] = inflow[j] - to_sink[j]
        imbalance[sink] -= inflow[j] - to_sink[j]
    # saturate the residual arcs leaving a mentor or the sink whose reduced cost is below 0
    for j in range(n_m):
        v = n_d + j
        if to_sink[j] < cap[j] and pi[sink] - pi[v] < 0:  # room to the sink at a price above 0
            room = cap[j] - to_sink[j]
            to_sink[j] = cap[j]
            imbalance[v] -= room
            imbalance[sink] += room
        d = int(first[j])
        while d >= 0:
            after = int(nxt[d])
            if -cost_now[d] + pi[d] - pi[v] < 0:  # back along the pair: the pair is no best
                _unlink(d, j, first, nxt, prv)
                assign[d] = NO_ARC
                at_now[d] = -1
                inflow[j] -= 1
                imbalance[v] -= 1
                imbalance[d] += 1
            d = after
    d = int(first[n_m])
    while d >= 0:
        after = int(nxt[d])
        if pi[d] - pi[sink] < 0:  # unmatched with a pair worth more than nothing
            _unlink(d, n_m, first, nxt, prv)
            assign[d] = NO_ARC
            imbalance[sink] -= 1
            imbalance[d] += 1
        d = after
    # successive shortest paths, one unit each
    dist = np.full(n, INF, np.int64)
    pred = np.full(n, -1, np.int64)  # the node a settled node was reached from
    pred_at = np.full(n, -1, np.int64)  # the row position of that arc (a pair arc forward)
    done = np.zeros(n, np.bool_)
    pos = np.full(n, -1, np.int64)
    heap = np.empty(n, np.int64)
    touched = np.empty(n, np.int64)
    settled = np.empty(n, np.int64)
    path = np.empty(n, np.int64)
    scanned = 0
    paths = 0
    while True:
        size = 0
        n_touched = 0
        for v in range(n):
            if imbalance[v] > 0:
                dist[v] = 0
                heap[size] = v
                pos[v] = size
                size += 1
                touched[n_touched] = v
                n_touched += 1
        if size == 0:
            return paths
        target = -1
        n_settled = 0
        while size > 0:
            u = _pop(heap, pos, dist, size)
            size -= 1
            done[u] = True
            settled[n_settled] = u
            n_settled += 1
            if imbalance[u] < 0:
                target = u
                break
            size, n_touched, scanned = _expand(
                u, indptr, cols, values, cap, kept_at, cost_now, first, nxt, inflow, to_sink,
                weight, pi, dist, pred, pred_at, done, heap, pos, size, touched, n_touched,
                scanned,
            )  # fmt: skip
            if size < 0 or scanned > budget:
                return FAILED
        if target < 0:
            return FAILED
        reach = dist[target]
        if reach > INF >> 2:
            return FAILED
        for i in range(n_settled):
            v = settled[i]
            pi[v] += reach - dist[v]
        # the path from its source to the target, then one unit along it in that order
        length = 0
        v = target
        while pred[v] >= 0:
            path[length] = v
            length += 1
            v = pred[v]
        source = v
        imbalance[source] -= 1
        imbalance[target] += 1
        u = source
        for i in range(length - 1, -1, -1):
            v = path[i]
            if u < n_d:
                if v == sink:  # a demand's unit to its unmatched arc
                    assign[u] = UNMATCHED
                    _link(u, n_m, first, nxt, prv)
                else:  # ... to a mentor
                    k = pred_at[v]
                    j = v - n_d
                    assign[u] = j
                    at_now[u] = k
                    cost_now[u] = -values[k] * weight - (1 if k == kept_at[u] else 0)
                    inflow[j] += 1
                    _link(u, j, first, nxt, prv)
            elif u < sink:
                j = u - n_d
                if v == sink:  # a mentor's unit to the sink
                    to_sink[j] += 1
                else:  # back along a pair: the demand's unit leaves the mentor
                    _unlink(v, j, first, nxt, prv)
                    inflow[j] -= 1
                    assign[v] = NO_ARC
                    at_now[v] = -1
            else:
                if v < n_d:  # back along an unmatched arc
                    _unlink(v, n_m, first, nxt, prv)
                    assign[v] = NO_ARC
                else:  # back along a mentor's arc to the sink
                    to_sink[v - n_d] -= 1
            u = v
        paths += 1
        for i in range(n_touched):
            v = touched[i]
            dist[v] = INF
            pred[v] = -1
            pred_at[v] = -1
            done[v] = False
            pos[v] = -1


def warm_up() -> None:
    """Load the compiled row repair (about 0.1-0.2 CPU s once per process) on a tiny problem:
    for a session kept for re-solves, so that the first pin pays only for itself."""
    one = np.ones(1, np.int64)
    repair_on_rows(
        np.array([0, 1], np.int64), np.zeros(1, np.int64), one, 0, np.ones(1, bool), one,
        np.full(1, -1, np.int64), np.zeros(1, np.float64),
    )  # fmt: skip
