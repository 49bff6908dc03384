"""The certificate's exact pass covers every left-out pair that can still beat its row, and
scores its groups at once with the same result as one at a time."""

from __future__ import annotations

import time
import weakref
from typing import Any

import numpy as np
import pytest

from mentorbridge.matching_engine import Instance, Session, certificate, rounds
from mentorbridge.matching_engine.certificate import exact_groups


def test_exact_groups_cover_every_pair_whose_bound_beats_its_row() -> None:
    rng = np.random.default_rng(7)
    for _ in range(200):
        n_rows, n_cols = int(rng.integers(1, 120)), int(rng.integers(1, 40))
        best = (rng.choice([0, 5, 20, 50], n_rows) + rng.integers(0, 30, n_rows)).astype(float)
        row_cap = rng.integers(0, 100, n_rows).astype(float)
        column = rng.integers(0, 100, n_cols).astype(float)
        prices = rng.integers(0, 60, n_cols).astype(float)
        column_reduced = column - prices
        open_rows = np.flatnonzero(row_cap > best)
        groups = exact_groups(open_rows, best, row_cap, column_reduced, prices)
        covered = np.zeros((n_rows, n_cols), bool)
        for rows, cols in groups:
            covered[np.ix_(rows, cols)] = True
        bound = np.minimum(row_cap[:, None], column[None, :]) - prices[None, :]
        must = bound > best[:, None]
        assert not (must & ~covered).any()
        seen = np.concatenate([rows for rows, _ in groups]) if groups else np.zeros(0, int)
        assert len(seen) == len(np.unique(seen))  # each row scored once


def test_exact_groups_are_empty_without_open_rows() -> None:
    empty = np.zeros(0, np.int64)
    groups = exact_groups(empty, np.zeros(3), np.zeros(3), np.ones(2), np.zeros(2))
    assert groups == []


REAL_CERTIFY, REAL_SUBMIT = certificate.certify, certificate._submit_exact


def _solve_with_exact_ahead(
    monkeypatch: pytest.MonkeyPatch, data: dict[str, Any], ahead: int
) -> tuple[dict[str, Any], list[tuple[float, int, int]], int]:
    """The instance solved with `ahead` groups of tier 3 in flight: its stats, each
    certificate's (bound, rows scored exactly, pairs added) and the groups submitted."""
    monkeypatch.setattr(certificate, "EXACT_AHEAD", ahead)
    calls: list[tuple[float, int, int]] = []
    groups = [0]
    real_certify, real_submit = REAL_CERTIFY, REAL_SUBMIT

    def spy_certify(*args: Any, **kwargs: Any) -> tuple[float, int, int]:
        found = real_certify(*args, **kwargs)
        calls.append(found)
        return found

    def spy_submit(*args: Any, **kwargs: Any) -> Any:
        groups[0] += 1
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(rounds, "certify", spy_certify)
    monkeypatch.setattr(certificate, "_submit_exact", spy_submit)
    result = Session(Instance.from_dict(data)).solve()
    stats = {k: v for k, v in result.stats.items() if k not in ("seconds", "peak_memory_mb")}
    return stats | {"assignments": result.to_dict()["assignments"]}, calls, groups[0]


def _alike_cohort(seed: int) -> dict[str, Any]:
    """Alike mentors and a short shortlist: the certificate's tier 3 scores groups of rows."""
    from bench.generate_instance import GeneratorConfig, generate_instance, make_ties

    data = generate_instance(GeneratorConfig(1000, 300, seed=seed, shortlist_k=4))
    make_ties(data, "alike", seed)
    return data


@pytest.mark.parametrize("seed", [5, 6])
def test_groups_scored_at_once_give_the_bounds_and_pairs_of_one_group_at_a_time(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    data = _alike_cohort(seed)
    one, one_calls, one_groups = _solve_with_exact_ahead(monkeypatch, data, 1)
    many, many_calls, many_groups = _solve_with_exact_ahead(monkeypatch, data, 16)
    assert one_groups == many_groups > 1
    assert many_calls == one_calls
    assert many == one
    assert many["gap"] == 0.0


def test_at_most_exact_ahead_groups_hold_a_view_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certificate, "EXACT_AHEAD", 2)
    alive, most = [0], [0]
    real_build, real_block = certificate.ExactView.build.__func__, certificate._exact_block

    def build(cls: type, *args: Any) -> certificate.ExactView:
        view = real_build(cls, *args)
        alive[0] += 1
        weakref.finalize(view, lambda: alive.__setitem__(0, alive[0] - 1))
        most[0] = max(most[0], alive[0])
        return view

    def slow_block(*args: Any) -> Any:
        time.sleep(0.005)  # the pool lags behind the views: without a limit all would be held
        return real_block(*args)

    monkeypatch.setattr(certificate.ExactView, "build", classmethod(build))
    monkeypatch.setattr(certificate, "_exact_block", slow_block)
    stats = Session(Instance.from_dict(_alike_cohort(5))).solve().stats
    assert stats["gap"] == 0.0 and stats["exact_certify_rows"] > 0
    assert 1 <= most[0] <= 2


def _reserve_pass_by_sorting(
    rows: Any, cols: Any, scores: Any, prices: Any, active: Any, low: int, bonus: int, best: Any,
    add_limit: int,
) -> tuple[Any, tuple[Any, Any, Any]]:  # fmt: skip
    """Tier 1 as a sort: every eligible pair's reduced value, the pairs within the margin of
    their row's best ranked by (row, reduced value descending, mentor)."""
    ok = active[rows] & (scores >= low)
    rows, cols, scores = rows[ok], cols[ok], scores[ok]
    reduced = scores + bonus - prices[cols]
    full = best.copy()
    np.maximum.at(full, rows, reduced)
    near = reduced > best[rows] - certificate.ADD_MARGIN
    rows, cols, scores, reduced = rows[near], cols[near], scores[near], reduced[near]
    order = np.lexsort((cols, -reduced, rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
    keep = rank < add_limit
    return full, (rows[keep], cols[keep], scores[keep])


@pytest.mark.parametrize("seed", range(12))
def test_the_reserve_pass_keeps_each_rows_best_pairs_near_its_best_as_a_sort_would(
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    n_d, n_m = int(rng.integers(1, 40)), int(rng.integers(1, 30))
    pairs = np.unique(rng.integers(0, n_d * n_m, int(rng.integers(0, n_d * n_m + 1))))
    rows, cols = pairs // n_m, pairs % n_m
    # few distinct scores and prices: reduced values tie often
    scores = rng.choice([0, 5, 10, certificate.ADD_MARGIN, 3 * certificate.ADD_MARGIN], len(rows))
    prices = rng.choice([0.0, 5.0, 0.5, float(certificate.ADD_MARGIN)], n_m)
    active = rng.random(n_d) < 0.8
    best = rng.choice([-np.inf, 0.0, 5.0, float(2 * certificate.ADD_MARGIN)], n_d)
    low = int(rng.choice([0, 5]))
    bonus = int(rng.choice([0, 7]))
    add_limit = int(rng.integers(0, 5))

    class Reserve:
        reserve_rows, reserve_cols, reserve_scores = rows, cols, scores

    pricing = certificate.Pricing(bonus, low, active, np.ones(n_m, np.int64))
    full, added = certificate._reserve_pass(Reserve(), prices, pricing, best, add_limit)  # type: ignore[arg-type]
    want_full, want_added = _reserve_pass_by_sorting(
        rows, cols, scores, prices, active, low, bonus, best, add_limit
    )
    np.testing.assert_array_equal(full, want_full)
    for got, want in zip(added, want_added, strict=True):
        np.testing.assert_array_equal(got, want)
