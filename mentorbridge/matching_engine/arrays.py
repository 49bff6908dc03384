"""Sort-based set operations on integer keys.

`np.unique` without extra outputs and `np.isin` take a hashing path in recent numpy that is
an order of magnitude slower than sorting on the million-key arrays of a cohort round.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]
SMALL_POOL = 1 << 17


def unique(values: I64) -> I64:
    """Sorted distinct values."""
    return unique_sorted(np.sort(values))


def unique_sorted(values: I64) -> I64:
    """Distinct values of an array already sorted (no second sort)."""
    return values[_run_heads(values)]


def isin(
    values: NDArray[np.integer], pool: NDArray[np.integer], pool_sorted: bool = False
) -> NDArray[np.bool_]:
    """Whether each value occurs in `pool` (pass pool_sorted when it is sorted already)."""
    ordered = pool if pool_sorted else np.sort(pool)
    if len(ordered) == 0:
        return np.zeros(len(values), bool)
    if len(ordered) <= SMALL_POOL:  # a small pool stays in cache: search directly
        pos = np.searchsorted(ordered, values).clip(0, len(ordered) - 1)
        return np.asarray(ordered[pos] == values)
    if len(values) < 2 or bool((values[1:] >= values[:-1]).all()):
        pos = np.searchsorted(ordered, values).clip(0, len(ordered) - 1)
        return np.asarray(ordered[pos] == values)
    # searching sorted values walks the pool in order (unsorted ones miss the cache)
    order = np.argsort(values, kind="stable")
    wanted = values[order]
    pos = np.searchsorted(ordered, wanted).clip(0, len(ordered) - 1)
    found = np.empty(len(values), bool)
    found[order] = ordered[pos] == wanted
    return found


def _run_heads(keys: NDArray[np.integer]) -> NDArray[np.bool_]:
    heads = np.empty(len(keys), bool)
    if len(keys):
        heads[0] = True
        np.not_equal(keys[1:], keys[:-1], out=heads[1:])
    return heads


def group_rank(keys: NDArray[np.integer]) -> I64:
    """Position of each element within its run of equal keys (`keys` sorted)."""
    positions = np.arange(len(keys))
    run_start = np.maximum.accumulate(np.where(_run_heads(keys), positions, 0))
    return positions - run_start
