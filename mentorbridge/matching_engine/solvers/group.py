"""`group` programs: a mentor takes one group of mentees who share a focus-area label.

The label of a focus area is its `group` field, or its first skill, or its id. A mentor's
capacity is the group size. Choosing one label per mentor and the members together is a hard
combinatorial problem, so we use a simple, deterministic repair loop:

1. solve the total-score flow without the label rule;
2. every mentor whose mentees have mixed labels is fixed to the label with the highest summed
   score (ties: smallest label), and keeps only arcs of that label; re-solve;
3. repeat until no mentor has mixed labels (at most `MAX_ROUNDS`, then the off-label mentees of
   a still-mixed mentor are left unmatched).

The certificate's bound comes from the problem without the label rule, which is a valid upper
bound; the gap shows what the label rule costs (it may be above 0).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.solvers.flow import Arcs, solve_min_cost

I64 = NDArray[np.int64]
MAX_ROUNDS = 12


def _mentor_labels(arcs: Arcs, assigned: I64, labels: I64, n_labels: int) -> tuple[I64, I64]:
    """Best label per mentor (-1 when it has no mentee) and which mentors have mixed labels."""
    n_m = len(arcs.capacity)
    matched = np.flatnonzero(assigned >= 0)
    value = {
        (int(d), int(j)): int(v) for d, j, v in zip(arcs.rows, arcs.cols, arcs.values, strict=True)
    }
    sums = np.zeros((n_m, max(n_labels, 1)), np.int64)
    count = np.zeros((n_m, max(n_labels, 1)), np.int64)
    for d in matched.tolist():
        j = int(assigned[d])
        sums[j, labels[d]] += value.get((d, j), 0) + 1
        count[j, labels[d]] += 1
    best = np.where(count.sum(axis=1) > 0, np.argmax(sums, axis=1), -1)
    mixed = np.flatnonzero((count > 0).sum(axis=1) > 1)
    return best.astype(np.int64), mixed.astype(np.int64)


def solve_groups(arcs: Arcs, labels: I64, fixed: I64 | None = None) -> tuple[I64, I64]:
    """Assignment where each mentor's mentees share one label; returns (assigned, mentor label)."""
    n_labels = int(labels.max()) + 1 if len(labels) else 0
    mentor_label = np.full(len(arcs.capacity), -1, np.int64) if fixed is None else fixed.copy()
    current = arcs
    assigned = np.full(arcs.n_demands, -1, np.int64)
    for _ in range(MAX_ROUNDS):
        keep = (mentor_label[arcs.cols] < 0) | (mentor_label[arcs.cols] == labels[arcs.rows])
        current = Arcs(
            arcs.rows[keep],
            arcs.cols[keep],
            arcs.values[keep],
            arcs.demand_mentee,
            arcs.capacity,
            arcs.n_demands,
        )
        assigned = solve_min_cost(current, want_duals=False).assigned
        best, mixed = _mentor_labels(current, assigned, labels, n_labels)
        if len(mixed) == 0:
            used = best >= 0
            mentor_label[used] = best[used]
            return assigned, mentor_label
        mentor_label[mixed] = best[mixed]
    best, _ = _mentor_labels(current, assigned, labels, n_labels)
    for d in np.flatnonzero(assigned >= 0).tolist():
        j = int(assigned[d])
        if best[j] >= 0 and labels[d] != best[j]:
            assigned[d] = -1
    used = best >= 0
    mentor_label[used] = best[used]
    return assigned, mentor_label
