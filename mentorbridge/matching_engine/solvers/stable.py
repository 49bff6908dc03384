"""`stable` objective: mentee-proposing deferred acceptance with capacities.

Each demand (mentee, focus area) proposes to mentors in the mentee's stated order first
(`ranked_mentors`), then by score. A mentor ranks demands: `prefer_mentees` first, then neutral,
`avoid_mentees` last, each tier by score. A mentor holds at most `capacity` demands and at most
one per mentee (a mentee never gets the same mentor twice); from a set of proposals it keeps the
best one per mentee, then the best `capacity`. That choice rule is substitutable, so the result
is stable: no demand and mentor both prefer each other to what they have.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]


@dataclass
class StableInput:
    """Preference lists over the shortlist."""

    proposals: list[list[int]]  # per demand: mentors in the demand's order of preference
    mentor_key: dict[
        tuple[int, int], tuple[int, int, int]
    ]  # (demand, mentor) -> rank, smaller=better
    demand_mentee: I64
    capacity: I64
    active: NDArray[np.bool_]


def _accepts(held: list[int], d: int, j: int, data: StableInput) -> bool:
    """Would mentor j choose demand d from held + {d}?"""
    key = data.mentor_key[(d, j)]
    mentee = data.demand_mentee[d]
    for other in held:
        if data.demand_mentee[other] == mentee:
            return key < data.mentor_key[(other, j)]
    if len(held) < data.capacity[j]:
        return True
    return bool(held) and key < max(data.mentor_key[(o, j)] for o in held)


def deferred_acceptance(data: StableInput) -> I64:
    """Mentor per demand (-1 when unmatched)."""
    n_d = len(data.proposals)
    held: dict[int, list[int]] = {}
    assigned = np.full(n_d, -1, np.int64)
    next_choice = [0] * n_d
    free = deque(d for d in range(n_d) if data.active[d])
    while free:
        d = free.popleft()
        choices = data.proposals[d]
        while next_choice[d] < len(choices):
            j = choices[next_choice[d]]
            next_choice[d] += 1
            current = held.setdefault(j, [])
            if not _accepts(current, d, j, data):
                continue
            mentee = data.demand_mentee[d]
            rejected = [o for o in current if data.demand_mentee[o] == mentee]
            current[:] = [o for o in current if data.demand_mentee[o] != mentee] + [d]
            if len(current) > data.capacity[j]:
                worst = max(current, key=lambda o: data.mentor_key[(o, j)])
                current.remove(worst)
                rejected.append(worst)
            assigned[d] = j
            for other in rejected:
                assigned[other] = -1
                free.append(other)
            break
    return assigned


def blocking_pairs(data: StableInput, assigned: I64) -> list[tuple[int, int]]:
    """(demand, mentor) pairs that would both rather be together than with what they have."""
    held: dict[int, list[int]] = {}
    for d, j in enumerate(assigned.tolist()):
        if j >= 0:
            held.setdefault(j, []).append(d)
    found: list[tuple[int, int]] = []
    for d, choices in enumerate(data.proposals):
        if not data.active[d]:
            continue
        for j in choices:
            if j == assigned[d]:
                break
            current = [o for o in held.get(j, []) if o != d]
            if _accepts(current, d, j, data):
                found.append((d, j))
    return found
