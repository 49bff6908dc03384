"""Mentor classes: mentors whose score columns are identical and whose free capacity is equal.

Real cohorts are full of alike mentors (same level, department, languages, no stated
preferences) and programs that weight only a few factors. Every demand scores the members of
such a class the same, so the flow network treats a class as one node with the summed capacity
(see `solvers.flow`), and a demand that lists one member of a class can reach them all.

Two mentors are in one class when everything the score reads of them, for the factors with a
weight above 0, is equal, when the hard rules remove the same demands for both, and when they
have the same free capacity. Equal capacities make the class flow always split into members
(a mentee sends at most `size` units into a class of `size` members of capacity c, so every
set of s members can take its share: sum_i max(0, a_i - (size - s)) <= sum_i a_i s / size
<= c s), which keeps the classes exact, not a relaxation.
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.text import TfidfIndex

I64 = NDArray[np.int64]


def mentor_classes(features: Features, capacity: I64) -> I64:
    """Per mentor, the lowest mentor index of its class (itself when it is alone)."""
    model = features.model
    n_m = model.n_mentors
    if n_m == 0:
        return np.zeros(0, np.int64)
    w = features.w
    kind = features.kind
    people = features.mentor_people
    embedded = not isinstance(features.text, TfidfIndex) and w["text"] > 0
    removed = _column_bytes(model.pair_rows, model.pair_cols, None, n_m)
    preference = (
        _column_bytes(features.pref_rows, features.pref_cols, features.pref_vals, n_m)
        if w["preference"] > 0
        else [b""] * n_m
    )
    ranked = {ref for m in model.mentees for ref in m.ranked_mentors}
    rep = np.arange(n_m, dtype=np.int64)
    seen: dict[tuple[Any, ...], int] = {}
    for j in range(n_m):
        if embedded:
            continue  # matrix products need not give equal columns bit for bit
        p = people[j]
        key = (
            int(capacity[j]),
            bool(model.mentor_opt_out[j]),
            removed[j],
            preference[j],
            # stable and the shortlist treat ranked mentors apart
            model.mentor_ids[j] if model.mentor_ids[j] in ranked else None,
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
        rep[j] = seen.setdefault(key, j)
    return rep


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


def split_class_flow(
    demands: I64, classes: I64, demand_mentee: I64, rep: I64, capacity: I64
) -> I64:
    """Members for demands assigned to classes (mentor = class representative).

    Per class, mentees with more demands in it go first, and each takes the members with the
    most places left (lowest index on ties): with equal member capacities this never gets
    stuck (see the module doc). Returns the member per demand.
    """
    out = classes.copy()
    size = np.bincount(rep, minlength=len(rep))
    shared = size[classes] > 1
    if not shared.any():
        return out
    members: dict[int, list[int]] = {}
    for j in np.flatnonzero(size[rep] > 1).tolist():
        members.setdefault(int(rep[j]), []).append(j)
    idx = np.flatnonzero(shared)
    order = np.lexsort((demands[idx], demand_mentee[demands[idx]], classes[idx]))
    idx = idx[order]
    by_class: dict[int, dict[int, list[int]]] = {}
    for k in idx.tolist():
        by_class.setdefault(int(classes[k]), {}).setdefault(
            int(demand_mentee[demands[k]]), []
        ).append(k)
    for r, mentees in by_class.items():
        heap = [(-int(capacity[j]), j) for j in members[r]]
        heapq.heapify(heap)
        for _, ks in sorted(mentees.items(), key=lambda item: (-len(item[1]), item[0])):
            taken = [heapq.heappop(heap) for _ in range(len(ks))]
            if any(-left <= 0 for left, _ in taken):
                raise RuntimeError(f"class of mentor {r} cannot take its flow")
            for k, (_, j) in zip(ks, sorted(taken, key=lambda t: t[1]), strict=True):
                out[k] = j
            for left, j in taken:
                heapq.heappush(heap, (left + 1, j))
    return out
