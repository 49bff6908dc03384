"""Working sets of the certificate rounds."""

from __future__ import annotations

import numpy as np

from mentorbridge.matching_engine.certificate import CertifyMemory
from mentorbridge.matching_engine.rounds import WORKING_MARGIN, WORKING_TOP, _working_set
from mentorbridge.matching_engine.solvers.flow import Arcs


def _arcs_and_memory(seed: int) -> tuple[Arcs, CertifyMemory]:
    rng = np.random.default_rng(seed)
    n_d, n_m, per_row = 30, 40, 20
    rows = np.repeat(np.arange(n_d), per_row).astype(np.int64)
    cols = np.concatenate([rng.choice(n_m, per_row, replace=False) for _ in range(n_d)])
    values = rng.integers(0, 1_000_000, len(rows)).astype(np.int64)
    # rows are listed by score, best first, as the shortlist lists them
    order = np.lexsort((-values, rows))
    arcs = Arcs(
        rows=rows[order],
        cols=cols[order].astype(np.int64),
        values=values[order],
        demand_mentee=np.arange(n_d, dtype=np.int64),
        capacity=np.full(n_m, 2, np.int64),
        n_demands=n_d,
    )
    prices = rng.integers(0, 500_000, n_m).astype(np.float64)
    row_best = np.zeros(n_d)
    np.maximum.at(row_best, arcs.rows, arcs.values - prices[arcs.cols])
    return arcs, CertifyMemory(prices=prices, row_best=row_best)


def _kept(arcs: Arcs) -> set[tuple[int, int]]:
    return set(zip(arcs.rows.tolist(), arcs.cols.tolist(), strict=True))


def test_a_gap_below_the_margin_keeps_exactly_the_pairs_whose_slack_is_within_it() -> None:
    arcs, memory = _arcs_and_memory(1)
    assert memory.prices is not None and memory.row_best is not None
    assigned = np.full(arcs.n_demands, -1, np.int64)
    assigned[0] = arcs.cols[arcs.rows == 0][-1]  # a poor pair, kept because it is assigned
    gap = WORKING_MARGIN / 3
    slack = memory.row_best[arcs.rows] - (arcs.values - memory.prices[arcs.cols])
    expected = _kept(arcs) & {
        (d, j)
        for d, j, s in zip(arcs.rows.tolist(), arcs.cols.tolist(), slack.tolist(), strict=True)
        if s <= gap
    }
    expected.add((0, int(assigned[0])))
    assert _kept(_working_set(arcs, memory, assigned, gap=gap)) == expected


def test_a_large_gap_keeps_the_margin_and_each_demands_best_pairs() -> None:
    arcs, memory = _arcs_and_memory(2)
    assert memory.prices is not None and memory.row_best is not None
    kept = _kept(_working_set(arcs, memory, None, gap=10 * WORKING_MARGIN))
    slack = memory.row_best[arcs.rows] - (arcs.values - memory.prices[arcs.cols])
    rank = np.arange(len(arcs.rows)) - np.searchsorted(arcs.rows, arcs.rows)
    for d, j, s, r in zip(arcs.rows, arcs.cols, slack, rank, strict=True):
        assert ((int(d), int(j)) in kept) == (s <= WORKING_MARGIN or r < WORKING_TOP)
