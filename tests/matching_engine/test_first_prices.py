"""First prices from a sampled problem: the replicated solve, determinism, same optimum."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from mentorbridge.matching_engine import Instance, Session, first_prices, rounds
from mentorbridge.matching_engine.certificate import CertifyMemory, Pricing
from mentorbridge.matching_engine.classes import has_members, mentor_classes
from mentorbridge.matching_engine.first_prices import reduced_top, replicated_solve, slack_top
from mentorbridge.matching_engine.solvers.flow import Arcs, solve_min_cost
from tests.matching_engine.synthetic import make_instance, make_tie_instance


def _random_arcs(seed: int, n_d: int = 40, n_m: int = 12, per_row: int = 5) -> Arcs:
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n_d), per_row).astype(np.int64)
    cols = np.concatenate([rng.choice(n_m, per_row, replace=False) for _ in range(n_d)])
    values = rng.integers(1, 1_000_000, len(rows)).astype(np.int64)
    return Arcs(
        rows=rows,
        cols=cols.astype(np.int64),
        values=values,
        demand_mentee=(np.arange(n_d) // 2).astype(np.int64),  # two focus areas per mentee
        capacity=rng.integers(0, 4, n_m).astype(np.int64),
        n_demands=n_d,
    )


def _copied(arcs: Arcs, copies: int) -> Arcs:
    """The problem with every demand (and mentee) there `copies` times."""
    n = arcs.n_demands
    n_mentees = int(arcs.demand_mentee.max()) + 1
    shift = np.repeat(np.arange(copies), len(arcs.rows))
    return Arcs(
        rows=np.tile(arcs.rows, copies) + shift * n,
        cols=np.tile(arcs.cols, copies),
        values=np.tile(arcs.values, copies),
        demand_mentee=np.concatenate([arcs.demand_mentee + c * n_mentees for c in range(copies)]),
        capacity=arcs.capacity,
        n_demands=n * copies,
    )


@pytest.mark.parametrize("seed", range(6))
def test_replicated_solve_of_one_copy_has_the_flow_solvers_value_and_prices(seed: int) -> None:
    arcs = _random_arcs(seed)
    solution, value = replicated_solve(arcs, 1)
    exact = solve_min_cost(arcs)
    assert value == exact.values.sum()
    # the highest prices of the optimal duals are unique, whichever optimal flow was found
    assert np.array_equal(solution.prices, exact.prices)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("copies", [2, 5])
def test_replicated_solve_is_the_problem_with_every_demand_copied(seed: int, copies: int) -> None:
    arcs = _random_arcs(seed)
    _, value = replicated_solve(arcs, copies)
    assert value == solve_min_cost(_copied(arcs, copies)).values.sum()


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        (0, [False] * 5),
        (1, [False, True, False, True, False]),  # mentor 3: slack 0.1 twice, demand 4 first
        (2, [False, True, True, True, True]),
        (3, [True] * 5),
    ],
)
def test_slack_top_takes_each_mentors_pairs_of_least_slack_then_lowest_demand(
    k: int, expected: list[bool]
) -> None:
    cols = np.array([3, 1, 3, 3, 1], np.int64)
    slack = np.array([0.5, 0.0, 0.1, 0.1, 2.0])
    rows = np.array([0, 1, 9, 4, 2], np.int64)
    assert slack_top(cols, slack, rows, k).tolist() == expected


def _reference_reduced_rank(arcs: Arcs, prices: Any) -> list[int]:
    """Each arc's rank in its row by reduced value descending, then mentor; an arc into a
    class the row has already counted ranks last (len of the arcs)."""
    rep = arcs.mentor_class if arcs.mentor_class is not None else np.arange(len(prices))
    rank = [0] * len(arcs.rows)
    for d in set(arcs.rows.tolist()):
        mine = [i for i in range(len(arcs.rows)) if arcs.rows[i] == d]
        mine.sort(key=lambda i: (-(arcs.values[i] - prices[arcs.cols[i]]), arcs.cols[i]))
        counted: set[int] = set()
        for i in mine:
            c = int(rep[arcs.cols[i]])
            rank[i] = len(arcs.rows) if c in counted else len(counted)
            counted.add(c)
    return rank


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("k", [0, 1, 3, 12, 300])
def test_reduced_top_counts_each_class_once_per_row_in_reduced_value_order(
    seed: int, k: int
) -> None:
    rng = np.random.default_rng(seed)
    n_d, n_m, n = 30, 15, 300
    keys = rng.choice(n_d * n_m, n, replace=False)  # each (row, mentor) once, rows not sorted
    if seed % 2:
        keys.sort()
    rows = (keys // n_m).astype(np.int64)
    classes = np.arange(n_m)  # each mentor alone ...
    if seed % 3:
        classes = np.arange(n_m) // 3 * 3  # ... or classes of three
    arcs = Arcs(
        rows=rows,
        cols=(keys % n_m).astype(np.int64),
        values=(rng.integers(0, 8, n) * 1000).astype(np.int64),  # many ties
        demand_mentee=np.arange(n_d, dtype=np.int64),
        capacity=np.ones(n_m, np.int64),
        n_demands=n_d,
        mentor_class=classes.astype(np.int64) if seed % 4 else None,
    )
    prices = (rng.integers(0, 3, n_m) * 1000).astype(float)
    expected = [rank < k for rank in _reference_reduced_rank(arcs, prices)]
    assert reduced_top(arcs, prices, k).tolist() == expected


def _solve(data: dict[str, Any]) -> tuple[float, float, int, list[tuple[str, str, str]], bool]:
    result = Session(Instance.from_dict(data)).solve()
    pairs = sorted((a.mentee, a.focus_area, a.mentor) for a in result.assignments)
    sampled = result.stats["first_prices"] == "sample after round 1"
    return result.stats["objective"], result.stats["gap"], result.stats["rounds"], pairs, sampled


INSTANCES = [
    ("profiles", lambda: make_tie_instance(260, 70, seed=3, style="profiles", k=3)),
    ("one_factor", lambda: make_tie_instance(260, 70, seed=4, style="one_factor", k=3)),
    ("star", lambda: make_tie_instance(240, 60, seed=5, style="star", k=3)),
    ("plain", lambda: make_instance(260, 80, seed=6, k=4)),
    ("coverage", lambda: make_instance(260, 80, seed=7, k=4, objective="coverage")),
]


def _narrow_first_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    """A first working set of each demand's best arc and each mentor's best one: at these
    sizes the usual one certifies in round 1, and the sampled prices would never be asked."""
    whole = rounds._first_working_set

    def narrow(arcs: Arcs, width: int, prices: Any = None, row_best: Any = None) -> Arcs:
        return whole(arcs, 1, prices, row_best)

    monkeypatch.setattr(rounds, "_first_working_set", narrow)
    monkeypatch.setattr(rounds, "FIRST_TOP", 1)


@pytest.mark.parametrize(("name", "make"), INSTANCES, ids=[n for n, _ in INSTANCES])
def test_prices_from_a_sample_keep_the_same_optimum(
    monkeypatch: pytest.MonkeyPatch, name: str, make: Any
) -> None:
    data = make()
    objective, gap, _, _, sampled = _solve(data)
    assert gap == 0.0 and not sampled  # too small for a sample by default
    _narrow_first_solve(monkeypatch)
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    monkeypatch.setattr(rounds, "FAR_GAP", -1.0)  # every first solve counts as far off
    with_prices, gap_with, n_rounds, _, sampled = _solve(data)
    # round 1, then the round from the prices (hubs can make that one the last)
    assert sampled and n_rounds >= 2
    assert gap_with == 0.0
    assert with_prices == objective


def test_prices_from_a_sample_give_the_same_result_on_every_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _narrow_first_solve(monkeypatch)
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    monkeypatch.setattr(rounds, "FAR_GAP", -1.0)
    data = make_tie_instance(260, 70, seed=8, style="profiles", k=3)
    first, second = _solve(data), _solve(data)
    assert first[4]
    assert first == second


def test_a_first_solve_near_its_bound_asks_for_no_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    _narrow_first_solve(monkeypatch)
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    monkeypatch.setattr(rounds, "FAR_GAP", 1e9)
    _, gap, _, _, sampled = _solve(make_instance(260, 80, seed=6, k=4))
    assert gap == 0.0 and not sampled


def test_a_sample_at_a_fair_threshold_solves_and_adds_only_pairs_at_it_or_above(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # `fair` far off after round 1 (the app's 20,000 x 6,000 round: 57 % after 8 rounds,
    # 13,695 matched of 14,383) gets the sampled problem's prices at its threshold
    session = Session(Instance.from_dict(make_instance(260, 80, seed=7, k=4, objective="fair")))
    shortlist = session.shortlist
    threshold = int(np.median(shortlist.scores[shortlist.scores >= 0]))
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    solved: list[Arcs] = []
    original = first_prices._sample_arcs

    def spy(*args: Any) -> Arcs:
        solved.append(original(*args))
        return solved[-1]

    monkeypatch.setattr(first_prices, "_sample_arcs", spy)
    model = session.model
    pricing = Pricing(
        bonus=0, threshold=threshold, active=np.ones(model.n_demands, bool),
        capacity=model.capacity.copy(),
    )  # fmt: skip
    before = set(zip(shortlist.rows.tolist(), shortlist.cols.tolist(), strict=True))
    prices = rounds._seed_prices(
        session.features, shortlist, pricing, None, rounds.removed_keys(model), 4, CertifyMemory()
    )
    assert prices is not None and solved
    assert all(int(arcs.values.min()) >= threshold for arcs in solved)
    after = zip(
        shortlist.rows.tolist(), shortlist.cols.tolist(), shortlist.scores.tolist(), strict=True
    )
    added = [score for r, c, score in after if (r, c) not in before]
    assert added and min(added) >= threshold


@pytest.mark.parametrize(
    ("make", "alike"),
    [
        (lambda: make_instance(260, 80, seed=6, k=4), False),
        (lambda: make_tie_instance(260, 70, seed=3, style="profiles", k=3), True),
    ],
    ids=["every mentor alone", "classes of alike mentors"],
)
def test_a_sampled_row_takes_as_many_more_pairs_as_it_stands_for_where_mentors_are_alone(
    monkeypatch: pytest.MonkeyPatch, make: Any, alike: bool
) -> None:
    session = Session(Instance.from_dict(make()))
    model = session.model
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    limits: list[int] = []
    certify = first_prices.certify

    def spy(*args: Any) -> Any:
        if args[3].active.sum() < model.n_demands:  # a sample's round (not the seed pass)
            limits.append(args[4])
        return certify(*args)

    monkeypatch.setattr(first_prices, "certify", spy)
    active = np.ones(model.n_demands, bool)
    classes = mentor_classes(session.features, model.capacity) if alike else None
    assert has_members(classes) == alike
    prices = first_prices.sampled_prices(
        session.features, session.shortlist, active, model.capacity.copy(), 0, classes,
        rounds.removed_keys(model), 4,
    )  # fmt: skip
    assert prices is not None and limits
    # a fifth of the mentees, 5 copies a row; its own sample a fifth of that, 25 copies (the
    # pass at the inner sample's prices over the outer sample's rows adds 4 a row, as ever)
    assert set(limits) == ({4} if alike else {4, 4 * 5, 4 * 25})
