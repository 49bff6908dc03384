"""The certificate's exact pass covers every left-out pair that can still beat its row."""

from __future__ import annotations

import numpy as np

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
