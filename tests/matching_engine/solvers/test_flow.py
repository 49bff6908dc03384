"""The min-cost flow solve, in this process and in a forked child while other work runs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


KILLED_PARENT = """
import os, signal, sys, time
from mentorbridge.matching_engine.solvers import flow
from tests.matching_engine.solvers.test_flow import random_arcs

def children():
    me = str(os.getpid())
    found = []
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{p}/stat").read()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[1] == me:
            found.append(p)
    return found

flow._flows = lambda *arrays: time.sleep(600)  # a solve that outlives the parent

def meanwhile(busy):
    while not children():
        time.sleep(0.01)
    print(children()[0], flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

flow.solve_min_cost(random_arcs(0), meanwhile=meanwhile)
"""


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_child_solving_when_its_parent_is_killed_does_not_solve_on(tmp_path: Path) -> None:
    # a CLI killed (or terminated) mid-solve left its forked solver running as an orphan
    # until the solve ended: minutes of a core at 100,000 mentees
    root = Path(__file__).parents[3]
    out = tmp_path / "child"
    with out.open("w") as stdout:  # a file, not a pipe: an orphan would hold a pipe open
        parent = subprocess.run(
            [sys.executable, "-c", KILLED_PARENT],
            stdout=stdout,
            stderr=subprocess.STDOUT,
            timeout=120,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
        )
    assert parent.returncode == -signal.SIGKILL, out.read_text()
    pid = int(out.read_text())
    child = Path(f"/proc/{pid}")
    try:
        for _ in range(500):  # the kernel's signal and init's reaping take a moment
            if not child.exists():
                break
            time.sleep(0.02)
        assert not child.exists()
    finally:
        if child.exists():
            os.kill(pid, signal.SIGKILL)


def _reference_network_heads(arcs: Arcs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair heads, intermediate keys and capacities as `np.unique` with counts gives them."""
    n_d, n_m = arcs.n_demands, len(arcs.capacity)
    sink = n_d + n_m
    key = arcs.demand_mentee[arcs.rows] * n_m + arcs.cols
    uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    limit = np.ones(n_m, np.int64) if arcs.mid_capacity is None else arcs.mid_capacity
    over = counts > limit[uniq % n_m]
    node_of_key = np.full(len(uniq), -1, np.int64)
    node_of_key[np.flatnonzero(over)] = sink + 1 + np.arange(int(over.sum()))
    heads = np.where(over[inverse], node_of_key[inverse], n_d + arcs.cols)
    return heads, uniq[over], limit[uniq[over] % n_m]


@pytest.mark.parametrize("order", ["row by row", "shuffled", "mentees out of order"])
@pytest.mark.parametrize("limits", ["one each", "two or three", "some zero"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_intermediate_nodes_go_where_a_mentee_has_more_arcs_to_a_mentor_than_it_may_take(
    seed: int, limits: str, order: str
) -> None:
    arcs = random_arcs(seed, n_demands=400, n_mentors=12)  # mentees of two demands repeat
    arcs.demand_mentee = (np.arange(arcs.n_demands) // 4).astype(np.int64)
    rng = np.random.default_rng(seed)
    if order == "shuffled":  # arcs appended by a merge come out of row order
        arcs = arcs.subset(np.ones(len(arcs.rows), bool))
        perm = rng.permutation(len(arcs.rows))
        arcs.rows, arcs.cols, arcs.values = arcs.rows[perm], arcs.cols[perm], arcs.values[perm]
    elif order == "mentees out of order":  # rows in order, a mentee's demands apart
        arcs.demand_mentee = (np.arange(arcs.n_demands) % 100).astype(np.int64)
    if limits == "two or three":
        arcs.mid_capacity = rng.integers(2, 4, len(arcs.capacity)).astype(np.int64)
    elif limits == "some zero":
        arcs.mid_capacity = rng.integers(0, 3, len(arcs.capacity)).astype(np.int64)
    net = arcs.network()
    heads, keys, capacity = _reference_network_heads(arcs)
    assert len(keys) > 0
    assert np.array_equal(net.pair_head, heads)
    assert np.array_equal(net.mid_key, keys)
    assert np.array_equal(net.mid_capacity, capacity)
    assert np.array_equal(net.mid_mentor, arcs.n_demands + keys % len(arcs.capacity))
    assert np.array_equal(net.active, np.unique(arcs.rows))
