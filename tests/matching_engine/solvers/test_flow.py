"""The min-cost flow solve, in this process and in a forked child while other work runs."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
import pytest

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
