"""`fair` objective: maximise the worst matched score, then the total.

1. The largest number of demands that can be matched at all (max flow).
2. The highest threshold t such that that many demands can still be matched using only pairs
   with score >= t (binary search over the distinct shortlisted scores, max flow each).
3. Among matchings with that many demands and all pairs >= t, the best total (min-cost flow with
   a bonus per matched demand that outweighs any score difference).

Steps 1 and 2 take about 20 max flows in a round whose threshold moves. Where every mentor is
alone in its class and no mentee has two focus areas on the arcs (the app's rounds: one focus
area each), a max flow is a bipartite b-matching, found here by Hopcroft-Karp phases
(`_max_b_matching`) from the last feasible level's matching: the pairs below the new level
dropped, the few demands they leave free placed again. Elsewhere OR-Tools' max flow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays, kernels
from mentorbridge.matching_engine.classes import has_members
from mentorbridge.matching_engine.solvers.flow import Arcs, max_matching_size

I64 = NDArray[np.int64]


@dataclass
class FairThreshold:
    """The bottleneck threshold and how many demands are matched at it."""

    threshold: int
    matched: int


def restrict(arcs: Arcs, threshold: int) -> Arcs:
    """Only the arcs whose score is at least `threshold`."""
    keep = arcs.values >= threshold
    return arcs.subset(keep)


def bottleneck_threshold(arcs: Arcs, known: FairThreshold | None = None) -> FairThreshold:
    """Highest score threshold that keeps the maximum number of demands matched.

    `known` is the answer on a subset of these arcs (the last round's shortlist): when the
    largest number matched is the same, its threshold is still feasible, so the search starts
    there and probes upwards (the threshold rarely moves between rounds).
    """
    if len(arcs.values) == 0:
        return FairThreshold(threshold=0, matched=0)
    levels = arrays.unique(arcs.values)
    bipartite = _bipartite(arcs)
    if bipartite is None:
        most, _ = max_matching_size(arcs)

        def feasible(level: int) -> bool:
            return max_matching_size(restrict(arcs, int(levels[level])))[0] == most

    else:
        indptr, cols, values = bipartite
        best = np.full(arcs.n_demands, -1, np.int64)  # a largest matching at the last level met
        most = _max_b_matching(indptr, cols, values, int(levels[0]), arcs.capacity, best)

        def feasible(level: int) -> bool:
            nonlocal best
            start = best.copy()
            found = _max_b_matching(indptr, cols, values, int(levels[level]), arcs.capacity, start)
            if found == most:
                best = start
            return found == most

    if most == 0:
        return FairThreshold(threshold=0, matched=most)
    lo, hi = 0, len(levels) - 1  # levels[lo] is always feasible
    start = int(np.searchsorted(levels, known.threshold)) if known is not None else 0
    if known is not None and known.matched == most and levels[min(start, hi)] == known.threshold:
        lo, step = start, 1
        while lo + step <= hi:
            if not feasible(lo + step):
                hi = lo + step - 1
                break
            lo, step = lo + step, 2 * step
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if feasible(mid):
            lo = mid
        else:
            hi = mid - 1
    return FairThreshold(threshold=int(levels[lo]), matched=most)


def _bipartite(arcs: Arcs) -> tuple[I64, I64, I64] | None:
    """The arcs by demand (CSR: pointers, mentors, values) where the max flow is a bipartite
    b-matching: every mentor alone in its class (the pairs then are the eligible ones), no
    hubs, and no mentee with two focus areas on the arcs (its intermediate node would bind);
    else None."""
    if has_members(arcs.mentor_class):
        return None  # a class of members: its flow is split afterwards
    if arcs.hub is not None or arcs.transfers is not None:
        return None
    indptr, order = kernels.group_by_source(arcs.rows, arcs.n_demands)
    demands = np.flatnonzero(np.diff(indptr) > 0)
    if len(arrays.unique(arcs.demand_mentee[demands])) != len(demands):
        return None
    return indptr, arcs.cols[order], arcs.values[order]


@njit(cache=True, nogil=True)
def _max_b_matching(indptr, cols, values, level, capacity, assigned):
    """The size of a largest matching on the arcs with value >= `level` (demand d's arcs:
    `cols[indptr[d]:indptr[d + 1]]`; mentor j takes up to `capacity[j]` demands), left in
    `assigned` (mentor per demand, -1 unmatched). It starts from `assigned`: the pairs it holds
    that are not arcs at the level, or beyond a mentor's capacity, are dropped first.

    Hopcroft-Karp phases: a breadth-first search from every free demand in layers (a demand,
    a full mentor it has an arc to, the demands that mentor holds, ...) up to the first layer
    that reaches a mentor with a free place, then depth-first searches along the layers for
    disjoint augmenting paths; until no free place can be reached (the matching is then
    maximum)."""
    n_d = indptr.shape[0] - 1
    n_m = capacity.shape[0]
    slot_ptr = np.zeros(n_m + 1, np.int64)
    for j in range(n_m):
        slot_ptr[j + 1] = slot_ptr[j] + max(capacity[j], 0)
    held = np.full(slot_ptr[n_m], -1, np.int64)
    load = np.zeros(n_m, np.int64)
    slot_of = np.full(n_d, -1, np.int64)
    size = 0
    for d in range(n_d):
        j = assigned[d]
        if j < 0:
            continue
        listed = False
        for p in range(indptr[d], indptr[d + 1]):
            if cols[p] == j and values[p] >= level:
                listed = True
                break
        if listed and load[j] < slot_ptr[j + 1] - slot_ptr[j]:
            slot_of[d] = slot_ptr[j] + load[j]
            held[slot_of[d]] = d
            load[j] += 1
            size += 1
        else:
            assigned[d] = -1
    # greedy: each free demand takes its first arc at the level with a free place
    for d in range(n_d):
        if assigned[d] >= 0:
            continue
        for p in range(indptr[d], indptr[d + 1]):
            j = cols[p]
            if values[p] >= level and load[j] < slot_ptr[j + 1] - slot_ptr[j]:
                assigned[d] = j
                slot_of[d] = slot_ptr[j] + load[j]
                held[slot_of[d]] = d
                load[j] += 1
                size += 1
                break
    unreached = n_d + 1
    dist = np.empty(n_d, np.int64)
    queue = np.empty(n_d, np.int64)
    path = np.empty(n_d, np.int64)
    via = np.empty(n_d, np.int64)
    next_arc = np.empty(n_d, np.int64)
    next_slot = np.empty(n_d, np.int64)
    while True:
        tail = 0
        for d in range(n_d):
            dist[d] = unreached
            if assigned[d] < 0 and indptr[d + 1] > indptr[d]:
                dist[d] = 0
                queue[tail] = d
                tail += 1
        limit = unreached
        head = 0
        while head < tail:
            u = queue[head]
            head += 1
            if dist[u] + 1 > limit:
                break
            for p in range(indptr[u], indptr[u + 1]):
                if values[p] < level:
                    continue
                j = cols[p]
                if load[j] < slot_ptr[j + 1] - slot_ptr[j]:
                    limit = min(limit, dist[u] + 1)
                    continue
                for s in range(slot_ptr[j], slot_ptr[j + 1]):
                    w = held[s]
                    if dist[w] == unreached:
                        dist[w] = dist[u] + 1
                        queue[tail] = w
                        tail += 1
        if limit == unreached:
            return size
        for d in range(n_d):
            next_arc[d] = indptr[d]
            next_slot[d] = -1
        for root in range(n_d):
            if assigned[root] >= 0 or dist[root] != 0:
                continue
            top = 0
            path[0] = root
            free = -1
            while top >= 0 and free < 0:
                u = path[top]
                deeper = False
                while next_arc[u] < indptr[u + 1]:
                    p = next_arc[u]
                    j = cols[p]
                    if values[p] >= level:
                        if load[j] < slot_ptr[j + 1] - slot_ptr[j]:
                            if dist[u] + 1 == limit:
                                free = j
                                break
                        elif dist[u] + 1 < limit:
                            if next_slot[u] < 0:
                                next_slot[u] = slot_ptr[j]
                            while next_slot[u] < slot_ptr[j + 1]:
                                w = held[next_slot[u]]
                                next_slot[u] += 1
                                if dist[w] == dist[u] + 1:
                                    top += 1
                                    path[top] = w
                                    via[top] = j
                                    deeper = True
                                    break
                            if deeper:
                                break
                    next_arc[u] += 1
                    next_slot[u] = -1
                if free >= 0 or deeper:
                    continue
                dist[u] = unreached  # no path on from here in this phase
                top -= 1
            if free < 0:
                continue
            # path[0] takes path[1]'s place at via[1], ..., path[top] a free place at `free`
            slot = slot_ptr[free] + load[free]
            load[free] += 1
            mentor = free
            for k in range(top, -1, -1):
                d = path[k]
                old = slot_of[d]
                held[slot] = d
                slot_of[d] = slot
                assigned[d] = mentor
                dist[d] = unreached  # the paths of one phase share no demand
                slot = old
                mentor = via[k]
            size += 1
