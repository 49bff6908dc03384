"""Sort-based set operations agree with numpy's."""

from __future__ import annotations

import numpy as np

from mentorbridge.matching_engine import arrays


def test_unique_and_isin_agree_with_numpy() -> None:
    rng = np.random.default_rng(0)
    values = rng.integers(0, 50, 300)
    pool = rng.integers(0, 50, 40)
    assert np.array_equal(arrays.unique(values), np.unique(values))
    assert np.array_equal(arrays.isin(values, pool), np.isin(values, pool))


def test_empty_inputs_give_empty_answers() -> None:
    empty = np.zeros(0, np.int64)
    assert len(arrays.unique(empty)) == 0
    assert arrays.isin(np.array([1, 2]), empty).tolist() == [False, False]
    assert len(arrays.isin(empty, np.array([1]))) == 0
