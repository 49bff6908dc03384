"""The fair objective's bottleneck threshold."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine.solvers.fair import bottleneck_threshold
from mentorbridge.matching_engine.solvers.flow import Arcs


def random_arcs(seed: int, n_mentees: int, n_mentors: int, density: float) -> Arcs:
    """Arcs of a random instance: mentees with one to three focus areas, few distinct scores."""
    rng = np.random.default_rng(seed)
    demand_mentee = np.repeat(np.arange(n_mentees), rng.integers(1, 4, n_mentees))
    rows, cols = np.nonzero(rng.random((len(demand_mentee), n_mentors)) < density)
    return Arcs(
        rows=rows.astype(np.int64),
        cols=cols.astype(np.int64),
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
