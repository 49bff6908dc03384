"""Repairing the last optimal flow after an edit gives what a fresh solve gives."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine.solvers.flow import Arcs, FlowSolution, solve_min_cost
from mentorbridge.matching_engine.solvers.repair import repair_min_cost, repair_on_rows

I64 = np.ndarray


def _arcs(rng: np.random.Generator, classes: bool) -> Arcs:
    """Random arcs with ties on purpose (few distinct values), mentees with two or three
    focus areas (intermediate nodes), and with `classes` some mentors alike (one class)."""
    n_mentees = int(rng.integers(3, 12))
    areas = rng.integers(1, 4, n_mentees)
    demand_mentee = np.repeat(np.arange(n_mentees), areas).astype(np.int64)
    n_d = len(demand_mentee)
    n_m = int(rng.integers(2, 9))
    rep = np.arange(n_m, dtype=np.int64)
    capacity = rng.integers(0, 4, n_m).astype(np.int64)
    if classes and n_m >= 3:
        group = rng.choice(n_m, size=int(rng.integers(2, n_m)), replace=False)
        rep[group] = group.min()
        capacity[group] = int(rng.integers(1, 3))
    levels = rng.integers(0, 3) + 1
    rows, cols, values = [], [], []
    for d in range(n_d):
        for c in np.unique(rep):
            if rng.random() < 0.55:
                members = np.flatnonzero(rep == c)
                rows.append(d)
                cols.append(int(rng.choice(members)))  # a class is reached through any member
                values.append(int(rng.integers(0, levels)) * 100_000)
    return Arcs(
        rows=np.array(rows, np.int64),
        cols=np.array(cols, np.int64),
        values=np.array(values, np.int64),
        demand_mentee=demand_mentee,
        capacity=capacity,
        n_demands=n_d,
        mentor_class=rep if classes else None,
    )


def _edit(rng: np.random.Generator, arcs: Arcs, assigned: I64) -> Arcs:
    """What pins and forbids do to a re-solve's arcs: chosen and other pairs removed, a
    demand taken out with a place of its mentor, places added, new pairs listed."""
    keep = np.ones(len(arcs.rows), bool)
    chosen = np.flatnonzero(assigned[arcs.rows] == arcs.cols)
    if len(chosen):
        keep[rng.choice(chosen, size=min(len(chosen), int(rng.integers(1, 3))), replace=False)] = (
            False
        )
    keep &= rng.random(len(keep)) > 0.05
    capacity = arcs.capacity.copy()
    rep = arcs.mentor_class
    alone = (
        np.flatnonzero(np.bincount(rep, minlength=len(capacity))[rep] == 1)
        if rep is not None
        else np.arange(len(capacity))
    )
    if rng.random() < 0.6:  # a pin: the demand leaves, its mentor has a place less
        d = int(rng.integers(0, arcs.n_demands))
        keep &= arcs.rows != d
        if len(alone):
            j = int(rng.choice(alone))
            capacity[j] = max(capacity[j] - 1, 0)
    if rng.random() < 0.3 and len(alone):  # a pin undone: a place more
        capacity[int(rng.choice(alone))] += 1
    out = arcs.subset(keep)
    out.previous = None
    out.capacity = capacity
    if rng.random() < 0.4:  # the certificate listed new pairs
        n_new = int(rng.integers(1, 6))
        rows = rng.integers(0, arcs.n_demands, n_new)
        cols = rng.integers(0, len(capacity), n_new)
        if rep is not None:
            cols = rep[cols]
        key = np.unique(rows * len(capacity) + cols)
        old = out.rows * len(capacity) + (out.cols if rep is None else rep[out.cols])
        key = key[~np.isin(key, old)]
        out.rows = np.concatenate([out.rows, key // len(capacity)]).astype(np.int64)
        out.cols = np.concatenate([out.cols, key % len(capacity)]).astype(np.int64)
        out.values = np.concatenate([out.values, rng.integers(0, 3, len(key)) * 100_000])
        order = np.argsort(out.rows, kind="stable")
        out.rows, out.cols, out.values = out.rows[order], out.cols[order], out.values[order]
    # like a re-solve: arcs into mentors without places are left out; ties keep the last pairs
    out = out.subset(out.capacity[out.cols] > 0)
    out.previous = assigned[out.rows] == out.cols
    return out


def _fresh(arcs: Arcs) -> FlowSolution:
    copy = arcs.subset(np.ones(len(arcs.rows), bool))
    if arcs.mentor_class is not None:
        copy.mentor_class = arcs.mentor_class.copy()
    return solve_min_cost(copy)


def _check_feasible(arcs: Arcs, solution: FlowSolution) -> None:
    listed = set(zip(arcs.rows.tolist(), arcs.cols.tolist(), strict=True))
    rep = arcs.mentor_class if arcs.mentor_class is not None else np.arange(len(arcs.capacity))
    by_class = {(d, int(rep[j])) for d, j in listed}
    taken: dict[tuple[int, int], int] = {}
    for d, j in enumerate(solution.assigned.tolist()):
        if j < 0:
            continue
        assert (d, int(rep[j])) in by_class
        key = (int(arcs.demand_mentee[d]), j)
        taken[key] = taken.get(key, 0) + 1
        assert taken[key] == 1  # a mentee never gets the same mentor twice
    used = np.bincount(solution.assigned[solution.assigned >= 0], minlength=len(arcs.capacity))
    assert (used <= np.maximum(arcs.capacity, 0)).all()


def _kept(arcs: Arcs, assigned: I64, last: I64) -> int:
    rep = arcs.mentor_class if arcs.mentor_class is not None else np.arange(len(arcs.capacity))
    hit = (assigned >= 0) & (last >= 0)
    return int((rep[assigned[hit]] == rep[last[hit]]).sum())


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans(), st.integers(1, 4))
def test_a_repaired_flow_is_a_fresh_solve_s_optimum_with_its_duals(
    seed: int, classes: bool, edits: int
) -> None:
    rng = np.random.default_rng(seed)
    arcs = _arcs(rng, classes)
    last = _fresh(arcs)
    for _ in range(edits):
        edited = _edit(rng, arcs, last.assigned)
        fresh = _fresh(edited)
        repaired = repair_min_cost(edited, last.assigned, last.prices)
        assert repaired is not None
        _check_feasible(edited, repaired)
        assert int(repaired.values.sum()) == int(fresh.values.sum())
        # the duals the certificate reads are the same (the extreme ones of every optimum)
        assert np.array_equal(repaired.prices, fresh.prices)
        assert np.array_equal(repaired.mid_mentee_key, fresh.mid_mentee_key)
        assert np.array_equal(repaired.mid_prices, fresh.mid_prices)
        # among optimal flows the one that keeps the most of the last assignment
        kept = _kept(edited, repaired.assigned, last.assigned)
        if classes:
            assert kept >= _kept(edited, fresh.assigned, last.assigned)
        else:
            assert kept == _kept(edited, fresh.assigned, last.assigned)
        arcs, last = edited, repaired


def _repair_from_any_prices(seed: int, classes: bool) -> tuple[Arcs, I64, np.ndarray]:
    """Edited arcs, a start that keeps about half of the last optimum's pairs, and random
    mentor prices: a repair's input far from its answer."""
    rng = np.random.default_rng(seed)
    arcs = _arcs(rng, classes)
    last = _fresh(arcs)
    edited = _edit(rng, arcs, last.assigned)
    prices = rng.integers(0, 400_000, len(arcs.capacity)).astype(np.float64)
    start = np.where(rng.random(arcs.n_demands) < 0.5, last.assigned, -1)
    return edited, start, prices


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_a_repair_from_any_prices_is_exact_or_declines(seed: int, classes: bool) -> None:
    edited, start, prices = _repair_from_any_prices(seed, classes)
    repaired = repair_min_cost(edited, start, prices)
    if repaired is None:
        return
    fresh = _fresh(edited)
    _check_feasible(edited, repaired)
    assert int(repaired.values.sum()) == int(fresh.values.sum())
    assert np.array_equal(repaired.prices, fresh.prices)
    assert np.array_equal(repaired.mid_prices, fresh.mid_prices)


def test_an_unchanged_problem_keeps_its_flow_and_duals() -> None:
    rng = np.random.default_rng(3)
    arcs = _arcs(rng, classes=False)
    last = _fresh(arcs)
    arcs.previous = last.assigned[arcs.rows] == arcs.cols
    repaired = repair_min_cost(arcs, last.assigned, last.prices)
    assert repaired is not None
    assert np.array_equal(repaired.assigned, last.assigned)
    assert np.array_equal(repaired.prices, last.prices)
    assert np.array_equal(repaired.mid_prices, last.mid_prices)


def _rows_instance(rng: np.random.Generator) -> tuple[I64, I64, I64, I64]:
    """A shortlist as rows (CSR: pointer, mentors, scores; each row by score descending) of
    demands that are each a mentee's only focus area, with ties on purpose, and capacities."""
    n_d = int(rng.integers(3, 16))
    n_m = int(rng.integers(2, 9))
    capacity = rng.integers(0, 4, n_m).astype(np.int64)
    levels = int(rng.integers(1, 4))
    indptr, cols, scores = [0], [], []
    for _ in range(n_d):
        row = [j for j in range(n_m) if rng.random() < 0.6]
        values = [int(rng.integers(0, levels + 1)) * 100_000 for _ in row]
        order = sorted(range(len(row)), key=lambda k: (-values[k], row[k]))
        cols += [row[k] for k in order]
        scores += [values[k] for k in order]
        indptr.append(len(cols))
    return (
        np.array(indptr, np.int64),
        np.array(cols, np.int64),
        np.array(scores, np.int64),
        capacity,
    )


def _row_arcs(
    indptr: I64, cols: I64, scores: I64, active: I64, capacity: I64, last: I64 | None
) -> Arcs:
    """The network a solve takes of those rows: active demands, mentors with a place."""
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    keep = active[rows] & (capacity[cols] > 0)
    arcs = Arcs(
        rows=rows[keep],
        cols=cols[keep],
        values=scores[keep],
        demand_mentee=np.arange(len(indptr) - 1, dtype=np.int64),
        capacity=capacity,
        n_demands=len(indptr) - 1,
    )
    if last is not None:
        arcs.previous = last[arcs.rows] == arcs.cols
    return arcs


def _optimal_by_its_prices(arcs: Arcs, solution: FlowSolution) -> None:
    """The prices prove the flow optimal: each matched demand takes a pair of best reduced
    value (at least 0), an unmatched one has none above 0, a priced mentor is full."""
    best = np.zeros(arcs.n_demands)
    reduced = arcs.values - solution.prices[arcs.cols]
    np.maximum.at(best, arcs.rows, reduced)
    assigned = solution.assigned
    for d in range(arcs.n_demands):
        j = int(assigned[d])
        if j >= 0:
            assert solution.values[d] - solution.prices[j] == best[d]
        else:
            assert best[d] == 0
    used = np.bincount(assigned[assigned >= 0], minlength=len(arcs.capacity))
    full = used == np.maximum(arcs.capacity, 0)
    assert (solution.prices >= 0).all()
    assert ((solution.prices == 0) | full).all()


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_a_repair_on_the_rows_is_a_fresh_solve_s_optimum_and_keeps_as_many_pairs(
    seed: int, edits: int
) -> None:
    rng = np.random.default_rng(seed)
    indptr, cols, scores, capacity = _rows_instance(rng)
    n_d = len(indptr) - 1
    active = np.ones(n_d, bool)
    last = _fresh(_row_arcs(indptr, cols, scores, active, capacity, None))
    for _ in range(edits):
        # a pin (a demand leaves, a mentor has a place less), a forbid (a pair leaves the
        # rows), a pin undone (a place more), or the certificate listing a new pair
        edit = rng.integers(0, 4)
        if edit == 0:
            active[int(rng.integers(0, n_d))] = False
            j = int(rng.integers(0, len(capacity)))
            capacity[j] = max(capacity[j] - 1, 0)
        elif edit == 1 and len(cols):
            keep = np.ones(len(cols), bool)
            keep[int(rng.integers(0, len(cols)))] = False
            rows = np.repeat(np.arange(n_d), np.diff(indptr))[keep]
            cols, scores = cols[keep], scores[keep]
            indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n_d))])
        elif edit == 2:
            capacity[int(rng.integers(0, len(capacity)))] += 1
        arcs = _row_arcs(indptr, cols, scores, active, capacity, last.assigned)
        fresh = _fresh(arcs)
        repaired = repair_on_rows(
            indptr, cols, scores, 0, active, capacity, last.assigned, last.prices
        )
        assert repaired is not None
        _check_feasible(arcs, repaired)
        assert not (repaired.assigned[~active] >= 0).any()
        assert int(repaired.values.sum()) == int(fresh.values.sum())
        _optimal_by_its_prices(arcs, repaired)
        # among optimal flows one that keeps the most of the last assignment
        assert _kept(arcs, repaired.assigned, last.assigned) == _kept(
            arcs, fresh.assigned, last.assigned
        )
        last = repaired


def test_a_repair_on_unchanged_rows_keeps_the_flow_and_its_prices() -> None:
    rng = np.random.default_rng(5)
    indptr, cols, scores, capacity = _rows_instance(rng)
    active = np.ones(len(indptr) - 1, bool)
    last = _fresh(_row_arcs(indptr, cols, scores, active, capacity, None))
    repaired = repair_on_rows(indptr, cols, scores, 0, active, capacity, last.assigned, last.prices)
    assert repaired is not None
    assert np.array_equal(repaired.assigned, last.assigned)
    assert np.array_equal(repaired.prices, last.prices)


@pytest.mark.parametrize("seed", range(8))
def test_a_repair_with_more_excess_than_its_cap_declines_and_one_within_it_is_unchanged(
    seed: int, caplog: pytest.LogCaptureFixture
) -> None:
    rng = np.random.default_rng(seed)
    arcs = _arcs(rng, classes=False)
    last = _fresh(arcs)
    edited = _edit(rng, arcs, last.assigned)
    prices = rng.integers(0, 400_000, len(arcs.capacity)).astype(np.float64)
    start = np.where(rng.random(arcs.n_demands) < 0.5, last.assigned, -1)
    with caplog.at_level(logging.DEBUG, logger="mentorbridge.matching_engine.solvers.repair"):
        uncapped = repair_min_cost(edited, start, prices)
    found = [r.getMessage() for r in caplog.records if "excess units," in r.getMessage()]
    assert uncapped is not None and len(found) == 1  # these starts repair, and say how much
    excess = int(found[0].split()[1])
    assert repair_min_cost(edited, start, prices, max_excess=excess - 1) is None
    within = repair_min_cost(edited, start, prices, max_excess=excess)
    assert within is not None
    assert np.array_equal(within.assigned, uncapped.assigned)
    assert np.array_equal(within.prices, uncapped.prices)


def _wide_arcs(rng: np.random.Generator) -> Arcs:
    """A market big enough that a repair from a poor start moves many units in one phase:
    150 mentees (some with two focus areas), 40 mentors, a dozen score levels."""
    areas = rng.integers(1, 3, 150)
    demand_mentee = np.repeat(np.arange(150), areas).astype(np.int64)
    n_d, n_m = len(demand_mentee), 40
    listed = rng.random((n_d, n_m)) < 0.3
    rows, cols = np.nonzero(listed)
    return Arcs(
        rows=rows.astype(np.int64),
        cols=cols.astype(np.int64),
        values=rng.integers(0, 12, len(rows)).astype(np.int64) * 50_000,
        demand_mentee=demand_mentee,
        capacity=rng.integers(1, 5, n_m).astype(np.int64),
        n_demands=n_d,
    )


@pytest.mark.parametrize("seed", range(12))
def test_a_repair_that_moves_many_units_at_once_is_a_fresh_solve_s_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    arcs = _wide_arcs(rng)
    start = rng.integers(-1, len(arcs.capacity), arcs.n_demands)  # a poor start
    start[~np.isin(np.arange(arcs.n_demands), arcs.rows[arcs.cols == start[arcs.rows]])] = -1
    prices = rng.integers(0, 600_000, len(arcs.capacity)).astype(np.float64)
    repaired = repair_min_cost(arcs, start, prices, work=10_000)
    assert repaired is not None
    fresh = _fresh(arcs)
    _check_feasible(arcs, repaired)
    assert int(repaired.values.sum()) == int(fresh.values.sum())
    assert np.array_equal(repaired.prices, fresh.prices)
    assert np.array_equal(repaired.mid_prices, fresh.mid_prices)


def _same_solution(a: FlowSolution | None, b: FlowSolution | None) -> bool:
    if a is None or b is None:
        return a is b
    return all(
        np.array_equal(getattr(a, name), getattr(b, name))
        for name in ("assigned", "prices", "values", "mid_mentee_key", "mid_prices")
    )


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans(), st.sampled_from([1, 2, 6]))
def test_start_labels_by_sweeps_are_the_labels_by_label_correcting(
    seed: int, classes: bool, sweeps: int
) -> None:
    # the repair's start labels from sweeps over the arcs (`_sweep_labels`; one sweep is never
    # enough to confirm them, so with 1 label correcting always follows) and from label
    # correcting alone (0 sweeps) are the same shortest distances: the same repair, declined
    # alike. Mentees with several focus areas give paths through intermediate nodes
    from mentorbridge.matching_engine.solvers import repair

    edited, start, prices = _repair_from_any_prices(seed, classes)
    original = repair.LABEL_SWEEPS
    try:
        repair.LABEL_SWEEPS = 0
        corrected = repair_min_cost(edited, start, prices)
        repair.LABEL_SWEEPS = sweeps
        swept = repair_min_cost(edited, start, prices)
    finally:
        repair.LABEL_SWEEPS = original
    assert _same_solution(swept, corrected)
