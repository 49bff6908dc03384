"""`stable` objective: mentee-proposing deferred acceptance with capacities, over every
eligible pair.

Each demand (mentee, focus area) proposes to mentors in the mentee's stated order first
(`ranked_mentors`), then by score (ties: lower mentor position). A mentor ranks demands:
`prefer_mentees` first, then neutral, `avoid_mentees` last, each tier by score, then by demand
position. A mentor holds at most `capacity` demands and at most one per mentee (a mentee never
gets the same mentor twice); from a set of proposals it keeps the best one per mentee, then
the best `capacity`. That choice rule is substitutable, so the result is stable: no demand and
mentor both prefer each other to what they have, over all eligible pairs.

Proposals start with each demand's shortlist row. A demand that runs out of it goes on with the
mentors beyond it, in its order: its row is scored in full and the mentors that would take it
now come next. A mentor that turns a demand down once always does (once full, the worst demand
it holds only gets better), so leaving out the mentors that would refuse it changes nothing.

The blocking-pair count runs over every eligible pair: rows that may prefer a mentor beyond
their shortlist (unmatched ones, and those whose mentor does not beat the best score the
shortlist left out) are scored in full; every other demand prefers only mentors of its own row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

I64 = NDArray[np.int64]
I32 = NDArray[np.int32]
SCALE = 1_000_000
TIER_SHIFT = 50
SCORE_SHIFT = 22
EXTEND = 64  # mentors appended to a demand's proposals when it runs out
NO_PLACES = -2
RANKED_BASE = 1 << 30  # demand-side keys: ranked mentors (their position) before the rest


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
def _demand_key(d, j, score, ranked_ptr, ranked_cols):
    """Smaller = the demand likes the mentor better: ranked first, then score, then mentor."""
    pos = _ranked_position(d, j, ranked_ptr, ranked_cols)
    if pos >= 0:
        return (pos << 21) | j
    return ((RANKED_BASE + SCALE - score) << 21) | j


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
def _extensions(
    rows, values, listed_ptr, listed_cols, worst, tier_ptr, tier_cols, tier_vals, limit, out_cols
):
    """Per row: up to `limit` mentors beyond its list that would take it now, best first."""
    n_m = values.shape[1]
    count = np.zeros(len(rows), np.int64)
    mark = np.zeros(n_m, np.bool_)
    tier = np.ones(n_m, np.int64)
    cand = np.empty(n_m, np.int64)
    for r in range(len(rows)):
        d = rows[r]
        for k in range(listed_ptr[d], listed_ptr[d + 1]):
            mark[listed_cols[k]] = True
        _mark_row(d, tier_ptr, tier_cols, tier_vals, tier, False)
        n = 0
        for j in range(n_m):
            s = values[r, j]
            if s < 0 or mark[j]:
                continue
            w = worst[j]
            if w == NO_PLACES:
                continue
            if w >= 0 and ((tier[j] << TIER_SHIFT) | ((SCALE - s) << SCORE_SHIFT) | d) >= w:
                continue
            cand[n] = ((SCALE - s) << 21) | j
            n += 1
        for k in range(listed_ptr[d], listed_ptr[d + 1]):
            mark[listed_cols[k]] = False
        _clear_row(d, tier_ptr, tier_cols, tier, 1)
        if n > limit:
            chosen = np.sort(np.partition(cand[:n], limit - 1)[:limit])
        else:
            chosen = np.sort(cand[:n])
        for k in range(len(chosen)):
            out_cols[r, k] = chosen[k] & ((1 << 21) - 1)
        count[r] = len(chosen)
    return count


@njit(cache=True, nogil=True)
def _blocking_full_rows(
    rows,
    values,
    assigned,
    pair_scores,
    worst,
    slot_ptr,
    held,
    held_key,
    demand_mentee,
    ranked_ptr,
    ranked_cols,
    tier_ptr,
    tier_cols,
    tier_vals,
):
    """Blocking pairs of rows scored against every mentor."""
    n_m = values.shape[1]
    tier = np.ones(n_m, np.int64)
    rank = np.full(n_m, -1, np.int64)
    found = 0
    for r in range(len(rows)):
        d = rows[r]
        _mark_row(d, tier_ptr, tier_cols, tier_vals, tier, False)
        _mark_row(d, ranked_ptr, ranked_cols, ranked_cols, rank, True)
        cur = assigned[d]
        cur_rank = rank[cur] if cur >= 0 else -1
        cur_s = pair_scores[d]
        for j in range(n_m):
            s = values[r, j]
            if s < 0 or j == cur:
                continue
            w = worst[j]
            if w == NO_PLACES:
                continue
            key = (tier[j] << TIER_SHIFT) | ((SCALE - s) << SCORE_SHIFT) | d
            if w >= 0 and key >= w:
                continue  # necessary: a held sibling is never worse than the worst held
            if cur >= 0:  # does d like j better than its mentor?
                rj = rank[j]
                if cur_rank >= 0:
                    if rj < 0 or rj > cur_rank:
                        continue
                elif rj < 0 and (s < cur_s or (s == cur_s and j > cur)):
                    continue
            if _sibling_refuses(d, j, key, slot_ptr, held, held_key, demand_mentee):
                continue
            found += 1
        _clear_row(d, tier_ptr, tier_cols, tier, 1)
        _clear_row(d, ranked_ptr, ranked_cols, rank, -1)
    return found


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


@njit(cache=True, nogil=True)
def _blocking_listed(
    rows,
    list_ptr,
    list_cols,
    list_scores,
    assigned,
    current_key,
    worst,
    slot_ptr,
    held,
    held_key,
    demand_mentee,
    ranked_ptr,
    ranked_cols,
    tier_ptr,
    tier_cols,
    tier_vals,
):
    """Blocking pairs of rows with mentors of their own lists."""
    found = 0
    for d in rows:
        for k in range(list_ptr[d], list_ptr[d + 1]):
            j = list_cols[k]
            s = list_scores[k]
            if j == assigned[d] or slot_ptr[j + 1] == slot_ptr[j]:
                continue
            if (
                current_key[d] >= 0
                and _demand_key(d, j, s, ranked_ptr, ranked_cols) > (current_key[d])
            ):
                continue
            if _accepts(
                d,
                j,
                s,
                worst,
                slot_ptr,
                held,
                held_key,
                demand_mentee,
                tier_ptr,
                tier_cols,
                tier_vals,
            ):
                found += 1
    return found


@dataclass
class StableOutcome:
    """Mentor per demand (-1 unmatched), each pair's score, and the blocking-pair count."""

    assigned: I64
    scores: I64
    blocking_pairs: int
    extended_rows: int


ScoreRows = Callable[[I64], I32]


def _lists(
    list_rows: I64, list_cols: I64, list_scores: I64, data: StableInput, n_d: int
) -> tuple[I64, I64, I64, I64]:
    """CSR proposal lists in each demand's order (ranked first, then score, then mentor)."""
    keys = _demand_keys(list_rows, list_cols, list_scores, data)
    order = np.lexsort((keys, list_rows))
    rows, cols, scores = list_rows[order], list_cols[order], list_scores[order]
    ptr = np.searchsorted(rows, np.arange(n_d + 1)).astype(np.int64)
    return ptr, cols, scores, _mentor_keys(rows, cols, scores, data)


def solve_stable(
    data: StableInput,
    rows: I64,
    cols: I64,
    scores: I64,
    score_rows: ScoreRows,
    blocks: Callable[[int], list[tuple[int, int]]],
) -> StableOutcome:
    """Deferred acceptance over every eligible pair, starting from the (rows, cols, scores)
    shortlist; `score_rows` scores demand rows against every mentor (-1: removed pair)."""
    n_d = len(data.active)
    n_m = len(data.capacity)
    # A list must be a prefix of the demand's order: its ranked mentors and the pairs scoring
    # above everything its shortlist left out. Lower listed pairs (mentor-side entries) could
    # come after a mentor beyond the shortlist, so they wait for the extension, which orders
    # the whole row.
    ranked = _is_ranked(rows, cols, data.ranked_ptr, data.ranked_cols)
    prefix = ranked | (scores > data.excluded_best[rows])
    keep = data.active[rows] & (data.capacity[cols] > 0) & prefix
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    capacity = np.maximum(data.capacity, 0)
    slot_ptr = np.concatenate([[0], np.cumsum(capacity)]).astype(np.int64)
    held = np.full(int(slot_ptr[-1]), -1, np.int64)
    held_key = np.zeros(int(slot_ptr[-1]), np.int64)
    assigned = np.full(n_d, -1, np.int64)
    ptr, lcols, lscores, lkeys = _lists(rows, cols, scores, data, n_d)
    nxt = ptr[:-1].copy()
    queue = np.flatnonzero(data.active).astype(np.int64)
    done = np.zeros(n_d, bool)
    extended = 0
    while len(queue):
        _propose(
            queue, ptr, lcols, lkeys, nxt, held, held_key, slot_ptr, data.demand_mentee, assigned
        )
        out = np.flatnonzero(data.active & (assigned < 0) & ~done).astype(np.int64)
        if not len(out):
            break
        worst = _worst_keys(held, held_key, slot_ptr, n_m)
        new: list[tuple[I64, I64, I64]] = []
        for lo, hi in blocks(len(out)):
            block = out[lo:hi]
            values = score_rows(block)
            out_cols = np.full((len(block), EXTEND), -1, np.int64)
            count = _extensions(
                block,
                values,
                ptr,
                lcols,
                worst,
                data.tier_ptr,
                data.tier_cols,
                data.tier_vals,
                EXTEND,
                out_cols,
            )
            done[block[count == 0]] = True
            local, slot = np.nonzero(out_cols >= 0)
            c = out_cols[local, slot]
            new.append((block[local], c, values[local, c].astype(np.int64)))
        extended += len(out)
        new_rows = np.concatenate([n[0] for n in new])
        if not len(new_rows):
            break
        new_cols = np.concatenate([n[1] for n in new])
        new_scores = np.concatenate([n[2] for n in new])
        # append the new mentors after each row's list, in the order found (best first)
        old_rows = np.repeat(np.arange(n_d, dtype=np.int64), np.diff(ptr))
        all_rows = np.concatenate([old_rows, new_rows])
        order = np.argsort(all_rows, kind="stable")
        offset = nxt - ptr[:-1]
        lcols = np.concatenate([lcols, new_cols])[order]
        lscores = np.concatenate([lscores, new_scores])[order]
        lkeys = np.concatenate([lkeys, _mentor_keys(new_rows, new_cols, new_scores, data)])[order]
        ptr = np.searchsorted(all_rows[order], np.arange(n_d + 1)).astype(np.int64)
        nxt = ptr[:-1] + offset
        queue = arrays_unique(new_rows)
    # the score of each demand's pair, from its list
    list_rows = np.repeat(np.arange(n_d, dtype=np.int64), np.diff(ptr))
    hit = np.flatnonzero(lcols == assigned[list_rows])
    pair_scores = np.full(n_d, -1, np.int64)
    pair_scores[list_rows[hit]] = lscores[hit]
    blocking = _count_blocking(
        data,
        assigned,
        pair_scores,
        ptr,
        lcols,
        lscores,
        held,
        held_key,
        slot_ptr,
        score_rows,
        blocks,
    )
    return StableOutcome(assigned, pair_scores, blocking, extended)


def arrays_unique(values: I64) -> I64:
    """Sorted distinct values."""
    return np.unique(values).astype(np.int64)


def _count_blocking(
    data: StableInput,
    assigned: I64,
    pair_scores: I64,
    ptr: I64,
    lcols: I64,
    lscores: I64,
    held: I64,
    held_key: I64,
    slot_ptr: I64,
    score_rows: ScoreRows,
    blocks: Callable[[int], list[tuple[int, int]]],
) -> int:
    """Blocking pairs over every eligible pair (see the module doc)."""
    n_m = len(data.capacity)
    worst = _worst_keys(held, held_key, slot_ptr, n_m)
    matched = assigned >= 0
    current_key = np.full(len(assigned), -1, np.int64)
    rows = np.flatnonzero(matched)
    current_key[rows] = _demand_keys(rows, assigned[rows], pair_scores[rows], data)
    ranked_current = matched & (current_key < (RANKED_BASE << 21))
    # a demand whose mentor beats every score its shortlist left out prefers no mentor beyond
    # its list (ties with the left-out score are checked in full)
    safe = ranked_current | (matched & (pair_scores > data.excluded_best))
    full = np.flatnonzero(data.active & ~safe).astype(np.int64)
    listed = np.flatnonzero(data.active & safe).astype(np.int64)
    found = _blocking_listed(
        listed,
        ptr,
        lcols,
        lscores,
        assigned,
        current_key,
        worst,
        slot_ptr,
        held,
        held_key,
        data.demand_mentee,
        data.ranked_ptr,
        data.ranked_cols,
        data.tier_ptr,
        data.tier_cols,
        data.tier_vals,
    )
    for lo, hi in blocks(len(full)):
        block = full[lo:hi]
        found += _blocking_full_rows(
            block,
            score_rows(block),
            assigned,
            pair_scores,
            worst,
            slot_ptr,
            held,
            held_key,
            data.demand_mentee,
            data.ranked_ptr,
            data.ranked_cols,
            data.tier_ptr,
            data.tier_cols,
            data.tier_vals,
        )
    return int(found)


@njit(cache=True, nogil=True)
def _is_ranked(rows, cols, ranked_ptr, ranked_cols):
    out = np.zeros(len(rows), np.bool_)
    for k in range(len(rows)):
        out[k] = _ranked_position(rows[k], cols[k], ranked_ptr, ranked_cols) >= 0
    return out


@njit(cache=True, nogil=True)
def _demand_keys_kernel(rows, cols, scores, ranked_ptr, ranked_cols):
    out = np.empty(len(rows), np.int64)
    for k in range(len(rows)):
        out[k] = _demand_key(rows[k], cols[k], scores[k], ranked_ptr, ranked_cols)
    return out


@njit(cache=True, nogil=True)
def _mentor_keys_kernel(rows, cols, scores, tier_ptr, tier_cols, tier_vals):
    out = np.empty(len(rows), np.int64)
    for k in range(len(rows)):
        out[k] = _mentor_key(rows[k], cols[k], scores[k], tier_ptr, tier_cols, tier_vals)
    return out


def _demand_keys(rows: I64, cols: I64, scores: I64, data: StableInput) -> I64:
    return _demand_keys_kernel(rows, cols, scores, data.ranked_ptr, data.ranked_cols)


def _mentor_keys(rows: I64, cols: I64, scores: I64, data: StableInput) -> I64:
    return _mentor_keys_kernel(rows, cols, scores, data.tier_ptr, data.tier_cols, data.tier_vals)
