"""The stable objective's blocking-pair count over every eligible pair, on matchings that are
not stable (a `total` solve's, with some or all of its pairs taken away), against the
independent all-pairs count of the exact reference."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from mentorbridge.matching_engine import Instance, Session
from mentorbridge.matching_engine.rounds import _stable_input
from mentorbridge.matching_engine.shortlist import ColumnView, block_ranges, scored_rows
from mentorbridge.matching_engine.solvers.stable import blocking_pairs
from tests.matching_engine import exact_reference as exact

I64 = np.ndarray


def generated(kind: str, mentees: int, mentors: int, seed: int, k: int) -> dict[str, Any]:
    from bench.generate_instance import GeneratorConfig, generate_instance, make_ties

    data = generate_instance(GeneratorConfig(mentees, mentors, seed=seed, shortlist_k=k))
    make_ties(data, kind, seed)
    return data


def engine_count(data: dict[str, Any], keep_every: int = 1) -> tuple[int, int]:
    """(the engine's blocking pairs of the `total` optimum with only every `keep_every`-th
    pair kept (0: none), the reference's count)."""
    data = copy.deepcopy(data)
    data["objective"] = "total"
    data["rules"] = {**data.get("rules", {}), "pinned": []}
    session = Session(Instance.from_dict(data))
    result = session.solve()
    kept = result.assignments[::keep_every] if keep_every else []
    result.assignments = kept
    model, features = session.model, session.features
    assigned = np.full(model.n_demands, -1, np.int64)
    for a in result.assignments:
        assigned[model.demand_of(a.mentee, a.focus_area)] = model.mentor_index[a.mentor]
    rows = np.flatnonzero(assigned >= 0)
    scores = np.full(model.n_demands, -1, np.int64)
    scores[rows] = scored_rows(features, rows)[np.arange(len(rows)), assigned[rows]]
    capacity = model.capacity.copy()
    capacity[model.mentor_opt_out] = 0
    active = np.ones(model.n_demands, bool)
    stable_data = _stable_input(features, session.shortlist, active, capacity)

    def view(cols: I64 | None) -> Any:
        if cols is None:
            return lambda r: scored_rows(features, r)
        return ColumnView(features, cols).score

    count = blocking_pairs(stable_data, assigned, scores, view, block_ranges)
    ref = exact.reference(data)
    return count, exact.blocking_pairs(ref, data, result)[0]


@pytest.mark.parametrize("kind", ["none", "profiles", "star", "alike"])
@pytest.mark.parametrize("k", [3, 40])
@pytest.mark.parametrize("keep_every", [1, 2, 0])
def test_the_count_of_a_matching_equals_the_reference_count_over_all_pairs(
    kind: str, k: int, keep_every: int
) -> None:
    count, reference = engine_count(generated(kind, 240, 80, seed=7, k=k), keep_every)
    assert count == reference


def test_pairs_outside_the_shortlist_are_counted_when_nothing_is_matched() -> None:
    data = generated("none", 240, 80, seed=7, k=3)
    count, reference = engine_count(data, keep_every=0)
    # with nothing matched every eligible pair of a mentor with places blocks: far more than
    # the shortlist's 3 per focus area
    assert count == reference > 3 * sum(len(m["focus_areas"]) for m in data["mentees"])


@pytest.mark.parametrize("style", ["all_equal", "profiles", "one_factor"])
@pytest.mark.parametrize("keep_every", [1, 2, 3, 0])
def test_the_count_where_pairs_tie_equals_the_reference_count(style: str, keep_every: int) -> None:
    # ties are where the focus areas' rotated order decides who prefers whom: the count skips
    # the pairs a focus area does not prefer before anything else, and must skip no more
    from tests.matching_engine.synthetic import make_tie_instance

    data = make_tie_instance(120, 30, seed=2, style=style, max_focus=2, capacity=(1, 3))
    count, reference = engine_count(data, keep_every)
    assert count == reference
