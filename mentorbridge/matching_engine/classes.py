"""Mentor classes: mentors whose score columns are identical and whose free capacity is equal.

Real cohorts are full of alike mentors (same level, department, languages, no stated
preferences) and programs that weight only a few factors. Every demand scores the members of
such a class the same, so the flow network treats a class as one node with the summed capacity
(see `solvers.flow`), and a demand that lists one member of a class can reach them all.

Two mentors are in one class when everything the score reads of them, for the factors with a
weight above 0, is equal and when they have the same free capacity. Hard rules (reporting
lines, exclusions, pairs that ended early) are left out of the key: with them, nearly every
mentor of a real organisation is alone (someone in their reporting line is a mentee). So the
class network is a relaxation: a demand reaches a class when some member is eligible, and a
mentee may send up to `size` units into it. Its optimum is an upper bound, and its duals price
every eligible pair (members share the class's price and scores). `split_class_flow` then gives
each demand a member it is eligible for, with at most one demand per mentee per member and the
members' capacities: a bipartite b-matching per class, greedy first and an exact max flow when
greedy gets stuck. When no split exists, the members with hard-rule exceptions among the
class's demands leave the class (`refine`) and the flow is solved again, so the result is
always exact: the same value as the relaxation, or a finer relaxation.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.text import TfidfIndex

I64 = NDArray[np.int64]


def has_members(classes: I64 | None) -> bool:
    """Whether some mentor class has two members or more (a class is its lowest member)."""
    if classes is None or not len(classes):
        return False
    return bool((classes != np.arange(len(classes))).any())


def mentor_classes(features: Features, capacity: I64) -> I64:
    """Per mentor, the lowest mentor index of its class (itself when it is alone)."""
    model = features.model
    n_m = model.n_mentors
    if n_m == 0:
        return np.zeros(0, np.int64)
    w = features.w
    rep = np.arange(n_m, dtype=np.int64)
    if _embedded(features):
        return rep
    preference = (
        _column_bytes(features.pref_rows, features.pref_cols, features.pref_vals, n_m)
        if w["preference"] > 0
        else [b""] * n_m
    )
    ranked = {ref for m in model.mentees for ref in m.ranked_mentors}
    seen: dict[tuple[Any, ...], int] = {}
    for j, profile in enumerate(_profile_keys(features)):
        key = (
            int(capacity[j]),
            preference[j],
            # stable and the shortlist treat ranked mentors apart
            model.mentor_ids[j] if model.mentor_ids[j] in ranked else None,
            profile,
        )
        rep[j] = seen.setdefault(key, j)
    return rep


def mentor_hubs(features: Features, classes: I64) -> I64 | None:
    """Per mentor, the lowest mentor index of its hub: the mentors whose scores differ only by
    explicit preferences (`exception_keys`), whatever their free capacity; None when no hub
    holds two classes (or text is embedded: see `mentor_classes`).

    At 100,000 x 30,000 `profiles` a fifth of the mentors are alone in their class only because
    some mentee ranks them, and a row lists up to 40 of them, copies of one profile: in the flow
    network a hub is one node those rows reach through one arc (see `flow.solve_min_cost`)."""
    n_m = features.model.n_mentors
    if n_m == 0 or _embedded(features):
        return None
    hub = np.arange(n_m, dtype=np.int64)
    seen: dict[tuple[Any, ...], int] = {}
    for j, profile in enumerate(_profile_keys(features)):
        hub[j] = seen.setdefault(profile, j)
    rep = np.asarray(classes, np.int64)
    first = np.full(n_m, n_m, np.int64)
    np.minimum.at(first, hub, rep)
    if not bool((first[hub] != rep).any()):
        return None  # every hub is one class
    return hub


def exception_keys(features: Features) -> I64:
    """Sorted keys demand * n_mentors + mentor of the pairs an explicit preference scores
    apart from the mentor's hub (a ranked mentor, a preferred or avoided mentee)."""
    if features.w["preference"] <= 0:
        return np.zeros(0, np.int64)
    width = max(features.model.n_mentors, 1)
    return np.unique(features.pref_rows * width + features.pref_cols).astype(np.int64)


def _embedded(features: Features) -> bool:
    """Whether text is weighted and scored on embeddings: matrix products need not give equal
    columns bit for bit, so no two mentors are taken as alike."""
    return not isinstance(features.text, TfidfIndex) and features.w["text"] > 0


def _profile_keys(features: Features) -> list[tuple[Any, ...]]:
    """Per mentor, everything the score reads of them apart from explicit preferences, for
    the factors with a weight above 0 (and whether they opted out)."""
    model = features.model
    w = features.w
    kind = features.kind
    out = []
    for j, p in enumerate(features.mentor_people):
        out.append(
            (
                bool(model.mentor_opt_out[j]),
                tuple(sorted(p.skills.items()))
                if w["goal_fit"] > 0 or (kind == "reverse" and w["seniority"] > 0)
                else None,
                (p.text, tuple(p.skills)) if w["text"] > 0 else None,
                p.level if w["seniority"] > 0 else None,
                p.timezone if w["timezone"] > 0 else None,
                tuple(sorted(p.languages)) if w["language"] > 0 else None,
                p.department if w["department"] > 0 else None,
                p.location if w["location"] > 0 else None,
                p.hours_per_month if w["availability"] > 0 else None,
            )
        )
    return out


def _column_bytes(
    rows: I64, cols: I64, values: NDArray[np.float32] | None, n_cols: int
) -> list[bytes]:
    """Per column, its (row, value) entries as bytes (equal bytes = equal entries)."""
    order = np.lexsort((rows, cols))
    rows, cols = rows[order], cols[order]
    ptr = np.searchsorted(cols, np.arange(n_cols + 1))
    out = [b""] * n_cols
    vals = values[order] if values is not None else None
    for j in np.flatnonzero(np.diff(ptr) > 0).tolist():
        a, b = int(ptr[j]), int(ptr[j + 1])
        out[j] = rows[a:b].tobytes() + (vals[a:b].tobytes() if vals is not None else b"")
    return out


EXACT_SPLIT_CELLS = 4_000_000  # a class's demands x members at most for `_split_exact`


def split_class_flow(
    demands: I64,
    classes: I64,
    demand_mentee: I64,
    rep: I64,
    capacity: I64,
    removed: I64 | None = None,
    partial: bool = False,
    equal_places: bool = True,
) -> tuple[I64, list[int]]:
    """Members for demands assigned to classes (mentor = class representative).

    `removed`: sorted keys demand * n_mentors + mentor of the pairs hard rules remove (None:
    none). Per class, the most constrained demands go first and each takes an eligible member
    its mentee does not have yet, with the most places left; when that gets stuck, an exact max
    flow decides. Returns the member per demand and the classes that cannot take their flow
    (their demands keep the representative; see `refine`). With `partial`, the demands of
    such a class get the members of the max flow's split instead, as many as it places, and
    -1 for the rest: a feasible assignment that leaves a few demands unmatched, not the whole
    class's (100,000 x 30,000 `profiles`: round 1 0.07 % below the optimum instead of 2.8 %,
    when all 1,692 focus areas of a class of 564 were left unmatched). Without
    `equal_places` (members of unequal places, or fewer members than a mentee's demands:
    hubs) every class takes the greedy split and the max flow.
    """
    out = classes.copy()
    n_m = len(rep)
    size = np.bincount(rep, minlength=n_m)
    shared = size[classes] > 1
    if not shared.any():
        return out, []
    members: dict[int, list[int]] = {}
    for j in np.flatnonzero(size[rep] > 1).tolist():
        members.setdefault(int(rep[j]), []).append(j)
    idx = np.flatnonzero(shared)
    order = np.lexsort((demands[idx], demand_mentee[demands[idx]], classes[idx]))
    idx = idx[order]
    by_class: dict[int, list[int]] = {}
    for k in idx.tolist():
        by_class.setdefault(int(classes[k]), []).append(k)
    banned = _banned(demands, classes, rep, removed, n_m)
    failed: list[int] = []
    for r, ks in by_class.items():
        if equal_places and not any(int(demands[k]) in banned.get(r, {}) for k in ks):
            _split_alike(ks, members[r], demands, demand_mentee, capacity, out)
            continue
        ban = banned.get(r, {})
        chosen, stuck = _split_greedy(ks, members[r], demands, demand_mentee, capacity, ban)
        if stuck:
            rules = (demands, demand_mentee, capacity, ban)
            if len(ks) * len(members[r]) <= EXACT_SPLIT_CELLS:
                chosen, complete = _split_exact(ks, members[r], *rules)
            else:
                complete = _place_by_paths(stuck, chosen, members[r], *rules)
            if not complete:
                failed.append(r)
                if not partial:
                    continue
                for k in ks:
                    out[k] = chosen.get(k, -1)
                continue
        for k, j in chosen.items():
            out[k] = j
    return out, failed


def _banned(
    demands: I64, classes: I64, rep: I64, removed: I64 | None, n_m: int
) -> dict[int, dict[int, set[int]]]:
    """Per class, per demand assigned to it: the members hard rules remove for that demand."""
    if removed is None or not len(removed) or not len(demands):
        return {}
    d = removed // max(n_m, 1)
    j = removed % max(n_m, 1)
    assigned_class = np.full(int(max(demands.max(), d.max())) + 1, -1, np.int64)
    assigned_class[demands] = classes
    hit = assigned_class[d] == rep[j]
    out: dict[int, dict[int, set[int]]] = {}
    for dd, jj in zip(d[hit].tolist(), j[hit].tolist(), strict=True):
        out.setdefault(int(rep[jj]), {}).setdefault(dd, set()).add(jj)
    return out


def _split_alike(
    ks: list[int], members: list[int], demands: I64, demand_mentee: I64, capacity: I64, out: I64
) -> None:
    """No hard-rule exception in the class: mentees with more demands first, each taking the
    members with the most places left (never stuck with equal capacities)."""
    by_mentee: dict[int, list[int]] = {}
    for k in ks:
        by_mentee.setdefault(int(demand_mentee[demands[k]]), []).append(k)
    heap = [(-int(capacity[j]), j) for j in members]
    heapq.heapify(heap)
    for _, group in sorted(by_mentee.items(), key=lambda item: (-len(item[1]), item[0])):
        taken = [heapq.heappop(heap) for _ in range(len(group))]
        if any(-left <= 0 for left, _ in taken):
            raise RuntimeError(f"class of mentor {members[0]} cannot take its flow")
        for k, (_, j) in zip(group, sorted(taken, key=lambda t: t[1]), strict=True):
            out[k] = j
        for left, j in taken:
            heapq.heappush(heap, (left + 1, j))


def _split_greedy(
    ks: list[int],
    members: list[int],
    demands: I64,
    demand_mentee: I64,
    capacity: I64,
    banned: dict[int, set[int]],
) -> tuple[dict[int, int], list[int]]:
    """Most constrained demands first, each to an allowed member with the most places left
    (ties: the lowest index). The members wait in a heap of (places left, index); an entry
    whose count is out of date is dropped when it comes up. Returns the member of each demand
    placed and the demands it could not place (stuck: every member with a place left is
    banned for them or their mentee's already)."""
    left = {j: int(capacity[j]) for j in members}
    heap = [(-n, j) for j, n in left.items() if n > 0]
    heapq.heapify(heap)
    used: dict[int, set[int]] = {}
    order = sorted(ks, key=lambda k: (-len(banned.get(int(demands[k]), ())), k))
    chosen: dict[int, int] = {}
    stuck: list[int] = []
    nothing: set[int] = set()
    for k in order:
        d = int(demands[k])
        mentee = int(demand_mentee[d])
        ban = banned.get(d, nothing)
        mine = used.get(mentee, nothing)
        best = -1
        passed = []
        while heap:
            negative, j = heapq.heappop(heap)
            if -negative != left[j]:
                continue  # out of date
            if j in ban or j in mine:
                passed.append((negative, j))
                continue
            best = j
            break
        for entry in passed:
            heapq.heappush(heap, entry)
        if best < 0:
            stuck.append(k)
            continue
        chosen[k] = best
        left[best] -= 1
        if left[best] > 0:
            heapq.heappush(heap, (-left[best], best))
        used.setdefault(mentee, set()).add(best)
    return chosen, stuck


def _place_by_paths(
    stuck: list[int],
    chosen: dict[int, int],
    members: list[int],
    demands: I64,
    demand_mentee: I64,
    capacity: I64,
    banned: dict[int, set[int]],
) -> bool:
    """Place the demands the greedy split left `stuck` (into `chosen`, in place) by augmenting
    paths: a stuck demand takes an allowed member whose place one of its demands gives up by
    moving on to another allowed member, and so on, until one moves to a member with a place
    left (a breadth-first search, each member visited once). Returns whether all were placed.

    For classes too large for `_split_exact`'s max flow, whose network lists every allowed
    (demand, member) pair: where every pair scores alike at 100,000 x 30,000, one class held
    about 10,000 members and 50,000 demands, 1.6 G pairs (24 GB). Nearly every pair is allowed
    (hard rules ban a few), so paths are short. A path never moves a demand to a member its
    mentee holds already, even where the flow would move that mentee's other demand away: a
    search that finds no path may miss one the max flow finds, and the class then counts as
    failed (`refine` splits it and the flow is solved again: slower, never wrong)."""
    mentee_of = {k: int(demand_mentee[demands[k]]) for k in chosen}
    mentee_of.update((k, int(demand_mentee[demands[k]])) for k in stuck)
    holders: dict[int, list[int]] = {j: [] for j in members}
    used: dict[int, set[int]] = {}
    for k, j in chosen.items():
        holders[j].append(k)
        used.setdefault(mentee_of[k], set()).add(j)
    left = {j: int(capacity[j]) - len(holders[j]) for j in members}
    free = [j for j in members if left[j] > 0]
    full = {j for j in members if left[j] <= 0}
    nothing: set[int] = set()

    def allowed(k: int, j: int) -> bool:
        return j not in banned.get(int(demands[k]), nothing) and j not in used.get(
            mentee_of[k], nothing
        )

    def move(k: int, j: int) -> None:
        old = chosen.get(k, -1)
        if old >= 0:
            holders[old].remove(k)
            used[mentee_of[k]].discard(old)
            left[old] += 1
        holders[j].append(k)
        used.setdefault(mentee_of[k], set()).add(j)
        left[j] -= 1
        chosen[k] = j

    def free_for(k: int) -> int:
        return next((j for j in free if left[j] > 0 and allowed(k, j)), -1)

    for start in stuck:
        leaves = {start: -1}  # demand on the path -> the member it gives up
        taker: dict[int, int] = {}  # member on the path -> the demand that takes its place
        unvisited = set(full)
        queue = deque([start])
        end = (start, free_for(start))
        # breadth first; a demand is tested for a free member as it joins the queue, so the
        # search stops at the first path found (mostly after a member or two)
        while end[1] < 0 and queue:
            k = queue.popleft()
            for j in list(unvisited):
                if not allowed(k, j):
                    continue
                unvisited.discard(j)
                taker[j] = k
                for other in holders[j]:
                    if other not in leaves:
                        leaves[other] = j
                        end = (other, free_for(other))
                        if end[1] >= 0:
                            break
                        queue.append(other)
                if end[1] >= 0:
                    break
        if end[1] < 0:
            return False
        k, j = end
        while True:  # each demand on the path moves on; the one before it takes its place
            given_up = leaves[k]
            move(k, j)
            if given_up < 0:
                break
            k, j = taker[given_up], given_up
        free = [j for j in free if left[j] > 0]
        if left[end[1]] <= 0:
            full.add(end[1])
    return True


def _split_exact(
    ks: list[int],
    members: list[int],
    demands: I64,
    demand_mentee: I64,
    capacity: I64,
    banned: dict[int, set[int]],
) -> tuple[dict[int, int], bool]:
    """The class's split as a max flow: source -> demand -> (mentee, member) -> member -> sink.
    Returns the member of every demand it places and whether it places them all.

    The arcs are built as arrays, not one call each (a class of 564 members with 1,692 demands
    at 100,000 x 30,000 `profiles` has 0.95 M of them: 3.4 s in a Python loop)."""
    from ortools.graph.python import max_flow

    n, m = len(ks), len(members)
    if not n:
        return {}, True
    k_of = np.asarray(ks, np.int64)
    member = np.asarray(members, np.int64)
    d_of = demands[k_of]
    allowed = np.ones((n, m), bool)
    position = {j: i for i, j in enumerate(members)}
    for row, d in enumerate(d_of.tolist()):
        for j in banned.get(d, ()):
            if j in position:
                allowed[row, position[j]] = False
    pair_row, pair_member = np.nonzero(allowed)
    _, mentee_of = np.unique(demand_mentee[d_of], return_inverse=True)
    keys, pair_node = np.unique(mentee_of[pair_row] * m + pair_member, return_inverse=True)
    # nodes: source 0, sink 1, demands 2.., members 2 + n.., (mentee, member) 2 + n + m..
    first_member, first_key = 2 + n, 2 + n + m
    rows = np.arange(n, dtype=np.int64)
    tails = np.concatenate(
        [
            np.zeros(n, np.int64),
            2 + pair_row,
            first_key + np.arange(len(keys)),
            first_member + np.arange(m),
        ]
    )
    heads = np.concatenate(
        [2 + rows, first_key + pair_node, first_member + keys % m, np.ones(m, np.int64)]
    )
    caps = np.concatenate(
        [np.ones(n + len(pair_row) + len(keys), np.int64), np.maximum(capacity[member], 0)]
    )
    solver = max_flow.SimpleMaxFlow()
    solver.add_arcs_with_capacity(tails, heads, caps)
    if solver.solve(0, 1) != solver.OPTIMAL:
        return {}, False
    flows = np.asarray(solver.flows(n + np.arange(len(pair_row), dtype=np.int64)))
    used = flows > 0
    chosen = dict(
        zip(k_of[pair_row[used]].tolist(), member[pair_member[used]].tolist(), strict=True)
    )
    return chosen, len(chosen) == n


def refine(rep: I64, failed: list[int], removed: I64 | None, demands: I64) -> None:
    """Take the members with hard-rule exceptions among `demands` out of the failed classes
    (in place): they become classes of their own, the rest keep a class (its lowest index)."""
    n_m = len(rep)
    excepted: set[int] = set()
    if removed is not None and len(removed):
        pair_rows = removed // max(n_m, 1)
        pair_cols = removed % max(n_m, 1)
        excepted = set(pair_cols[np.isin(pair_rows, demands)].tolist())
    for r in failed:
        group = np.flatnonzero(rep == r).tolist()
        out = [m for m in group if m in excepted]
        if not out or len(out) == len(group):
            out = group  # nothing to tell apart: every member alone
        for m in out:
            rep[m] = m
        taken_out = set(out)
        rest = [m for m in group if m not in taken_out]
        if rest:
            rep[np.array(rest, np.int64)] = min(rest)
