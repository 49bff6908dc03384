"""Sort-based set and group operations agree with numpy's."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine import arrays


def test_unique_and_isin_agree_with_numpy() -> None:
    rng = np.random.default_rng(0)
    values = rng.integers(0, 50, 300)
    pool = rng.integers(0, 50, 40)
    assert np.array_equal(arrays.unique(values), np.unique(values))
    assert np.array_equal(arrays.unique_sorted(np.sort(values)), np.unique(values))
    assert np.array_equal(arrays.isin(values, pool), np.isin(values, pool))


def test_empty_inputs_give_empty_answers() -> None:
    empty = np.zeros(0, np.int64)
    assert len(arrays.unique(empty)) == 0
    assert len(arrays.unique_sorted(empty)) == 0
    assert arrays.isin(np.array([1, 2]), empty).tolist() == [False, False]
    assert len(arrays.isin(empty, np.array([1]))) == 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=40))
def test_group_rank_counts_the_position_within_each_run_of_equal_keys(keys: list[int]) -> None:
    ordered = np.sort(np.array(keys, np.int64))
    expected = [sum(1 for other in ordered[:k] if other == key) for k, key in enumerate(ordered)]
    assert arrays.group_rank(ordered).tolist() == expected
