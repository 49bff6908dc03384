"""First mentor prices from an auction on the shortlist (Bertsekas's forward auction with
epsilon scaling, and reverse bids of the places left free), before the first flow.

The rounds' first solve is a min-cost flow on a narrow working set chosen by raw score, and
its duals can be far from the optimum's: with relevance-first scores every focus area's best
few mentors are everybody's, a hair apart, and the first working set prices them and nobody
else (the 100,000 x 30,000 instance's round 1 bound was 79 % above its objective; the 20,000 x
6,000 plain one needed 4 rounds, two of them on most of the shortlist). An auction prices the
whole shortlist at once and cheaply: each unassigned focus area bids for the mentor of best
value minus price, raising that mentor's cheapest place by the margin over its second best
plus epsilon, and takes it (the place's last holder bids again); a focus area whose best value
minus price is at most 0 stays unmatched. Epsilon falls by `FACTOR` per phase (prices kept,
assignments reset) down to `EPS_END` units. A forward auction alone overprices here (more
focus areas than places, and staying unmatched is always allowed): a place raised in an early
phase and left free keeps its price. So after each phase the free places with a price bid in
reverse (see `_auction`), and at the end every focus area is within `EPS_END` of its best and
every free place is priced 0: the prices are within one unit per focus area of the optimal
duals of the listed pairs.

Only the prices are used, and only to choose what the first flow is solved on (see
`rounds._auction_rounds`): the flow and the certificate decide the optimum exactly as before,
so a poor price costs rounds, never correctness. The auction relaxes the problem (a mentee may
get the same mentor for two focus areas) and sees only listed pairs; the certificate's pass
at its prices adds the left-out pairs they make worth listing, and the auction runs again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from numba import njit
from numpy.typing import NDArray

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
log = logging.getLogger(__name__)

EPS_START = 4  # first phase's epsilon: the largest value over this
FACTOR = 8  # epsilon falls by this per phase
EPS_END = 1  # last phase's epsilon, in score units (10^-6): prices within n units
BIDS_PER_ARC = 1  # bids at most per listed pair (plus one per focus area and place per phase;
# the generator's plain instances take 0.4-0.5 per pair in all): past it, no prices
GIVE_UP = -1
# an auction that starts from prices near its own (the last auction's on a shortlist that grew,
# or a sampled problem's) starts at this epsilon, not at a quarter of the largest value: a
# quarter fewer bids (the app's 20,000 x 6,000 round: 677,046 and 667,780 bids for its two
# auctions after the sample instead of 946,472 and 869,721; the plain 100,000 x 30,000
# instance's auctions 2 and 3: 3.0 M bids each instead of 3.9 M); from 16,384 it saved half
# of that, from 256 the first of them bid more (778,705)
WARM_EPS_START = 2_048


@dataclass
class Auction:
    """An auction's mentor prices, its assignment (mentor per demand, -1 unmatched; a mentee
    may have the same mentor twice), that assignment's value, the bids it took and, once the
    certificate's pass priced them (`rounds._auction_rounds`), the bound at its prices."""

    prices: F64
    assigned: I64
    value: int
    bound: float = float("inf")
    bids: int = 0


@njit(cache=True, nogil=True)
def _listed(
    indptr: I64,
    cols: I64,
    scores: I64,
    bonus: int,
    active: NDArray[np.bool_],
    places: I64,
    value_type: NDArray[np.integer],
) -> tuple[I64, NDArray[np.int32], NDArray[np.integer]]:
    """The listed pairs the auction takes (active demands, eligible, mentors with places),
    as rows of (mentor, score + bonus): mentors as int32 and values of `value_type`'s dtype
    (int32 where they fit: the bids stream the rows, and half the bytes make them faster)."""
    n_d = indptr.shape[0] - 1
    sub_indptr = np.zeros(n_d + 1, np.int64)
    for d in range(n_d):
        n = 0
        if active[d]:
            for k in range(indptr[d], indptr[d + 1]):
                if scores[k] >= 0 and places[cols[k]] > 0:
                    n += 1
        sub_indptr[d + 1] = sub_indptr[d] + n
    sub_cols = np.empty(sub_indptr[n_d], np.int32)
    sub_values = np.empty(sub_indptr[n_d], value_type.dtype)
    at = 0
    for d in range(n_d):
        if active[d]:
            for k in range(indptr[d], indptr[d + 1]):
                if scores[k] >= 0 and places[cols[k]] > 0:
                    sub_cols[at] = cols[k]
                    sub_values[at] = scores[k] + bonus
                    at += 1
    return sub_indptr, sub_cols, sub_values


@njit(cache=True, nogil=True)
def _columns(
    indptr: I64, cols: NDArray[np.int32], values: NDArray[np.integer], n_m: int
) -> tuple[I64, NDArray[np.int32], NDArray[np.integer]]:
    """Each mentor's pairs (demand, value), in demand order: `_auction` sorts a mentor's by
    value when one of its places first bids in reverse (`_sort_column`), and most mentors'
    never do (the app's 20,000 x 6,000 round: sorting all of them took 0.16 s an auction).

    Filled straight from the rows (not `kernels.group_by_source`, whose arc order and a
    demand per arc would be two more arrays of the shortlist's length: 170 MB at 100k)."""
    col_start = np.zeros(n_m + 1, np.int64)
    for k in range(cols.shape[0]):
        col_start[cols[k] + 1] += 1
    for j in range(n_m):
        col_start[j + 1] += col_start[j]
    fill = col_start[:n_m].copy()
    col_rows = np.empty(cols.shape[0], np.int32)
    col_values = np.empty(cols.shape[0], values.dtype)
    for d in range(indptr.shape[0] - 1):
        for k in range(indptr[d], indptr[d + 1]):
            j = cols[k]
            col_rows[fill[j]] = d
            col_values[fill[j]] = values[k]
            fill[j] += 1
    return col_start, col_rows, col_values


@njit(cache=True, nogil=True)
def _sort_column(
    col_rows: NDArray[np.int32], col_values: NDArray[np.integer], a: int, b: int
) -> None:
    """One mentor's pairs (col_rows[a:b], col_values[a:b]) by value descending, ties in
    demand order."""
    by_value = np.argsort(-col_values[a:b], kind="mergesort")
    col_rows[a:b] = col_rows[a:b][by_value]
    col_values[a:b] = col_values[a:b][by_value]


@njit(cache=True, nogil=True)
def _sift(heap: I64, where: I64, price: I64, base: int, size: int, i: int) -> None:
    """Restore the heap order of one mentor's places (heap[base : base + size], cheapest
    first) after the price of the place at position i changed."""
    node = heap[base + i]
    while i > 0:  # up, while cheaper than its parent
        parent = (i - 1) >> 1
        other = heap[base + parent]
        if price[other] <= price[node]:
            break
        heap[base + i] = other
        where[other] = i
        i = parent
    while True:  # down, while dearer than a child
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and price[heap[base + child + 1]] < price[heap[base + child]]:
            child += 1
        if price[heap[base + child]] >= price[node]:
            break
        heap[base + i] = heap[base + child]
        where[heap[base + i]] = i
        i = child
    heap[base + i] = node
    where[node] = i


@njit(cache=True, nogil=True)
def _auction(
    indptr: I64,
    cols: NDArray[np.int32],
    values: NDArray[np.integer],
    col_start: I64,
    col_rows: NDArray[np.int32],
    col_values: NDArray[np.integer],
    slot_start: I64,
    eps_start: int,
    eps_end: int,
    factor: int,
    max_bids: int,
    slot_price: I64,
    owner: I64,
    total: I64,
    held: I64,
) -> int:
    """Each mentor place's price (from the price it holds in `slot_price`, each mentor's places
    alike) and holder (-1: free) into `slot_price` and `owner`;
    the assignment's value into total[0] and each focus area's place (-1: none) into `held`;
    returns the number of bids, or GIVE_UP when `max_bids` were not enough.

    Rows (`indptr`, `cols`, `values`) are the focus areas' listed pairs, columns (`col_start`,
    `col_rows`, `col_values`) each mentor's (`_columns`), sorted here by value descending when
    the mentor's first reverse bid needs it (a reverse bid stops at the first value below its
    second best gain); `slot_start` gives each mentor's
    places. Each phase: forward bids of the unassigned focus areas (see the module), then reverse
    bids of the free places that still have a price (an asymmetric problem: a place left free
    at the optimum is priced 0): such a place offers itself to the focus area that gains most
    by it (value minus its present profit) at the second best gain minus epsilon, or drops to
    0 when nobody gains; the place that focus area leaves offers itself in turn. Every focus
    area stays within epsilon of its best, so at the end the prices are within n * epsilon of
    the optimal duals on the listed pairs.
    """
    n_d = indptr.shape[0] - 1
    n_m = slot_start.shape[0] - 1
    n_s = slot_start[n_m]
    col_sorted = np.zeros(n_m, np.bool_)  # whose column is by value yet (see `_columns`)
    # per mentor, its places in a heap by price (cheapest first) and the cheapest one's price
    heap = np.arange(n_s)
    where = np.empty(n_s, np.int64)  # each place's position in its mentor's heap
    for j in range(n_m):
        for t in range(slot_start[j], slot_start[j + 1]):
            where[t] = t - slot_start[j]
    low = np.zeros(n_m, np.int64)  # a mentor's cheapest place (all of them alike at first)
    for j in range(n_m):
        if slot_start[j + 1] > slot_start[j]:
            low[j] = slot_price[slot_start[j]]
    slot_mentor = np.empty(n_s, np.int64)
    for j in range(n_m):
        for t in range(slot_start[j], slot_start[j + 1]):
            slot_mentor[t] = j
    held_value = np.zeros(n_d, np.int64)
    # each focus area's profit: the value of the place it holds less that place's price, 0
    # when it holds none (a reverse bid reads it for every pair it passes: one array, not
    # three; a held place's price changes only when it changes hands)
    profit = np.zeros(n_d, np.int64)
    queue = np.empty(max(n_d, n_s), np.int64)
    bids = 0
    eps = eps_start
    while True:
        owner[:] = -1
        held[:] = -1
        profit[:] = 0
        count = 0
        for d in range(n_d):
            if indptr[d + 1] > indptr[d]:
                queue[count] = d
                count += 1
        head = 0
        while count > 0:
            d = queue[head]
            head += 1
            if head == n_d:
                head = 0
            count -= 1
            best = 0  # the unmatched option: value 0, never priced
            second = 0
            best_j = -1
            best_v = 0
            for k in range(indptr[d], indptr[d + 1]):
                j = cols[k]
                r = values[k] - low[j]
                if r > best:
                    second = best
                    best = r
                    best_j = j
                    best_v = values[k]
                elif r > second:
                    second = r
            if best_j < 0:
                continue  # unmatched is at least as good
            # the same mentor's next cheapest place is a second choice too
            base = slot_start[best_j]
            size = slot_start[best_j + 1] - base
            s = heap[base]
            for c in range(1, min(size, 3)):
                if best_v - slot_price[heap[base + c]] > second:
                    second = best_v - slot_price[heap[base + c]]
            bids += 1
            if bids > max_bids:
                return GIVE_UP
            slot_price[s] += best - second + eps
            last = owner[s]
            owner[s] = d
            held[d] = s
            held_value[d] = best_v
            profit[d] = best_v - slot_price[s]
            if last >= 0:
                held[last] = -1
                profit[last] = 0
                tail = head + count
                if tail >= n_d:
                    tail -= n_d
                queue[tail] = last
                count += 1
            _sift(heap, where, slot_price, base, size, 0)
            low[best_j] = slot_price[heap[base]]
        # reverse bids of the free places with a price (a stack of them)
        count = 0
        for t in range(n_s):
            if owner[t] < 0 and slot_price[t] > 0:
                queue[count] = t
                count += 1
        while count > 0:
            count -= 1
            s = queue[count]
            if owner[s] >= 0 or slot_price[s] <= 0:
                continue
            j = slot_mentor[s]
            if not col_sorted[j]:
                _sort_column(col_rows, col_values, col_start[j], col_start[j + 1])
                col_sorted[j] = True
            best = 0  # staying free: price 0
            second = 0
            taker = -1
            taker_v = 0
            for k in range(col_start[j], col_start[j + 1]):
                if col_values[k] <= second:
                    break  # the column is by value, descending: no larger gain is left
                d = col_rows[k]
                r = col_values[k] - profit[d]  # (a holder of another of j's places: its price)
                if r > best:
                    second = best
                    best = r
                    taker = d
                    taker_v = col_values[k]
                elif r > second:
                    second = r
            bids += 1
            if bids > max_bids:
                return GIVE_UP
            base = slot_start[j]
            size = slot_start[j + 1] - base
            if taker < 0:
                slot_price[s] = 0
                _sift(heap, where, slot_price, base, size, where[s])
                low[j] = slot_price[heap[base]]
                continue
            slot_price[s] = max(0, second - eps)
            _sift(heap, where, slot_price, base, size, where[s])
            low[j] = slot_price[heap[base]]
            left = held[taker]
            owner[s] = taker
            held[taker] = s
            held_value[taker] = taker_v
            profit[taker] = taker_v - slot_price[s]
            if left >= 0:
                owner[left] = -1
                if slot_price[left] > 0:
                    queue[count] = left
                    count += 1
        if eps <= eps_end:
            break
        eps = max(eps_end, eps // factor)
    total[0] = 0
    for d in range(n_d):
        if held[d] >= 0:
            total[0] += held_value[d]
    return bids


def auction_prices(
    indptr: I64,
    cols: I64,
    scores: I64,
    bonus: int,
    active: NDArray[np.bool_],
    capacity: I64,
    start: F64 | None = None,
) -> Auction | None:
    """Mentor prices (objective units, >= 0) from an auction on the listed eligible pairs
    (`scores` >= 0, each worth score + `bonus`) of the `active` demands, mentors with
    `capacity` places, with the auction's assignment; None when the auction ran out of bids
    (a price war among near-ties).

    With `start` (a price per mentor, objective units) every place starts at its mentor's
    price and the first phase's epsilon is at most WARM_EPS_START: any start gives prices
    within one unit per focus area of the optimal duals, as from 0 (the first phase's bids and
    reverse bids set every price that matters; a place no one bids for falls to 0); a start
    near them only saves bids, and a start that runs out of bids is followed by an auction
    from 0."""
    n_m = len(capacity)
    places = np.maximum(capacity, 0).astype(np.int64)
    n_d = len(indptr) - 1
    # int32 values where every score + bonus fits (`total`: no bonus), else int64
    fits = int(scores.max(initial=0)) + bonus < np.iinfo(np.int32).max
    sub_indptr, sub_cols, sub_values = _listed(
        indptr, cols, scores, bonus, np.ascontiguousarray(active, np.bool_), places,
        np.empty(0, np.int32 if fits else np.int64),
    )  # fmt: skip
    slot_start = np.zeros(n_m + 1, np.int64)
    np.cumsum(places, out=slot_start[1:])
    top = int(sub_values.max(initial=0))
    n_slots = int(slot_start[-1])
    if top <= 0:
        return Auction(np.zeros(n_m), np.full(n_d, -1, np.int64), 0)
    col_start, col_rows, col_values = _columns(sub_indptr, sub_cols, sub_values, n_m)
    eps_start = max(EPS_END, top // EPS_START)
    if start is not None:
        eps_start = max(EPS_END, min(eps_start, WARM_EPS_START))
    phases, eps = 1, eps_start
    while eps > EPS_END:
        eps, phases = max(EPS_END, eps // FACTOR), phases + 1
    # every phase bids each focus area and offers each place once at least
    budget = BIDS_PER_ARC * len(sub_cols) + phases * (n_d + n_slots)
    slot_price = np.zeros(n_slots, np.int64)
    if start is not None:  # every place of a mentor at its price (the heaps hold as they are)
        first = np.nan_to_num(np.round(np.asarray(start, np.float64)), nan=0.0, posinf=0.0)
        slot_price[:] = np.repeat(np.clip(first, 0, top).astype(np.int64), places)
    owner = np.full(n_slots, -1, np.int64)
    total = np.zeros(1, np.int64)
    held = np.full(n_d, -1, np.int64)
    bids = _auction(
        sub_indptr, sub_cols, sub_values, col_start, col_rows, col_values,
        slot_start, eps_start, EPS_END, FACTOR,
        budget, slot_price, owner, total, held,
    )  # fmt: skip
    log.debug("auction: %d bids on %d pairs", bids, len(sub_cols))
    if bids < 0 and start is not None:
        # a start far from the prices can cost more bids than one from 0: from 0 then
        return auction_prices(indptr, cols, scores, bonus, active, capacity)
    if bids < 0:
        return None
    cheapest = np.full(n_m, np.iinfo(np.int64).max)
    np.minimum.at(cheapest, np.repeat(np.arange(n_m), places), slot_price)
    out = np.where(places > 0, cheapest, 0).astype(np.float64)
    slot_mentor = np.repeat(np.arange(n_m, dtype=np.int64), places)
    assigned = np.where(held >= 0, slot_mentor[np.maximum(held, 0)], -1)
    return Auction(out, assigned, int(total[0]), bids=bids)
