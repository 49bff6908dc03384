"""First prices from a sampled problem: the replicated solve, determinism, same optimum."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from mentorbridge.matching_engine import Instance, Session, first_prices, rounds
from mentorbridge.matching_engine.certificate import CertifyMemory, Pricing
from mentorbridge.matching_engine.classes import has_members, mentor_classes
from mentorbridge.matching_engine.first_prices import reduced_top, replicated_solve, slack_top
from mentorbridge.matching_engine.shortlist import INELIGIBLE, SCALE, scored_rows
from mentorbridge.matching_engine.solvers.flow import Arcs, solve_min_cost
from tests.matching_engine.synthetic import make_instance, make_tie_instance
from tests.matching_engine.test_auction import SAMPLES, _gives_up_once, _plain, _solve_patched


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
    memory = CertifyMemory()
    seeded = rounds._seed_prices(
        session.features, shortlist, pricing, None, rounds.removed_keys(model), 4, memory
    )
    assert seeded is not None and solved
    # the bound it gives is the certificate's at its prices with nothing matched
    assert memory.prices is not None and memory.row_best is not None
    places = float((pricing.capacity.clip(0) * memory.prices).sum())
    assert seeded[1] == pytest.approx(places + float(np.maximum(memory.row_best, 0.0).sum()))
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


# the sampled problem solved over every pair at once (`first_prices.dense_sampled_prices`)
needs_simplex = pytest.mark.skipif(
    first_prices._network_simplex() is None, reason="POT (the network simplex) is not installed"
)


def _dense_session(seed: int, mentees: int = 260, mentors: int = 80) -> Session:
    return Session(Instance.from_dict(make_instance(mentees, mentors, seed=seed, k=4)))


def _bound(
    scores: np.ndarray, places: np.ndarray, prices: np.ndarray, copies: int, bonus: int
) -> float:
    """The LP bound at `prices` of the sampled problem whose rows each stand for `copies`."""
    reduced = np.where(scores >= 0, scores + bonus - prices[None, :], -np.inf)
    best = np.maximum(reduced.max(axis=1), 0.0)
    return float((places * prices).sum() + copies * best.sum())


@needs_simplex
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("bonus", [0, 7 * SCALE])
def test_the_dense_sample_s_prices_are_optimal_duals_of_its_problem(
    monkeypatch: pytest.MonkeyPatch, seed: int, bonus: int
) -> None:
    # the bound at the prices equals the sampled problem's optimum over every pair (solved here
    # as a flow on all its eligible pairs, each focus area its own mentee: the simplex relaxes
    # the mentee rule too): the prices are optimal duals, not merely feasible ones
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    session = _dense_session(seed)
    model = session.model
    active = np.ones(model.n_demands, bool)
    capacity = model.capacity.copy()
    prices = first_prices.dense_sampled_prices(session.features, active, capacity, bonus)
    assert prices is not None and (prices >= 0).all()
    sampled, copies = first_prices._draw(
        model.demand_mentee, active, first_prices.SAMPLE_MAX_DEMANDS, 0
    )
    rows = np.flatnonzero(sampled)
    scores = scored_rows(session.features, rows).astype(np.int64)
    r, c = np.nonzero(scores >= 0)
    arcs = Arcs(
        rows=r.astype(np.int64), cols=c.astype(np.int64), values=scores[r, c] + bonus,
        demand_mentee=np.arange(len(rows), dtype=np.int64), capacity=capacity,
        n_demands=len(rows),
    )  # fmt: skip
    _, optimum = first_prices.replicated_solve(arcs, copies)
    places = np.maximum(capacity, 0)
    assert _bound(scores, places, prices, copies, bonus) == pytest.approx(
        optimum, rel=1e-9, abs=1.0
    )


@needs_simplex
def test_the_dense_sample_lists_each_rows_best_and_each_mentors_least_slack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # distinct scores (no ties to break), some pairs ineligible: the listed pairs are exactly
    # each row's best few by reduced value and each mentor's few of least slack, all eligible
    monkeypatch.setattr(first_prices, "DENSE_PAIRS_PER_ROW", 3)
    monkeypatch.setattr(first_prices, "DENSE_PAIRS_PER_MENTOR", 2)
    monkeypatch.setattr(first_prices, "DENSE_BLOCK_ROWS", 4)  # blocks that do not divide evenly
    monkeypatch.setattr(first_prices, "DENSE_MENTOR_BLOCK", 3)
    session = _dense_session(1, 30, 11)
    n_d, n_m = session.model.n_demands, session.model.n_mentors
    rng = np.random.default_rng(3)
    scores = rng.permutation(n_d * n_m).reshape(n_d, n_m).astype(np.int32) * 10
    scores[rng.random((n_d, n_m)) < 0.2] = INELIGIBLE
    prices = rng.integers(0, n_d * n_m * 10, n_m).astype(np.float64) + 0.5
    rows, mentors = np.arange(n_d, dtype=np.int64), np.arange(n_m, dtype=np.int64)
    shortlist = session.shortlist
    before = set(zip(shortlist.rows.tolist(), shortlist.cols.tolist(), strict=True))
    first_prices._list_sampled_pairs(shortlist, rows, mentors, scores, prices, 0, 0)
    after = set(zip(shortlist.rows.tolist(), shortlist.cols.tolist(), strict=True))
    reduced = np.where(scores >= 0, scores - prices[None, :], -np.inf)
    slack = np.maximum(reduced.max(axis=1), 0.0)[:, None] - reduced
    expected = set()
    for d in range(n_d):
        expected |= {(d, int(j)) for j in np.argsort(-reduced[d])[:3] if scores[d, j] >= 0}
    for j in range(n_m):
        expected |= {(int(d), j) for d in np.argsort(slack[:, j])[:2] if scores[d, j] >= 0}
    assert after - before == expected - before
    assert all(shortlist.score_of(d, j) == scores[d, j] for d, j in expected - before)


@pytest.mark.parametrize(
    ("values", "k", "marked"),
    [
        ([3.0, 1.0, 2.0, 5.0], 2, [0, 3]),  # the two largest
        ([2.0, 7.0, 2.0, 2.0, 1.0], 3, [0, 1, 2]),  # ties at the k-th: the first ones
        ([-np.inf, 4.0, -np.inf], 2, [1]),  # fewer finite than k: those only
        ([1.0, 1.0], 0, []),
    ],
)
def test_the_dense_sample_marks_the_largest_values_ties_by_position(
    values: list[float], k: int, marked: list[int]
) -> None:
    marks = np.zeros(len(values), np.bool_)
    first_prices._mark_largest(np.array(values), k, marks)
    assert np.flatnonzero(marks).tolist() == marked


@needs_simplex
@pytest.mark.parametrize(
    "patch",
    [
        ("_network_simplex", lambda: None),  # POT is not installed
        ("DENSE_MAX_ITER", 1),  # the simplex stops before the optimum
        ("DENSE_SAMPLE_MAX_CELLS", 10),  # a sample too large to solve densely
    ],
    ids=["no POT", "simplex stopped", "too large"],
)
def test_the_flow_sample_serves_where_the_dense_one_cannot(
    monkeypatch: pytest.MonkeyPatch, patch: tuple[str, Any]
) -> None:
    called: list[int] = []
    flow_sample = first_prices.sampled_prices

    def spy(*args: Any, **kwargs: Any) -> Any:
        called.append(1)
        return flow_sample(*args, **kwargs)

    monkeypatch.setattr(rounds, "sampled_prices", spy)
    name, value = patch
    objective, with_prices, gap, priced = _solve_patched(
        monkeypatch, _plain(), SAMPLES, (first_prices, name, value),
        (rounds, "_unlisted_gap", _gives_up_once()),
    )  # fmt: skip
    assert priced == "sample, then auction" and called
    assert gap == 0.0 and with_prices == objective


def _dense_samples_seen(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What each dense sample the rounds ask for returns (None: the flow sample serves)."""
    seen: list[Any] = []
    real = first_prices.dense_sampled_prices

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(rounds, "dense_sampled_prices", spy)
    return seen


@needs_simplex
def test_the_app_s_path_takes_the_dense_sample_and_keeps_the_certified_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the first auctions give up (the app's round): the dense sample prices the pass and the
    # auctions after it, the flow sample is not solved, the optimum is the same
    dense = _dense_samples_seen(monkeypatch)
    monkeypatch.setattr(rounds, "sampled_prices", _fails)
    objective, with_prices, gap, priced = _solve_patched(
        monkeypatch, _plain(), SAMPLES, (rounds, "_unlisted_gap", _gives_up_once())
    )
    assert priced == "sample, then auction"
    assert len(dense) == 1 and dense[0] is not None
    assert gap == 0.0 and with_prices == objective


def _fails(*args: Any, **kwargs: Any) -> Callable[..., Any]:
    raise AssertionError("the flow sample was solved")


@needs_simplex
def test_a_problem_below_the_smallest_sample_gets_no_dense_sample() -> None:
    session = _dense_session(2)
    model = session.model
    active = np.ones(model.n_demands, bool)
    assert model.n_demands < first_prices.MIN_SAMPLE_DEMANDS
    assert first_prices.dense_sampled_prices(session.features, active, model.capacity, 0) is None


@needs_simplex
@pytest.mark.parametrize("objective", ["total", "coverage"])
def test_the_dense_sample_with_pins_forbids_and_closed_mentors_keeps_the_exact_optimum(
    monkeypatch: pytest.MonkeyPatch, objective: str
) -> None:
    # hard rules on the path of the app's round: a pin, forbidden pairs and a mentor with no
    # place; the exact all-pairs reference agrees, rules and reasons included
    from tests.matching_engine.test_exact_reference import assert_exact, generated

    data = generated("none", 600, 200, seed=5, k=6)
    mentees, mentors = data["mentees"], data["mentors"]
    data["rules"]["forbidden"] = [
        {"mentee": mentees[i]["id"], "mentor": mentors[(7 * i) % len(mentors)]["id"]}
        for i in range(0, len(mentees), 3)
    ]
    pinned = mentees[1]
    data["rules"]["pinned"] = [
        {
            "mentee": pinned["id"],
            "mentor": mentors[5]["id"],
            "focus_area": pinned["focus_areas"][0]["id"],
        }
    ]
    mentors[9]["capacity"] = 0
    dense = _dense_samples_seen(monkeypatch)
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    monkeypatch.setattr(rounds, "_unlisted_gap", _gives_up_once())
    assert_exact(data, objective)
    assert len(dense) == 1 and dense[0] is not None


# whether the first shortlist's rows reach the places (`first_prices.raw_lists_reach_places`),
# and the dense sample solved beside the shortlist where they do not (`rounds.sample_beside_
# shortlist`)
def _listing(
    monkeypatch: pytest.MonkeyPatch, scores: np.ndarray, places: np.ndarray, step: int, k: int
) -> bool:
    """`raw_lists_reach_places` of sampled rows whose scores against the open mentors are
    `scores`."""
    monkeypatch.setattr(first_prices, "LISTED_BLOCK_ROWS", 3)  # blocks that do not divide evenly
    n_s = len(scores)
    return first_prices.raw_lists_reach_places(scores.astype(np.int32), places, step, k, n_s * step)


def test_lists_that_spread_over_the_mentors_reach_their_places(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 10 sampled rows for 40 focus areas, 8 mentors with 2 places each: every mentor is among
    # the 2 best of some row, so each reaches its places (4 a row listing it)
    scores = np.array([[(3 * d + 5 * j) % 8 for j in range(8)] for d in range(10)]) * 100
    assert _listing(monkeypatch, scores, np.full(8, 2, np.int64), step=4, k=2)


def test_lists_that_all_name_the_same_mentors_fall_short_of_the_places(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # every row ranks mentors 0 and 1 first: they reach their 2 places each, 4 of 16 (0.25),
    # below LISTED_PLACES_MIN of min(40 focus areas, 16 places)
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 500, (10, 8))
    scores[:, :2] = 900 + np.arange(10)[:, None]
    assert not _listing(monkeypatch, scores, np.full(8, 2, np.int64), step=4, k=2)


def test_ineligible_pairs_do_not_count_as_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    # each row's only eligible mentor is mentor 0: the other mentors among its 8 "best" are
    # ineligible, and mentor 0 alone reaches 2 of the 16 places
    scores = np.full((10, 8), INELIGIBLE)
    scores[:, 0] = 500
    assert not _listing(monkeypatch, scores, np.full(8, 2, np.int64), step=4, k=8)
    # every pair eligible (the others at 0), 3 best a row: the rows' ties at 0 give them two
    # more mentors each, the same two for every row (they are alike): 3 of 8 places reached
    assert not _listing(monkeypatch, np.where(scores < 0, 0, scores), np.full(8, 1), 1, 3)
    # one place each and as many rows as places: a mentor listed by one row reaches its place
    spread = np.eye(8, dtype=np.int64)[np.arange(10) % 8] * 500
    assert _listing(monkeypatch, spread, np.full(8, 1, np.int64), step=1, k=1)


def _auction_starts(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Per auction the rounds run, whether it started from prices (False: the first auction,
    on the raw shortlist from 0)."""
    starts: list[bool] = []
    real = rounds.auction_prices

    def spy(*args: Any) -> Any:
        starts.append(len(args) > 6 and args[6] is not None)
        return real(*args)

    monkeypatch.setattr(rounds, "auction_prices", spy)
    return starts


def _assignments(result: Any) -> list[tuple[str, str, str]]:
    return sorted((a.mentee, a.focus_area, a.mentor) for a in result.assignments)


@needs_simplex
@pytest.mark.parametrize("objective", ["total", "coverage"])
def test_the_sample_beside_the_shortlist_gives_the_result_of_the_sample_after_a_failed_auction(
    monkeypatch: pytest.MonkeyPatch, objective: str
) -> None:
    # the app's round: its first auction gives up, and the dense sample comes after it. Solved
    # beside the shortlist instead (its lists fall short: LISTED_PLACES_MIN 2), the first
    # auction is skipped and everything after it is the same: same prices, same pairs
    data = make_instance(260, 80, seed=6, k=4, objective=objective)
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    monkeypatch.setattr(first_prices, "LISTED_PLACES_MIN", -1.0)  # lists always reach
    monkeypatch.setattr(rounds, "_unlisted_gap", _gives_up_once())
    after = _auction_starts(monkeypatch)
    late = Session(Instance.from_dict(data)).solve()
    assert after[0] is False and all(after[1:])  # the raw auction gave up, then the sample's
    monkeypatch.setattr(first_prices, "LISTED_PLACES_MIN", 2.0)  # lists never reach
    beside = _auction_starts(monkeypatch)
    session = Session(Instance.from_dict(data))
    assert session._first_sample is not None
    early = session.solve()
    assert beside and all(beside)  # no auction on the raw shortlist
    assert early.stats["first_prices"] == late.stats["first_prices"] == "sample, then auction"
    assert early.stats["gap"] == late.stats["gap"] == 0.0
    assert early.stats["objective"] == late.stats["objective"]
    assert _assignments(early) == _assignments(late)
    assert session._first_sample is None  # the first solve's only


@needs_simplex
def test_a_sample_whose_lists_reach_the_places_is_not_solved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # plain scores: every focus area's best 4 reach the places, so no sample (None) and the
    # first auction on the shortlist prices the round, as before
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    starts = _auction_starts(monkeypatch)
    session = Session(Instance.from_dict(_plain()))
    assert session._first_sample is not None
    assert session._first_sample.future.result() is None
    result = session.solve()
    assert starts[0] is False and result.stats["first_prices"] == "auction"
    assert result.stats["gap"] == 0.0


@needs_simplex
@pytest.mark.parametrize("change", ["pin", "forbid"])
def test_a_pin_or_forbid_before_the_first_solve_drops_the_sample_beside_the_shortlist(
    monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    # the sample was scored before the change: it is not used, and the optimum is the one of
    # a session built with the change in its rules
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    monkeypatch.setattr(first_prices, "LISTED_PLACES_MIN", 2.0)
    data = _plain()
    mentee = data["mentees"][0]
    mentor = data["mentors"][3]["id"]
    session = Session(Instance.from_dict(data))
    assert session._first_sample is not None
    starts = _auction_starts(monkeypatch)
    if change == "pin":
        session.pin(mentee["id"], mentor, mentee["focus_areas"][0]["id"])
        rule = {
            "mentee": mentee["id"],
            "mentor": mentor,
            "focus_area": mentee["focus_areas"][0]["id"],
        }
        data["rules"].setdefault("pinned", []).append(rule)
    else:
        session.forbid(mentee["id"], mentor)
        data["rules"].setdefault("forbidden", []).append({"mentee": mentee["id"], "mentor": mentor})
    assert session._first_sample is None
    changed = session.solve()
    assert starts and starts[0] is False  # the first auction ran on the raw shortlist
    monkeypatch.setattr(first_prices, "LISTED_PLACES_MIN", -1.0)
    fresh = Session(Instance.from_dict(data)).solve()
    assert changed.stats["gap"] == fresh.stats["gap"] == 0.0
    assert changed.stats["objective"] == fresh.stats["objective"]


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("objective", "fair"),
        ("objective", "stable"),
        ("program_kind", "group"),
        ("max_rounds", 1),
    ],
)
def test_no_sample_is_started_beside_the_shortlist_where_the_solve_would_take_none(
    monkeypatch: pytest.MonkeyPatch, change: str, value: Any
) -> None:
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    data = _plain()
    if change == "max_rounds":
        data["options"]["max_rounds"] = value
    else:
        data[change] = value
    assert Session(Instance.from_dict(data))._first_sample is None


def test_no_sample_is_started_beside_the_shortlist_with_alike_mentors_or_few_focus_areas(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Session(Instance.from_dict(_plain()))._first_sample is None  # below 2,000
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    profiles = Session(Instance.from_dict(make_tie_instance(260, 70, seed=3, style="profiles")))
    assert profiles._first_sample is None
