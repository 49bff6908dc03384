"""`fair` objective: maximise the worst matched score, then the total.

1. The largest number of demands that can be matched at all (max flow).
2. The highest threshold t such that that many demands can still be matched using only pairs
   with score >= t (binary search over the distinct shortlisted scores, max flow each).
3. Among matchings with that many demands and all pairs >= t, the best total (min-cost flow with
   a bonus per matched demand that outweighs any score difference).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mentorbridge.matching_engine import arrays
from mentorbridge.matching_engine.solvers.flow import Arcs, max_matching_size


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
    most, _ = max_matching_size(arcs)
    if most == 0 or len(arcs.values) == 0:
        return FairThreshold(threshold=0, matched=most)
    levels = arrays.unique(arcs.values)

    def feasible(level: int) -> bool:
        return max_matching_size(restrict(arcs, int(levels[level])))[0] == most

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
