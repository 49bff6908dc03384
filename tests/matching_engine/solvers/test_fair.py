"""The fair objective's bottleneck threshold."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine.solvers import fair
from mentorbridge.matching_engine.solvers.fair import (
    _bipartite,
    _max_b_matching,
    bottleneck_threshold,
    restrict,
)
from mentorbridge.matching_engine.solvers.flow import Arcs, max_matching_size


def random_arcs(
    seed: int, n_mentees: int, n_mentors: int, density: float, most_areas: int = 3
) -> Arcs:
    """Arcs of a random instance, in a shuffled order: mentees with one to `most_areas` focus
    areas, few distinct scores."""
    rng = np.random.default_rng(seed)
    demand_mentee = np.repeat(np.arange(n_mentees), rng.integers(1, most_areas + 1, n_mentees))
    rows, cols = np.nonzero(rng.random((len(demand_mentee), n_mentors)) < density)
    order = rng.permutation(len(rows))
    return Arcs(
        rows=rows[order].astype(np.int64),
        cols=cols[order].astype(np.int64),
        values=rng.integers(1, 12, len(rows)).astype(np.int64),
        demand_mentee=demand_mentee.astype(np.int64),
        capacity=rng.integers(0, 4, n_mentors).astype(np.int64),
        n_demands=len(demand_mentee),
    )


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_mentees=st.integers(1, 25),
    n_mentors=st.integers(1, 10),
    density=st.floats(0.1, 0.9),
    share=st.floats(0.0, 1.0),
)
def test_the_threshold_found_from_a_subsets_answer_is_the_one_found_from_scratch(
    seed: int, n_mentees: int, n_mentors: int, density: float, share: float
) -> None:
    arcs = random_arcs(seed, n_mentees, n_mentors, density)
    keep = np.random.default_rng(seed + 1).random(len(arcs.rows)) < share
    known = bottleneck_threshold(arcs.subset(keep))
    assert bottleneck_threshold(arcs, known) == bottleneck_threshold(arcs)


def test_the_threshold_is_the_highest_that_keeps_the_most_demands_matched() -> None:
    # both demands can be matched only with the pairs 5 and 7, so the threshold is 5, not 9
    arcs = Arcs(
        rows=np.array([0, 0, 1], np.int64),
        cols=np.array([0, 1, 0], np.int64),
        values=np.array([9, 5, 7], np.int64),
        demand_mentee=np.array([0, 1], np.int64),
        capacity=np.array([1, 1], np.int64),
        n_demands=2,
    )
    found = bottleneck_threshold(arcs)
    assert (found.threshold, found.matched) == (5, 2)


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_demands=st.integers(1, 40),
    n_mentors=st.integers(1, 12),
    density=st.floats(0.05, 0.9),
    level=st.integers(1, 12),
    start_share=st.floats(0.0, 1.0),
)
def test_the_b_matching_is_as_large_as_the_max_flow_from_any_start(
    seed: int, n_demands: int, n_mentors: int, density: float, level: int, start_share: float
) -> None:
    arcs = random_arcs(seed, n_demands, n_mentors, density, most_areas=1)  # the app's rounds
    bipartite = _bipartite(arcs)
    assert bipartite is not None
    indptr, cols, values = bipartite
    # any start: pairs that are no arcs, below the level or beyond a mentor's places are dropped
    rng = np.random.default_rng(seed + 7)
    start = np.where(
        rng.random(n_demands) < start_share, rng.integers(0, n_mentors, n_demands), -1
    ).astype(np.int64)
    found = _max_b_matching(indptr, cols, values, level, arcs.capacity, start)
    assert found == max_matching_size(restrict(arcs, level))[0]
    matched = np.flatnonzero(start >= 0)
    assert len(matched) == found
    pairs = set(
        zip(
            arcs.rows[arcs.values >= level].tolist(),
            arcs.cols[arcs.values >= level].tolist(),
            strict=True,
        )
    )
    assert all((d, int(start[d])) in pairs for d in matched)
    assert (np.bincount(start[matched], minlength=n_mentors) <= arcs.capacity.clip(0)).all()


@settings(max_examples=100, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_demands=st.integers(1, 40),
    n_mentors=st.integers(1, 12),
    density=st.floats(0.05, 0.9),
    share=st.floats(0.0, 1.0),
)
def test_the_threshold_by_b_matchings_is_the_one_by_max_flows(
    seed: int, n_demands: int, n_mentors: int, density: float, share: float
) -> None:
    arcs = random_arcs(seed, n_demands, n_mentors, density, most_areas=1)  # the app's rounds
    keep = np.random.default_rng(seed + 1).random(len(arcs.rows)) < share
    known = bottleneck_threshold(arcs.subset(keep))
    by_matchings = bottleneck_threshold(arcs, known)
    with_flows = fair._bipartite
    try:
        fair._bipartite = lambda _arcs: None  # type: ignore[assignment]
        by_flows = bottleneck_threshold(arcs, known)
    finally:
        fair._bipartite = with_flows
    assert by_matchings == by_flows


def test_a_mentee_with_two_focus_areas_on_the_arcs_takes_the_max_flow() -> None:
    arcs = random_arcs(3, 5, 3, 0.8)
    assert len(np.unique(arcs.demand_mentee)) < arcs.n_demands
    assert _bipartite(arcs) is None
