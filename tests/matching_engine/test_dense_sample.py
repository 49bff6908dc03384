"""The sampled problem solved over every pair at once (`first_prices.dense_sampled_prices`):
exact duals, the pairs it lists, and the flow sample where it cannot serve."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from mentorbridge.matching_engine import Instance, Session, first_prices, rounds
from mentorbridge.matching_engine.shortlist import INELIGIBLE, SCALE, scored_rows
from mentorbridge.matching_engine.solvers.flow import Arcs
from tests.matching_engine.synthetic import make_instance
from tests.matching_engine.test_auction import SAMPLES, _gives_up_once, _plain, _solve_patched

pytestmark = pytest.mark.skipif(
    first_prices._network_simplex() is None, reason="POT (the network simplex) is not installed"
)


def _session(seed: int, mentees: int = 260, mentors: int = 80) -> Session:
    return Session(Instance.from_dict(make_instance(mentees, mentors, seed=seed, k=4)))


def _bound(
    scores: np.ndarray, places: np.ndarray, prices: np.ndarray, copies: int, bonus: int
) -> float:
    """The LP bound at `prices` of the sampled problem whose rows each stand for `copies`."""
    reduced = np.where(scores >= 0, scores + bonus - prices[None, :], -np.inf)
    best = np.maximum(reduced.max(axis=1), 0.0)
    return float((places * prices).sum() + copies * best.sum())


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("bonus", [0, 7 * SCALE])
def test_the_dense_sample_s_prices_are_optimal_duals_of_its_problem(
    monkeypatch: pytest.MonkeyPatch, seed: int, bonus: int
) -> None:
    # the bound at the prices equals the sampled problem's optimum over every pair (solved here
    # as a flow on all its eligible pairs, each focus area its own mentee: the simplex relaxes
    # the mentee rule too): the prices are optimal duals, not merely feasible ones
    monkeypatch.setattr(first_prices, "MIN_SAMPLE_DEMANDS", 20)
    session = _session(seed)
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


def test_the_dense_sample_lists_each_rows_best_and_each_mentors_least_slack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # distinct scores (no ties to break), some pairs ineligible: the listed pairs are exactly
    # each row's best few by reduced value and each mentor's few of least slack, all eligible
    monkeypatch.setattr(first_prices, "DENSE_PAIRS_PER_ROW", 3)
    monkeypatch.setattr(first_prices, "DENSE_PAIRS_PER_MENTOR", 2)
    monkeypatch.setattr(first_prices, "DENSE_BLOCK_ROWS", 4)  # blocks that do not divide evenly
    session = _session(1, 30, 11)
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


def test_the_app_s_path_takes_the_dense_sample_and_keeps_the_certified_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the first auctions give up (the app's round): the dense sample prices the pass and the
    # auctions after it, the flow sample is not solved, the optimum is the same
    dense: list[Any] = []
    real = first_prices.dense_sampled_prices

    def spy(*args: Any, **kwargs: Any) -> Any:
        dense.append(real(*args, **kwargs))
        return dense[-1]

    monkeypatch.setattr(rounds, "dense_sampled_prices", spy)
    monkeypatch.setattr(rounds, "sampled_prices", _fails)
    objective, with_prices, gap, priced = _solve_patched(
        monkeypatch, _plain(), SAMPLES, (rounds, "_unlisted_gap", _gives_up_once())
    )
    assert priced == "sample, then auction"
    assert len(dense) == 1 and dense[0] is not None
    assert gap == 0.0 and with_prices == objective


def _fails(*args: Any, **kwargs: Any) -> Callable[..., Any]:
    raise AssertionError("the flow sample was solved")


def test_a_problem_below_the_smallest_sample_gets_no_dense_sample() -> None:
    session = _session(2)
    model = session.model
    active = np.ones(model.n_demands, bool)
    assert model.n_demands < first_prices.MIN_SAMPLE_DEMANDS
    assert first_prices.dense_sampled_prices(session.features, active, model.capacity, 0) is None
