"""The min-cost flow solve, in this process and in a forked child while other work runs."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine.solvers.flow import Arcs, solve_min_cost

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def random_arcs(seed: int, n_demands: int = 300, n_mentors: int = 60) -> Arcs:
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n_demands), 8)
    cols = rng.integers(0, n_mentors, len(rows))
    key = np.unique(rows * n_mentors + cols)
    return Arcs(
        rows=(key // n_mentors).astype(np.int64),
        cols=(key % n_mentors).astype(np.int64),
        values=rng.integers(0, 1_000_000, len(key)).astype(np.int64),
        demand_mentee=(np.arange(n_demands) // 2).astype(np.int64),
        capacity=rng.integers(0, 4, n_mentors).astype(np.int64),
        n_demands=n_demands,
    )


@needs_fork
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_solve_in_a_child_process_gives_the_assignment_and_prices_of_one_in_this_process(
    seed: int,
) -> None:
    arcs = random_arcs(seed)
    calls: list[bool] = []

    def meanwhile(busy: Callable[[], bool]) -> None:
        while busy():
            pass
        calls.append(busy())

    here = solve_min_cost(arcs)
    child = solve_min_cost(arcs, meanwhile=meanwhile)
    assert calls == [False]  # the work ran once and saw the solve end
    assert np.array_equal(here.assigned, child.assigned)
    assert np.array_equal(here.values, child.values)
    assert np.array_equal(here.prices, child.prices)
    assert np.array_equal(here.mid_prices, child.mid_prices)


@needs_fork
def test_an_error_in_the_work_beside_the_solve_stops_the_child_and_is_raised() -> None:
    def meanwhile(busy: Callable[[], bool]) -> None:
        raise KeyError("while solving")

    with pytest.raises(KeyError, match="while solving"):
        solve_min_cost(random_arcs(3), meanwhile=meanwhile)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # the child was waited for: no process is left behind


def _tied_arcs(seed: int, n_d: int, n_m: int) -> Arcs:
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for d in range(n_d):
        listed = rng.choice(n_m, int(rng.integers(1, n_m + 1)), replace=False)
        rows += [d] * len(listed)
        cols += listed.tolist()
    values = rng.integers(1, 4, len(rows)) * 1000  # few distinct values: many optima
    return Arcs(
        rows=np.array(rows, np.int64),
        cols=np.array(cols, np.int64),
        values=values.astype(np.int64),
        demand_mentee=np.arange(n_d, dtype=np.int64) // 2,  # two focus areas per mentee
        capacity=rng.integers(1, 3, n_m).astype(np.int64),
        n_demands=n_d,
    )


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n_d=st.integers(2, 14), n_m=st.integers(1, 8))
def test_ties_keep_the_last_solution_and_the_optimum_is_unchanged(
    seed: int, n_d: int, n_m: int
) -> None:
    arcs = _tied_arcs(seed, n_d, n_m)
    plain = solve_min_cost(arcs)
    rng = np.random.default_rng(seed + 1)
    # a feasible earlier assignment: the optimum of the same arcs with shuffled values
    other = Arcs(
        arcs.rows, arcs.cols, rng.permutation(arcs.values), arcs.demand_mentee,
        arcs.capacity, arcs.n_demands,
    )  # fmt: skip
    earlier = solve_min_cost(other).assigned
    arcs.previous = earlier[arcs.rows] == arcs.cols
    keeping = solve_min_cost(arcs)
    assert int(keeping.values.sum()) == int(plain.values.sum())
    kept = int(((keeping.assigned == earlier) & (earlier >= 0)).sum())
    kept_plain = int(((plain.assigned == earlier) & (earlier >= 0)).sum())
    assert kept >= kept_plain
    # any optimal earlier solution is kept whole: one with ties broken at random (values
    # x 100 plus 0 or 1: at most 14 demands, so still an optimum of the real values)
    nudged = Arcs(
        arcs.rows, arcs.cols, arcs.values * 100 + rng.integers(0, 2, len(arcs.values)),
        arcs.demand_mentee, arcs.capacity, arcs.n_demands,
    )  # fmt: skip
    optimal = solve_min_cost(nudged).assigned
    hit = optimal[arcs.rows] == arcs.cols
    assert int(arcs.values[hit].sum()) == int(plain.values.sum())
    arcs.previous = hit
    assert solve_min_cost(arcs).assigned.tolist() == optimal.tolist()
