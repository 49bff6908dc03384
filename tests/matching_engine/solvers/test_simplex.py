"""POT's network simplex: a round's flow from the transportation problem without the mentee
rule, repaired on the real network, is `solve_min_cost`'s optimum with its duals; POT loads
without its package."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine.solvers import flow, simplex
from mentorbridge.matching_engine.solvers.flow import Arcs, Network, solve_min_cost
from mentorbridge.matching_engine.solvers.simplex import (
    class_flow_by_simplex,
    hubs_pay,
    network_flows,
    relaxed_assignment,
)
from tests.matching_engine.solvers.test_repair import _arcs, _check_feasible, _fresh

I64 = np.ndarray

needs_pot = pytest.mark.skipif(simplex.pot_simplex_module() is None, reason="POT is not installed")


@needs_pot
@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans(), st.booleans())
def test_the_simplex_s_flow_is_the_fresh_solve_s_optimum_with_its_duals(
    seed: int, classes: bool, refined: bool
) -> None:
    # ties on purpose, mentees with up to three focus areas (the mentee rule binds), classes
    arcs = _arcs(np.random.default_rng(seed), classes)
    fresh = _fresh(arcs)
    copy = arcs.subset(np.ones(len(arcs.rows), bool))
    if arcs.mentor_class is not None:
        copy.mentor_class = arcs.mentor_class.copy()
    solved = solve_min_cost(copy, solve_refined=refined, class_flow=class_flow_by_simplex)
    if not refined and not np.array_equal(copy.mentor_class, arcs.mentor_class):
        return  # a class that could not take its flow: placed in part, as OR-Tools' would be
    _check_feasible(arcs, solved)
    assert int(solved.values.sum()) == int(fresh.values.sum())
    assert np.array_equal(solved.prices, fresh.prices)
    assert np.array_equal(solved.mid_mentee_key, fresh.mid_mentee_key)
    assert np.array_equal(solved.mid_prices, fresh.mid_prices)


@needs_pot
def test_the_simplex_serves_most_class_networks_and_the_repair_moves_what_it_must() -> None:
    served = moved = 0
    for seed in range(200):
        arcs = _arcs(np.random.default_rng(seed), classes=True).by_class()
        relaxed = relaxed_assignment(arcs)
        assert relaxed is not None
        found = class_flow_by_simplex(arcs)
        served += found is not None
        if found is not None and not np.array_equal(found.assigned, relaxed[0]):
            moved += 1  # the mentee rule refused the relaxed optimum somewhere
    assert served == 200 and moved > 0


@needs_pot
@pytest.mark.parametrize("seed", range(20))
def test_without_a_mentee_twice_the_relaxed_optimum_is_the_real_one(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_d, n_m = int(rng.integers(5, 40)), int(rng.integers(2, 12))
    pairs = rng.random((n_d, n_m)) < 0.6
    rows, cols = np.nonzero(pairs)
    arcs = Arcs(
        rows=rows.astype(np.int64),
        cols=cols.astype(np.int64),
        values=rng.integers(0, 4, len(rows)).astype(np.int64) * 250_000,  # ties
        demand_mentee=np.arange(n_d, dtype=np.int64),  # one focus area each
        capacity=rng.integers(0, 4, n_m).astype(np.int64),
        n_demands=n_d,
    )
    relaxed = relaxed_assignment(arcs)
    assert relaxed is not None
    assigned, prices = relaxed
    fresh = _fresh(arcs)
    matched = assigned >= 0
    pair_values = zip(rows.tolist(), cols.tolist(), arcs.values.tolist(), strict=True)
    by_pair = {(d, j): v for d, j, v in pair_values}
    value = sum(by_pair[(d, j)] for d, j in enumerate(assigned.tolist()) if j >= 0)
    assert value == int(fresh.values.sum())
    assert (np.bincount(assigned[matched], minlength=n_m) <= np.maximum(arcs.capacity, 0)).all()
    # its prices are duals of the relaxed problem: no pair is worth more than its demand's
    # take (its own pair's value less the price, or nothing), and a free place costs nothing
    take = [by_pair[(d, j)] - prices[j] if j >= 0 else 0.0 for d, j in enumerate(assigned.tolist())]
    for (d, j), v in by_pair.items():
        assert v - prices[j] <= max(take[d], 0.0)
    free = np.bincount(assigned[matched], minlength=n_m) < np.maximum(arcs.capacity, 0)
    assert (prices[free] == 0).all()
    solved = class_flow_by_simplex(arcs)
    assert solved is not None and int(solved.values.sum()) == value


@needs_pot
def test_above_its_size_or_without_pot_or_tools_solves(monkeypatch: pytest.MonkeyPatch) -> None:
    arcs = _arcs(np.random.default_rng(1), False)
    fresh = _fresh(arcs)
    monkeypatch.setattr(simplex, "MAX_ARCS", len(arcs.rows) - 1)
    assert class_flow_by_simplex(arcs) is None
    assert int(solve_min_cost(arcs, class_flow=class_flow_by_simplex).values.sum()) == int(
        fresh.values.sum()
    )
    monkeypatch.setattr(simplex, "MAX_ARCS", len(arcs.rows))
    monkeypatch.setattr(simplex, "pot_simplex_module", lambda: None)
    assert class_flow_by_simplex(arcs) is None
    assert int(solve_min_cost(arcs, class_flow=class_flow_by_simplex).values.sum()) == int(
        fresh.values.sum()
    )


SIMPLEX_ALONE = """
import sys
import numpy as np
from mentorbridge.matching_engine.solvers.simplex import pot_simplex_module
emd = pot_simplex_module().emd_c
loaded = sorted(name for name in sys.modules if name == "ot" or name.startswith("ot."))
heavy = "scipy.stats" in sys.modules or "sklearn" in sys.modules
transport, cost, *_ = emd(np.ones(2), np.ones(2), np.array([[0.0, 3.0], [2.0, 0.0]]), 100, 1)
import ot  # POT's own import afterwards takes the loaded extension
again = ot.emd2(np.ones(2), np.ones(2), np.array([[5.0, 1.0], [1.0, 5.0]]))
print(loaded, cost, again, heavy)
"""


@needs_pot
def test_the_simplex_loads_without_pots_package_which_still_imports_after_it() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SIMPLEX_ALONE], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    # only the extension was loaded, none of POT's package and its backends
    assert done.stdout.split() == ["['ot.lp.emd_wrap']", "0.0", "2.0", "False"]


@needs_pot
def test_where_the_simplex_cannot_load_alone_it_comes_from_pots_package() -> None:
    script = (
        "from mentorbridge.matching_engine.solvers import simplex\n"
        "simplex._simplex_alone = lambda: None  # another POT, say\n"
        "import numpy as np, sys\n"
        "emd = simplex.pot_simplex_module().emd_c\n"
        "print(emd(np.ones(2), np.ones(2), np.array([[0.0, 3.0], [2.0, 0.0]]), 100, 1)[1],"
        " 'ot' in sys.modules, 'sklearn' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0.0", "True", "False"]  # scikit-learn's helpers kept out


def _sample_network(seed: int, copies: int) -> tuple[Network, tuple[I64, I64, I64, I64, I64]]:
    """A sampled problem's network and arc arrays as `first_prices.replicated_solve` builds
    them (mentees with two or three focus areas: intermediate nodes, ties on purpose)."""
    arcs = _arcs(np.random.default_rng(seed), classes=False)
    net = arcs.network()
    n_d, n_m = net.n_demands, len(net.capacity)
    n_pair, n_mid, n_act = len(net.pair_tail), len(net.mid_node), len(net.active)
    tails = np.concatenate([net.pair_tail, net.mid_node, net.active, n_d + np.arange(n_m)])
    heads = np.concatenate(
        [net.pair_head, net.mid_mentor, np.full(n_act, net.sink), np.full(n_m, net.sink)]
    )
    caps = np.concatenate(
        [
            np.full(n_pair, copies),
            net.mid_capacity * copies,
            np.full(n_act, copies),
            np.maximum(net.capacity, 0),
        ]
    )
    costs = np.concatenate([net.pair_cost, np.zeros(n_mid + n_act + n_m, np.int64)])
    supplies = np.zeros(net.n_nodes, np.int64)
    supplies[net.active] = copies
    supplies[net.sink] = -copies * n_act
    arrays = (tails, heads, caps, costs, supplies)
    return net, tuple(a.astype(np.int64) for a in arrays)  # type: ignore[return-value]


@needs_pot
@pytest.mark.parametrize("copies", [1, 4])
def test_a_samples_flow_by_the_simplex_is_feasible_and_optimal_where_the_mentee_rule_allows(
    copies: int,
) -> None:
    solved = 0
    for seed in range(60):
        net, (tails, heads, caps, costs, supplies) = _sample_network(seed, copies)
        found = network_flows(net, copies)
        if found is None:  # the relaxed optimum broke the mentee rule: OR-Tools solves
            continue
        solved += 1
        assert len(found) == len(tails) and (found >= 0).all() and (found <= caps).all()
        out = np.bincount(tails, found, len(supplies)) - np.bincount(heads, found, len(supplies))
        assert np.array_equal(out.astype(np.int64), supplies)  # each node's supply leaves it
        best = flow._flows(tails, heads, caps, costs, supplies)
        assert int((costs * found).sum()) == int((costs * best).sum())
    assert solved >= 30


@pytest.mark.parametrize(
    ("hub", "pays"),
    [
        ([0, 0, 0, 0, 0, 5], True),  # each focus area's 6 arcs as 2
        ([0, 0, 2, 3, 4, 5], False),  # ... as 5
        ([0, 0, 0, 3, 3, 3], True),  # ... as 2
        ([0, 1, 2, 3, 4, 5], False),  # no hub of two classes
    ],
)
def test_hubs_pay_where_their_network_keeps_under_half_the_arcs(hub: list[int], pays: bool) -> None:
    n_d = 10
    rows = np.repeat(np.arange(n_d), 6).astype(np.int64)
    arcs = Arcs(
        rows=rows, cols=np.tile(np.arange(6), n_d).astype(np.int64),
        values=np.ones(len(rows), np.int64), demand_mentee=np.arange(n_d, dtype=np.int64),
        capacity=np.ones(6, np.int64), n_demands=n_d, mentor_class=np.arange(6, dtype=np.int64),
        hub=np.array(hub, np.int64),
    )  # fmt: skip
    assert hubs_pay(arcs) is pays
