"""`stable` objective: mentee-proposing deferred acceptance with capacities, over every
eligible pair.

Each demand (mentee, focus area) proposes to mentors in the mentee's stated order first
(`ranked_mentors`), then by score (ties: the mentor order rotated by a per-demand offset,
`kernels.tie_rotation`, as the shortlist breaks them: with "lower mentor first" every demand
of a cohort scoring alike proposed to the same mentors, and their lists grew to thousands of
mentors each, 79 s and 10 GB at 20,000 x 6,000). A mentor ranks demands:
`prefer_mentees` first, then neutral, `avoid_mentees` last, each tier by score, then by demand
position. A mentor holds at most `capacity` demands and at most one per mentee (a mentee never
gets the same mentor twice); from a set of proposals it keeps the best one per mentee, then
the best `capacity`. That choice rule is substitutable, so the result is stable (no demand and
mentor both prefer each other to what they have, over all eligible pairs) and it is the
demand-optimal stable matching: every demand gets the best mentor it has in any stable matching.

Known pairs: the shortlist's rows, the mentors' reserve and the pairs of mentors that prefer a
mentee (scored up front). Any other eligible pair (d, j) is *unknown*: it scores at most
min(E_d, X_j) (the best score d's row left out, j's column floor) and it is in the neutral or
the avoid tier. A mentor whose places are all taken by demands it ranks above what an unknown
pair could reach (`_open_columns`) never takes one, so unknown pairs are scored only against
the other mentors (`ColumnView`), and only for rows whose E_d could reach one of them.

Proposals start with each demand's known prefix: its ranked mentors and the known pairs scoring
above E_d. A demand that runs out goes on with the mentors beyond its list that would take it
now (known pairs, and unknown ones scored as above), best first, EXTEND at a time. A mentor that
turns a demand down once always does (once full, the worst demand it holds only gets better),
so leaving out the mentors that would refuse it changes nothing.

The blocking-pair count runs over every eligible pair the same way: each demand's list and
known pairs, then its unknown pairs with the mentors that might take them, scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays
from mentorbridge.matching_engine.kernels import tie_rotation

I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
SCALE = 1_000_000
TIER_SHIFT = 50
SCORE_SHIFT = 22
# mentors appended to a demand's proposals when it runs out: EXTEND the first time, four times
# as many each time after (at most MAX_EXTEND), so that a demand refused by many alike mentors
# is not scored again round after round
EXTEND = 64
MAX_EXTEND = 4096
NO_PLACES = -2
RANKED_BASE = 1 << 30  # demand-side keys: ranked mentors (their position) before the rest
EMPTY = np.zeros(0, np.int64)


@dataclass
class StableInput:
    """What deferred acceptance reads: the demands' lists and the mentors' rankings."""

    demand_mentee: I64
    mentee_start: I64
    capacity: I64  # free places per mentor
    active: NDArray[np.bool_]
    ranked_ptr: I64  # per demand: ranked mentors (CSR), in the mentee's order
    ranked_cols: I64
    tier_ptr: I64  # per demand: mentors that prefer (0) or avoid (2) its mentee (CSR)
    tier_cols: I64
    tier_vals: I64
    excluded_best: I64  # per demand: an upper bound of its scores left out of the shortlist
    column_excluded: I64  # per mentor: an upper bound of its scores neither listed nor reserve
    known_ptr: I64  # per demand (CSR): the shortlist's row, by score descending then mentor
    known_cols: I64
    known_scores: I64
    extra_ptr: I64  # per demand (CSR): more known pairs (reserve, preferring mentors)
    extra_cols: I64
    extra_scores: I64


@njit(cache=True, nogil=True)
def _tier(d, j, tier_ptr, tier_cols, tier_vals):
    for k in range(tier_ptr[d], tier_ptr[d + 1]):
        if tier_cols[k] == j:
            return tier_vals[k]
    return 1


@njit(cache=True, nogil=True)
def _mentor_key(d, j, score, tier_ptr, tier_cols, tier_vals):
    tier = _tier(d, j, tier_ptr, tier_cols, tier_vals)
    return (tier << TIER_SHIFT) | ((SCALE - score) << SCORE_SHIFT) | d


@njit(cache=True, nogil=True)
def _ranked_position(d, j, ranked_ptr, ranked_cols):
    for k in range(ranked_ptr[d], ranked_ptr[d + 1]):
        if ranked_cols[k] == j:
            return k - ranked_ptr[d]
    return -1


@njit(cache=True, nogil=True)
def _turned(j, rotation, n_mentors):
    """Mentor j's place in the mentor order rotated by `rotation`."""
    t = j - rotation
    return t + n_mentors if t < 0 else t


@njit(cache=True, nogil=True)
def _turn(d, j, n_mentors):
    """Mentor j's place in demand d's order of tied mentors: the mentor order rotated by d's
    offset (`kernels.tie_rotation`, as the shortlist breaks ties)."""
    return _turned(j, tie_rotation(d, n_mentors), n_mentors)


@njit(cache=True, nogil=True)
def _unranked_key(score, turn):
    """The demand key of a mentor it does not rank (see `_demand_key`)."""
    return ((RANKED_BASE + SCALE - score) << 21) | turn


@njit(cache=True, nogil=True)
def _unturn(d, t, n_mentors):
    j = t + tie_rotation(d, n_mentors)
    return j - n_mentors if j >= n_mentors else j


@njit(cache=True, nogil=True)
def _demand_key(d, j, score, ranked_ptr, ranked_cols, n_mentors):
    """Smaller = the demand likes the mentor better: ranked first, then score, then the
    demand's rotated mentor order (`_turn`)."""
    pos = _ranked_position(d, j, ranked_ptr, ranked_cols)
    if pos >= 0:
        return (pos << 21) | j
    return _unranked_key(score, _turn(d, j, n_mentors))


@njit(cache=True, nogil=True)
def _try(d, j, key, held, held_key, slot_ptr, demand_mentee, assigned, stack, top):
    """Mentor j considers demand d; returns the new stack top (-1 when j refuses d)."""
    a, b = slot_ptr[j], slot_ptr[j + 1]
    if a == b:
        return -1
    m = demand_mentee[d]
    empty = -1
    worst = -1
    for s in range(a, b):
        h = held[s]
        if h < 0:
            empty = s
            continue
        if demand_mentee[h] == m:
            if key < held_key[s]:
                assigned[h] = -1
                stack[top] = h
                held[s], held_key[s] = d, key
                assigned[d] = j
                return top + 1
            return -1
        if worst < 0 or held_key[s] > held_key[worst]:
            worst = s
    if empty >= 0:
        held[empty], held_key[empty] = d, key
        assigned[d] = j
        return top
    if key < held_key[worst]:
        h = held[worst]
        assigned[h] = -1
        stack[top] = h
        held[worst], held_key[worst] = d, key
        assigned[d] = j
        return top + 1
    return -1


@njit(cache=True, nogil=True)
def _propose(
    queue, list_ptr, list_cols, list_keys, nxt, held, held_key, slot_ptr, demand_mentee, assigned
):
    """Deferred acceptance from the current state for the demands in `queue`."""
    stack = np.empty(len(assigned) + len(queue), np.int64)
    top = 0
    for d in queue:
        stack[top] = d
        top += 1
    while top > 0:
        top -= 1
        d = stack[top]
        while nxt[d] < list_ptr[d + 1]:
            k = nxt[d]
            nxt[d] += 1
            result = _try(
                d,
                list_cols[k],
                list_keys[k],
                held,
                held_key,
                slot_ptr,
                demand_mentee,
                assigned,
                stack,
                top,
            )
            if result >= 0:
                top = result
                break


@njit(cache=True, nogil=True)
def _worst_keys(held, held_key, slot_ptr, n_mentors):
    """Per mentor: the key a newcomer must beat (-1: a free place takes anyone; NO_PLACES:
    the mentor has no place in this round)."""
    out = np.empty(n_mentors, np.int64)
    for j in range(n_mentors):
        worst = -1
        for s in range(slot_ptr[j], slot_ptr[j + 1]):
            if held[s] < 0:
                worst = -1
                break
            if held_key[s] > worst:
                worst = held_key[s]
        out[j] = worst if slot_ptr[j + 1] > slot_ptr[j] else NO_PLACES
    return out


@njit(cache=True, nogil=True)
def _mark_row(d, ptr, cols, vals, out, value_of_position):
    """Write the row's entries into `out` (per mentor): the value, or the entry's position."""
    for k in range(ptr[d], ptr[d + 1]):
        out[cols[k]] = k - ptr[d] if value_of_position else vals[k]


@njit(cache=True, nogil=True)
def _clear_row(d, ptr, cols, out, value):
    for k in range(ptr[d], ptr[d + 1]):
        out[cols[k]] = value


@njit(cache=True, nogil=True)
def _sibling_refuses(d, j, key, slot_ptr, held, held_key, demand_mentee):
    """Mentor j holds another demand of d's mentee that it ranks above d."""
    m = demand_mentee[d]
    for t in range(slot_ptr[j], slot_ptr[j + 1]):
        h = held[t]
        if h >= 0 and h != d and demand_mentee[h] == m:
            return key >= held_key[t]
    return False


@njit(cache=True, nogil=True)
def _accepts(
    d, j, s, worst, slot_ptr, held, held_key, demand_mentee, tier_ptr, tier_cols, tier_vals
):
    key = _mentor_key(d, j, s, tier_ptr, tier_cols, tier_vals)
    if _sibling_refuses(d, j, key, slot_ptr, held, held_key, demand_mentee):
        return False
    m = demand_mentee[d]
    for t in range(slot_ptr[j], slot_ptr[j + 1]):
        h = held[t]
        if h >= 0 and h != d and demand_mentee[h] == m:
            return True  # it would swap the sibling for d
    return worst[j] < 0 or key < worst[j]


Scorer = Callable[[I64], I32]
View = Callable[[I64 | None], Scorer]  # mentors (None: all) -> scores of rows x those mentors
BIG = np.int64(1) << 62
VIEW_GROUPS = 8  # groups of rows by E_d, each scored against the mentors it may reach
VIEW_GROUP_ROWS = 4_000  # fewer rows than this: one group


@njit(cache=True, nogil=True)
def _accepts_now(d, j, s, tier, worst):
    """Mentor j would take demand d at score s now (ignoring its mentee's other demands)."""
    w = worst[j]
    if w == NO_PLACES:
        return False
    return w < 0 or ((tier << TIER_SHIFT) | ((SCALE - s) << SCORE_SHIFT) | d) < w


@njit(cache=True, nogil=True)
def _shrink(buf, n, limit):
    """Keep the `limit` smallest of buf[:n] in buf[:limit]; returns the largest kept."""
    kept = np.partition(buf[:n], limit - 1)[:limit]
    buf[:limit] = kept
    return kept.max()


@njit(cache=True, nogil=True)
def _extensions(
    rows, values, vcols, listed, known, extra, worst, tiers, limits, out_cols, out_scores
):
    """Per row: up to `limits[r]` mentors beyond its list that would take it now, best first:
    among its known pairs and the view's mentors `vcols` (scores `values`, rows x vcols).
    Keys (score descending, then mentor) go to a buffer of twice the limit, cut down to the
    limit smallest whenever it fills; keys above the largest kept are skipped after that."""
    n_m = len(worst)
    list_ptr, list_cols = listed
    count = np.zeros(len(rows), np.int64)
    mark = np.zeros(n_m, np.bool_)
    tier = np.ones(n_m, np.int64)
    buf = np.empty(2 * max(1, limits.max()) if len(limits) else 2, np.int64)
    for r in range(len(rows)):
        d = rows[r]
        limit = limits[r]
        for k in range(list_ptr[d], list_ptr[d + 1]):
            mark[list_cols[k]] = True
        _mark_row(d, tiers[0], tiers[1], tiers[2], tier, False)
        n = 0
        above = BIG  # keys from here on are not wanted
        for ptr, cols, scores in (known, extra):
            for k in range(ptr[d], ptr[d + 1]):
                j = cols[k]
                if mark[j]:
                    continue
                mark[j] = True
                s = scores[k]
                key = ((SCALE - s) << 21) | _turn(d, j, n_m)
                if s >= 0 and key < above and _accepts_now(d, j, s, tier[j], worst):
                    buf[n] = key
                    n += 1
                    if n == 2 * limit:
                        above = _shrink(buf, n, limit)
                        n = limit
        for c in range(len(vcols)):
            j = vcols[c]
            s = np.int64(values[r, c])
            key = ((SCALE - s) << 21) | _turn(d, j, n_m)
            if mark[j] or s < 0 or key >= above or not _accepts_now(d, j, s, tier[j], worst):
                continue
            buf[n] = key
            n += 1
            if n == 2 * limit:
                above = _shrink(buf, n, limit)
                n = limit
        _clear_row(d, list_ptr, list_cols, mark, False)
        _clear_row(d, known[0], known[1], mark, False)
        _clear_row(d, extra[0], extra[1], mark, False)
        _clear_row(d, tiers[0], tiers[1], tier, 1)
        if n > limit:
            _shrink(buf, n, limit)
            n = limit
        chosen = np.sort(buf[:n])
        for k in range(n):
            out_cols[r, k] = _unturn(d, chosen[k] & ((1 << 21) - 1), n_m)
            out_scores[r, k] = SCALE - (chosen[k] >> 21)
        count[r] = n
    return count


@njit(cache=True, nogil=True)
def _blocks(d, j, s, assigned, current_key, worst, slots, demand_mentee, ranked, tiers):
    """Whether (d, j) at score s is a blocking pair."""
    if s < 0 or j == assigned[d]:
        return False
    slot_ptr, held, held_key = slots
    if slot_ptr[j + 1] == slot_ptr[j]:
        return False
    n_m = len(worst)
    if current_key[d] >= 0 and _demand_key(d, j, s, ranked[0], ranked[1], n_m) > current_key[d]:
        return False
    return _accepts(
        d, j, s, worst, slot_ptr, held, held_key, demand_mentee, tiers[0], tiers[1], tiers[2]
    )


@njit(cache=True, nogil=True)
def _blocking_rows(
    rows,
    values,
    vcols,
    listed,
    known,
    extra,
    assigned,
    current_key,
    worst,
    slots,
    mentee,
    ranked,
    tiers,
):
    """Blocking pairs of rows: with the mentors of their lists and known pairs, then with the
    view's mentors `vcols` (scores `values`, rows x vcols) not among those. A pair the demand
    does not prefer to its mentor (by score and its rotated order, for mentors it does not
    rank), or the mentor would not take now even with a free choice of its held demands, is
    skipped first (cheap: where every pair ties, each row is scored against every mentor)."""
    n_m = len(worst)
    mark = np.zeros(n_m, np.bool_)
    tier = np.ones(n_m, np.int64)
    position = np.full(n_m, -1, np.int64)  # the row's ranked mentors
    found = 0
    for r in range(len(rows)):
        d = rows[r]
        _mark_row(d, tiers[0], tiers[1], tiers[2], tier, False)
        _mark_row(d, ranked[0], ranked[1], ranked[1], position, True)
        rot = tie_rotation(d, n_m)
        now = current_key[d]
        for ptr, cols, scores in (listed, known, extra):
            for k in range(ptr[d], ptr[d + 1]):
                j = cols[k]
                if mark[j]:
                    continue
                mark[j] = True
                s = scores[k]
                if not (s >= 0 and _accepts_now(d, j, s, tier[j], worst)):
                    continue
                if _blocks(d, j, s, assigned, current_key, worst, slots, mentee, ranked, tiers):
                    found += 1
        for c in range(len(vcols)):
            j = vcols[c]
            s = np.int64(values[r, c])
            if mark[j] or s < 0:
                continue
            # _demand_key, with the row's rotation at hand
            if now >= 0 and position[j] < 0 and _unranked_key(s, _turned(j, rot, n_m)) > now:
                continue
            if not _accepts_now(d, j, s, tier[j], worst):
                continue
            if _blocks(d, j, s, assigned, current_key, worst, slots, mentee, ranked, tiers):
                found += 1
        _clear_row(d, ranked[0], ranked[1], position, -1)
        _clear_row(d, listed[0], listed[1], mark, False)
        _clear_row(d, known[0], known[1], mark, False)
        _clear_row(d, extra[0], extra[1], mark, False)
        _clear_row(d, tiers[0], tiers[1], tier, 1)
    return found


@njit(cache=True, nogil=True)
def _initial_lists(known, extra, active, capacity, excluded_best, ranked, tiers):
    """CSR proposal lists (cols, scores, mentor keys) in each demand's order: its ranked mentors
    (known pairs, in the mentee's order), then the known pairs scoring above everything its
    shortlist left out (by score descending, then mentor): surely a prefix of its order."""
    n_d = len(active)
    n_m = len(capacity)
    ranked_ptr, ranked_cols = ranked
    ptr = np.zeros(n_d + 1, np.int64)
    size = 0
    for d in range(n_d):
        if active[d]:
            size += ranked_ptr[d + 1] - ranked_ptr[d] + known[0][d + 1] - known[0][d]
    cols = np.empty(size, np.int64)
    scores = np.empty(size, np.int64)
    n = 0
    for d in range(n_d):
        if active[d]:
            for r in range(ranked_ptr[d], ranked_ptr[d + 1]):
                j = ranked_cols[r]
                if capacity[j] <= 0 or _ranked_position(d, j, ranked_ptr, ranked_cols) != (
                    r - ranked_ptr[d]
                ):
                    continue  # no places, or ranked twice
                s = -1
                for source in (known, extra):
                    for k in range(source[0][d], source[0][d + 1]):
                        if source[1][k] == j:
                            s = source[2][k]
                    if s >= 0:
                        break
                if s >= 0:
                    cols[n], scores[n] = j, s
                    n += 1
            first = n
            for k in range(known[0][d], known[0][d + 1]):
                j = known[1][k]
                s = known[2][k]
                if (
                    capacity[j] > 0
                    and s > excluded_best[d]
                    and _ranked_position(d, j, ranked_ptr, ranked_cols) < 0
                ):
                    cols[n], scores[n] = j, s
                    n += 1
            if n - first > 1:  # the row is by score, then mentor: ties go in d's own order
                order = np.empty(n - first, np.int64)
                for k in range(first, n):
                    order[k - first] = ((SCALE - scores[k]) << 21) | _turn(d, cols[k], n_m)
                order.sort()
                for k in range(first, n):
                    key = order[k - first]
                    scores[k] = SCALE - (key >> 21)
                    cols[k] = _unturn(d, key & ((1 << 21) - 1), n_m)
        ptr[d + 1] = n
    cols, scores = cols[:n], scores[:n]
    keys = np.empty(n, np.int64)
    for d in range(n_d):
        for k in range(ptr[d], ptr[d + 1]):
            keys[k] = _mentor_key(d, cols[k], scores[k], tiers[0], tiers[1], tiers[2])
    return ptr, cols, scores, keys


def _open_columns(worst: I64, column_excluded: I64) -> tuple[I64, I64]:
    """Mentors that might take an unknown pair (neutral or avoid tier, score <= X_j), and per
    mentor the lowest score of such a pair it might take (BIG: none)."""
    full = worst >= 0
    tier = np.where(full, worst >> TIER_SHIFT, 0)
    worst_score = np.where(full, SCALE - ((worst >> SCORE_SHIFT) & ((1 << 28) - 1)), 0)
    lowest = np.where(worst == -1, 0, BIG)
    lowest = np.where(full & (tier == 2), 0, lowest)
    lowest = np.where(full & (tier == 1), worst_score, lowest)
    lowest[(column_excluded < lowest) | (column_excluded < 0)] = BIG
    return np.flatnonzero(lowest < BIG).astype(np.int64), lowest


@dataclass
class StableOutcome:
    """Mentor per demand (-1 unmatched), each pair's score, and the blocking-pair count."""

    assigned: I64
    scores: I64
    blocking_pairs: int
    extended_rows: int
    scored_cells: int  # unknown pairs scored (proposals beyond the lists and the count)


def _with_views(
    rows: I64,
    data: StableInput,
    worst: I64,
    view: View,
    blocks: Callable[[int, int], list[tuple[int, int]]],
    need: NDArray[np.bool_] | None = None,
) -> Iterator[tuple[I64, NDArray[np.int32], I64]]:
    """(rows, scores, mentors) blocks, one at a time: rows whose unknown pairs some mentor might
    take (and `need`), against those mentors; the other rows with no mentor. The rows are
    taken in VIEW_GROUPS groups by E_d, each against the mentors its largest E_d reaches."""
    n_m = len(worst)
    cols, lowest = _open_columns(worst, data.column_excluded)
    reach = data.excluded_best[rows]
    scored = (reach >= 0) & (reach >= lowest[cols].min(initial=BIG))
    if need is not None:
        scored &= need
    rest = rows[~scored]
    if len(rest):
        yield rest, np.zeros((len(rest), 0), np.int32), EMPTY
    wanted = rows[scored]
    if not len(wanted):
        return
    wanted = wanted[np.argsort(reach[scored], kind="stable")]
    by_lowest = cols[np.argsort(lowest[cols], kind="stable")]
    sorted_lowest = lowest[by_lowest]
    n_groups = VIEW_GROUPS if len(wanted) >= VIEW_GROUP_ROWS else 1
    for group in np.array_split(wanted, n_groups):
        if not len(group):
            continue
        top = int(data.excluded_best[group[-1]])
        group_cols = np.sort(by_lowest[: np.searchsorted(sorted_lowest, top, side="right")])
        if 2 * len(group_cols) > n_m:
            group_cols = np.arange(n_m, dtype=np.int64)
            score = view(None)
        else:
            score = view(group_cols)
        for lo, hi in blocks(len(group), len(group_cols)):
            block = np.sort(group[lo:hi])
            yield block, score(block), group_cols


def solve_stable(
    data: StableInput, view: View, blocks: Callable[[int, int], list[tuple[int, int]]]
) -> StableOutcome:
    """Deferred acceptance over every eligible pair, starting from the known pairs; `view(cols)`
    scores demand rows against the mentors `cols` (None: all; -1: removed pair)."""
    n_d = len(data.active)
    n_m = len(data.capacity)
    known = (data.known_ptr, data.known_cols, data.known_scores)
    extra = (data.extra_ptr, data.extra_cols, data.extra_scores)
    ranked = (data.ranked_ptr, data.ranked_cols)
    tiers = (data.tier_ptr, data.tier_cols, data.tier_vals)
    capacity = np.maximum(data.capacity, 0)
    slot_ptr = np.concatenate([[0], np.cumsum(capacity)]).astype(np.int64)
    held = np.full(int(slot_ptr[-1]), -1, np.int64)
    held_key = np.zeros(int(slot_ptr[-1]), np.int64)
    assigned = np.full(n_d, -1, np.int64)
    ptr, lcols, lscores, lkeys = _initial_lists(
        known, extra, data.active, data.capacity, data.excluded_best, ranked, tiers
    )
    nxt = ptr[:-1].copy()
    queue = np.flatnonzero(data.active).astype(np.int64)
    done = np.zeros(n_d, bool)
    times = np.zeros(n_d, np.int64)  # extensions of each demand so far
    extended = cells = 0
    while len(queue):
        _propose(
            queue, ptr, lcols, lkeys, nxt, held, held_key, slot_ptr, data.demand_mentee, assigned
        )
        out = np.flatnonzero(data.active & (assigned < 0) & ~done).astype(np.int64)
        if not len(out):
            break
        worst = _worst_keys(held, held_key, slot_ptr, n_m)
        new: list[tuple[I64, I64, I64]] = []
        for block, values, vcols in _with_views(out, data, worst, view, blocks):
            cells += values.size
            limits = np.minimum(EXTEND << (2 * np.minimum(times[block], 6)), MAX_EXTEND)
            # no row has more candidates than the view's mentors and its known pairs
            most = len(vcols) + int(
                (np.diff(data.known_ptr)[block] + np.diff(data.extra_ptr)[block]).max()
            )
            width = max(1, min(int(limits.max()), most))
            out_cols = np.full((len(block), width), -1, np.int64)
            out_scores = np.full((len(block), width), -1, np.int64)
            count = _extensions(
                block,
                values,
                vcols,
                (ptr, lcols),
                known,
                extra,
                worst,
                tiers,
                limits,
                out_cols,
                out_scores,
            )
            done[block[count == 0]] = True
            local, slot = np.nonzero(out_cols >= 0)
            new.append((block[local], out_cols[local, slot], out_scores[local, slot]))
        extended += len(out)
        times[out] += 1
        new_rows = np.concatenate([n[0] for n in new])
        if not len(new_rows):
            break
        # the blocks come in any order: group the new entries by row (best first within one)
        order = np.argsort(new_rows, kind="stable")
        new_rows = new_rows[order]
        new_cols = np.concatenate([n[1] for n in new])[order]
        new_scores = np.concatenate([n[2] for n in new])[order]
        ptr, lcols, lscores, lkeys, nxt = _append(
            ptr, lcols, lscores, lkeys, nxt, new_rows, new_cols, new_scores, data
        )
        queue = np.unique(new_rows).astype(np.int64)
    # the score of each demand's pair, from its list
    list_rows = np.repeat(np.arange(n_d, dtype=np.int64), np.diff(ptr))
    hit = np.flatnonzero(lcols == assigned[list_rows])
    pair_scores = np.full(n_d, -1, np.int64)
    pair_scores[list_rows[hit]] = lscores[hit]
    found, counted = _count_blocking(
        data, assigned, pair_scores, (slot_ptr, held, held_key), (ptr, lcols, lscores), view, blocks
    )
    cells += counted
    return StableOutcome(assigned, pair_scores, found, extended, cells)


def blocking_pairs(
    data: StableInput,
    assigned: I64,
    scores: I64,
    view: View,
    blocks: Callable[[int, int], list[tuple[int, int]]],
) -> int:
    """Blocking pairs of any assignment of the active demands (mentor per demand or -1, its
    pair's score; within capacities, a mentee at most once per mentor) over every eligible
    pair, under the preferences of the module doc."""
    capacity = np.maximum(data.capacity, 0)
    slot_ptr = np.concatenate([[0], np.cumsum(capacity)]).astype(np.int64)
    held = np.full(int(slot_ptr[-1]), -1, np.int64)
    held_key = np.zeros(int(slot_ptr[-1]), np.int64)
    rows = np.flatnonzero(data.active & (assigned >= 0)).astype(np.int64)
    rows = rows[np.argsort(assigned[rows], kind="stable")]
    cols = assigned[rows]
    at = slot_ptr[cols] + arrays.group_rank(cols)
    if len(rows) and bool((at >= slot_ptr[cols + 1]).any()):
        raise ValueError("an assignment beyond a mentor's places")
    held[at] = rows
    held_key[at] = _mentor_keys(rows, cols, scores[rows], data)
    no_list = (np.zeros(len(assigned) + 1, np.int64), EMPTY, EMPTY)
    return _count_blocking(
        data, assigned, scores, (slot_ptr, held, held_key), no_list, view, blocks
    )[0]


def _count_blocking(
    data: StableInput,
    assigned: I64,
    pair_scores: I64,
    slots: tuple[I64, I64, I64],
    listed: tuple[I64, I64, I64],
    view: View,
    blocks: Callable[[int, int], list[tuple[int, int]]],
) -> tuple[int, int]:
    """(blocking pairs over every eligible pair, unknown pairs scored): each active demand's
    list, known and extra pairs, then, where it might prefer an unknown pair, those with the
    mentors that might take one (see the module doc)."""
    n_d = len(assigned)
    slot_ptr, held, held_key = slots
    worst = _worst_keys(held, held_key, slot_ptr, len(data.capacity))
    matched = assigned >= 0
    current_key = np.full(n_d, -1, np.int64)
    rows = np.flatnonzero(matched)
    current_key[rows] = _demand_keys(rows, assigned[rows], pair_scores[rows], data)
    # a demand prefers an unknown pair (unranked, score <= E_d) to its mentor only when it is
    # unmatched or its mentor is unranked and scores at most E_d
    ranked_current = matched & (current_key < (RANKED_BASE << 21))
    need = ~matched | (~ranked_current & (pair_scores <= data.excluded_best))
    active = np.flatnonzero(data.active).astype(np.int64)
    found = cells = 0
    for block, values, vcols in _with_views(active, data, worst, view, blocks, need[active]):
        cells += values.size
        found += _blocking_rows(
            block,
            values,
            vcols,
            listed,
            (data.known_ptr, data.known_cols, data.known_scores),
            (data.extra_ptr, data.extra_cols, data.extra_scores),
            assigned,
            current_key,
            worst,
            slots,
            data.demand_mentee,
            (data.ranked_ptr, data.ranked_cols),
            (data.tier_ptr, data.tier_cols, data.tier_vals),
        )
    return int(found), cells


def _append(
    ptr: I64,
    lcols: I64,
    lscores: I64,
    lkeys: I64,
    nxt: I64,
    new_rows: I64,
    new_cols: I64,
    new_scores: I64,
    data: StableInput,
) -> tuple[I64, I64, I64, I64, I64]:
    """Append the new entries (grouped by row, in order) after each row's list. The entries a
    row has proposed to are dropped, but for its last one (its mentor when it holds one): they
    are never read again (the blocking count reads the known pairs and the views). One pass
    over the lists (`_merged_lists`): the app's 20,000 x 6,000 round under `stable` holds up to
    7.3 M entries, and index arrays of that length cost 0.2 GB at its peak."""
    n_d = len(ptr) - 1
    start = np.maximum(ptr[:-1], nxt - 1)
    added = np.bincount(new_rows, minlength=n_d)
    new_ptr = np.zeros(n_d + 1, np.int64)
    np.cumsum(ptr[1:] - start + added, out=new_ptr[1:])
    new_keys = _mentor_keys(new_rows, new_cols, new_scores, data)
    merged = _merged_lists(
        ptr, start, new_ptr, (lcols, lscores, lkeys), (new_cols, new_scores, new_keys), added
    )
    return new_ptr, merged[0], merged[1], merged[2], new_ptr[:-1] + (nxt - start)


@njit(cache=True, nogil=True)
def _merged_lists(ptr, start, new_ptr, old, fresh, added):
    """Each row's kept entries (from `start[d]` to its end) and then its new ones (`fresh`,
    grouped by row, `added[d]` each), into lists at `new_ptr`: (cols, scores, keys)."""
    size = new_ptr[-1]
    out = (np.empty(size, np.int64), np.empty(size, np.int64), np.empty(size, np.int64))
    k = 0  # next fresh entry
    for d in range(len(start)):
        at = new_ptr[d]
        for p in range(start[d], ptr[d + 1]):
            out[0][at] = old[0][p]
            out[1][at] = old[1][p]
            out[2][at] = old[2][p]
            at += 1
        for _ in range(added[d]):
            out[0][at] = fresh[0][k]
            out[1][at] = fresh[1][k]
            out[2][at] = fresh[2][k]
            at += 1
            k += 1
    return out


@njit(cache=True, nogil=True)
def _demand_keys_kernel(rows, cols, scores, ranked_ptr, ranked_cols, n_mentors):
    out = np.empty(len(rows), np.int64)
    for k in range(len(rows)):
        out[k] = _demand_key(rows[k], cols[k], scores[k], ranked_ptr, ranked_cols, n_mentors)
    return out


@njit(cache=True, nogil=True)
def _mentor_keys_kernel(rows, cols, scores, tier_ptr, tier_cols, tier_vals):
    out = np.empty(len(rows), np.int64)
    for k in range(len(rows)):
        out[k] = _mentor_key(rows[k], cols[k], scores[k], tier_ptr, tier_cols, tier_vals)
    return out


def _demand_keys(rows: I64, cols: I64, scores: I64, data: StableInput) -> I64:
    return _demand_keys_kernel(
        rows, cols, scores, data.ranked_ptr, data.ranked_cols, len(data.capacity)
    )


def _mentor_keys(rows: I64, cols: I64, scores: I64, data: StableInput) -> I64:
    return _mentor_keys_kernel(rows, cols, scores, data.tier_ptr, data.tier_cols, data.tier_vals)
