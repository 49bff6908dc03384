"""POT's network simplex (`ot`, MIT, C++): where it solves a round's flow faster than OR-Tools.

A round's flow is a min-cost flow on the class network (`Arcs.by_class`): each demand sends
one unit to a mentor class or leaves unmatched, a class takes up to its places, and a mentee
takes a class at most as often as it has members (the intermediate nodes of `Arcs.network`).
Without that last rule the network is a transportation problem, which POT's network simplex
solves exactly and about twice as fast as OR-Tools' cost scaling solves the whole network
(the generator's 20,000 x 6,000 `alike`: 0.7 s against 1.2-1.4 s on round 1's 0.78 M arcs,
1.4 s against 2.2-2.9 s on round 2's 1.94 M). Its optimum breaks the mentee rule for a few
mentees at most (1-6 there), so `class_flow_by_simplex` lays it on the real network and lets
`repair.repair_min_cost` move those few units from the simplex's own duals: the class
network's optimum with the duals OR-Tools gives, or None (the repair declined, POT is
missing or the problem is too large). `flow.solve_min_cost` takes it as its `class_flow`: it
splits, refines or places in part the classes as ever, and solves with OR-Tools where it
gives None. `network_flows` does the same for the sampled problems' networks, without a
repair.

`pot_simplex_module` loads POT's compiled solvers without POT's package, whose import loads
every backend POT has (SciPy's statistics, scikit-learn's helpers, and PyTorch or JAX where
installed): 0.7-1.1 s and 60 MB a process here, seconds more with PyTorch. The extension
needs of them only `ot.utils.dist` (for its lazy solver, not used here) at its import, so the
two packages and that module are stood in for while it loads; it stays in `sys.modules` under
its own name, where a later `import ot` finds it.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays
from mentorbridge.matching_engine.solvers.flow import Arcs, FlowSolution, Network
from mentorbridge.matching_engine.solvers.repair import repair_min_cost

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
FillArcs = Callable[[NDArray[np.uint64], NDArray[np.uint64], F64], None]
log = logging.getLogger(__name__)

OPTIMAL = 1  # POT's result code of a simplex that reached the optimum
MAX_ITER = 200_000_000  # pivots at most (the 20k rounds take about 2 M)
# the simplex holds about 110 bytes an arc (its graph and tree) and the arrays it is given 24
# more (0.26 GB for 1.94 M arcs; OR-Tools' forked child adds about as much to its copy of this
# process); above this size it is no longer quicker (the generator's 100,000 x 30,000 `alike`:
# 18 M arcs in 45 s against OR-Tools' 32 s; the app's round under `fair`, 3.4-3.6 M arcs: 1.5 s
# against 6-8 s)
MAX_ARCS = 5_000_000
MAX_EXCESS = 500  # units the mentee rule refuses that the repair moves at most
HUB_SHARE = 0.5  # hubs (OR-Tools) where their network keeps fewer than this share of the arcs


def class_flow_by_simplex(class_arcs: Arcs) -> FlowSolution | None:
    """The optimal flow and duals of a class network (`Arcs.by_class`: no classes) from POT's
    simplex without the mentee rule, repaired on the real network (see the module); None
    where that cannot be done."""
    relaxed = relaxed_assignment(class_arcs)
    if relaxed is None:
        return None
    assigned, prices = relaxed
    solution = repair_min_cost(class_arcs, assigned, prices, max_excess=MAX_EXCESS)
    log.debug("simplex: %s", "repaired" if solution is not None else "repair declined")
    return solution


def hubs_pay(arcs: Arcs) -> bool:
    """Whether the hub network (`flow._solve_by_hub`) would hold fewer than HUB_SHARE of the
    arcs: OR-Tools on it is then quicker than the simplex on the class network (the
    generator's 20,000 x 6,000 `star` and `profiles`: 0.64 M arcs as 0.17 M; `alike`: 1.94 M
    as 1.58 M). Counted without building it: a focus area's arcs into a hub of two or more
    classes with places become one."""
    rep, hub = arcs.mentor_class, arcs.hub
    if rep is None or hub is None or not len(arcs.rows):
        return False
    n_m = len(arcs.capacity)
    places = np.bincount(rep, weights=np.maximum(arcs.capacity, 0), minlength=n_m)
    live = np.flatnonzero((rep == np.arange(n_m)) & (places > 0))
    merging = np.bincount(hub[live], minlength=n_m) >= 2
    into = merging[hub[arcs.cols]]
    n_into = int(into.sum())
    if not n_into:
        return False
    distinct = len(arrays.unique(arcs.rows[into] * n_m + hub[arcs.cols[into]]))
    return len(arcs.rows) - n_into + distinct < HUB_SHARE * len(arcs.rows)


def relaxed_assignment(arcs: Arcs) -> tuple[I64, F64] | None:
    """The class network's optimum without the mentee rule (a transportation problem, see
    `_transport`: a demand's unit to a class costs -value) by POT's sparse network simplex:
    the class (its representative) per demand, -1 unmatched, and each mentor's price (its
    class's dual). None without POT, above MAX_ARCS or short of the optimum within MAX_ITER
    pivots."""
    module = pot_simplex_module()
    if module is None or len(arcs.rows) > MAX_ARCS or not len(arcs.rows):
        return None
    flow_arcs = arcs.by_class()
    places = np.maximum(flow_arcs.capacity, 0).astype(np.float64)
    n_m = len(places)
    demands = arrays.unique(flow_arcs.rows)  # each with an unmatched arc (`Network.active`)
    # arcs into classes without a place carry nothing: left out (their duals would be
    # arbitrary); such a class is priced at its dearest arc, which no demand then prefers
    open_arcs = places[flow_arcs.cols] > 0
    closed = ~open_arcs
    closed_price = np.zeros(n_m)
    np.maximum.at(closed_price, flow_arcs.cols[closed], flow_arcs.values[closed])
    del closed

    def fill(tails: NDArray[np.uint64], heads: NDArray[np.uint64], costs: F64) -> None:
        tails[:] = np.searchsorted(demands, flow_arcs.rows[open_arcs])
        heads[:] = flow_arcs.cols[open_arcs]
        costs[:] = flow_arcs.values[open_arcs]
        np.negative(costs, out=costs)  # a unit to a class costs -value

    solved = _transport(module, len(demands), int(open_arcs.sum()), fill, places, 1)
    if solved is None:
        return None
    flow_tails, flow_heads, _, prices = solved
    assigned = np.full(arcs.n_demands, -1, np.int64)
    assigned[demands[flow_tails]] = flow_heads
    class_prices = np.where(places > 0, prices, closed_price)
    rep = arcs.mentor_class
    prices = class_prices if rep is None else class_prices[rep]
    return assigned, prices


def network_flows(net: Network, copies: int) -> I64 | None:
    """An optimal flow of a sampled problem's network (`first_prices.replicated_solve`: every
    active demand of `net` supplies `copies` units; arcs in its order: pairs, intermediate
    places, unmatched, mentor places) from POT's simplex on it without the intermediate
    nodes, where that flow keeps within their capacities (then it is optimal on the whole
    network too: a relaxation's optimum that is feasible); None otherwise, without POT or
    above MAX_ARCS (the caller then solves with OR-Tools)."""
    module = pot_simplex_module()
    n_pair = len(net.pair_tail)
    if module is None or not n_pair or n_pair > MAX_ARCS:
        return None
    n_d, n_m, sink = net.n_demands, len(net.capacity), net.sink
    via = net.pair_head > sink
    target = net.pair_head - n_d
    target[via] = net.mid_mentor[net.pair_head[via] - sink - 1] - n_d
    places = np.maximum(net.capacity, 0).astype(np.float64)
    n_s = len(net.active)
    source = np.searchsorted(net.active, net.pair_tail)

    def fill(tails: NDArray[np.uint64], heads: NDArray[np.uint64], costs: F64) -> None:
        tails[:], heads[:], costs[:] = source, target, net.pair_cost

    solved = _transport(module, n_s, n_pair, fill, places, copies)
    if solved is None:
        return None
    flow_tails, flow_heads, units, _ = solved
    # each (demand, mentor) has one arc: the flows back onto the arcs by that key
    width = n_m + 1
    arc_key = source * width + target
    order = np.argsort(arc_key, kind="stable")
    at = order[np.searchsorted(arc_key[order], flow_tails * width + flow_heads)]
    pair_flow = np.zeros(n_pair, np.int64)
    pair_flow[at] = units
    mid_flow = np.bincount(
        net.pair_head[via] - sink - 1, weights=pair_flow[via], minlength=len(net.mid_node)
    ).astype(np.int64)
    if bool((mid_flow > net.mid_capacity * copies).any()):
        log.debug("simplex: the sample's mentee rule binds")
        return None  # the intermediate nodes bind: OR-Tools solves the network
    matched = np.bincount(source, weights=pair_flow, minlength=n_s).astype(np.int64)
    taken = np.bincount(target, weights=pair_flow, minlength=n_m).astype(np.int64)
    return np.concatenate([pair_flow, mid_flow, copies - matched, taken])


def _transport(
    module: Any, n_s: int, n_arcs: int, fill: FillArcs, places: F64, copies: int
) -> tuple[I64, I64, I64, F64] | None:
    """The transportation problem of `n_s` demands (each `copies` units), mentors with
    `places` and `n_arcs` arcs, solved by POT's sparse simplex: the (demand, mentor) pairs
    that carry units, those units, and each mentor's price; None short of the optimum.
    `fill(tails, heads, costs)` writes the arcs (demand, mentor, cost) into the arrays POT
    takes, so that no other copy of them is held while it solves (POT itself holds about
    110 bytes an arc; copies of the arcs made before the call, about 90 more, once took the
    generator's 20,000 x 6,000 `alike` to 0.99 GB).

    Sources: each demand and a *filler* with as many units as there are places; targets: each
    mentor and *unmatched* with every demand's units. A demand's unit to unmatched costs 0, as
    the filler's to anyone: staying unmatched is always allowed, nothing is forced, and a
    mentor's price is the unmatched target's dual minus its own (>= 0: the filler reaches
    both at cost 0)."""
    n_m = len(places)
    unmatched, filler = n_m, n_s
    total = n_arcs + n_s + n_m + 1
    tails = np.empty(total, np.uint64)
    heads = np.empty(total, np.uint64)
    costs = np.zeros(total)
    fill(tails[:n_arcs], heads[:n_arcs], costs[:n_arcs])
    tails[n_arcs : n_arcs + n_s] = np.arange(n_s, dtype=np.uint64)
    heads[n_arcs : n_arcs + n_s] = unmatched
    tails[n_arcs + n_s :] = filler
    heads[n_arcs + n_s :] = np.arange(n_m + 1, dtype=np.uint64)
    supply = np.concatenate([np.full(n_s, float(copies)), [places.sum()]])
    demand = np.concatenate([places, [float(copies * n_s)]])
    found = module.emd_c_sparse(supply, demand, tails, heads, costs, MAX_ITER)
    del tails, heads, costs
    flow_tails, flow_heads, flow_values, _, _, duals, code = found
    if code != OPTIMAL:
        log.debug("simplex: stopped short of the optimum (code %d)", code)
        return None
    flow_tails, flow_heads = flow_tails.astype(np.int64), flow_heads.astype(np.int64)
    units = np.rint(flow_values).astype(np.int64)
    pair = (flow_tails < n_s) & (flow_heads < n_m) & (units > 0)
    prices = np.maximum(duals[unmatched] - duals[:n_m], 0.0)
    return flow_tails[pair], flow_heads[pair], units[pair], prices


@cache  # loaded once: later calls return the same module
def pot_simplex_module() -> Any | None:
    """POT's compiled network simplex (`ot.lp.emd_wrap`: `emd_c`, dense, and `emd_c_sparse`),
    or None without POT; loaded without POT's package where it can be (see the module)."""
    module: Any = sys.modules.get("ot.lp.emd_wrap")
    try:
        if module is None:
            module = _simplex_alone()
        if module is None:  # the whole package, scikit-learn's helpers kept out (0.6 s of it)
            with _hidden("sklearn"):
                module = importlib.import_module("ot.lp.emd_wrap")
    except ImportError:  # an install without it
        return None
    return module


def _simplex_alone() -> Any:
    """`ot.lp.emd_wrap` loaded with POT's packages stood in for, or None where that cannot be
    done (POT partly imported already, or another POT). Raises ImportError without POT."""
    spec = importlib.util.find_spec("ot")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("POT is not installed")
    stand_ins = ("ot", "ot.lp", "ot.utils")
    if any(name in sys.modules for name in stand_ins):
        return None  # POT partly imported already: its own import finishes it
    root = next(iter(spec.submodule_search_locations))
    package, lp, utils = (ModuleType(name) for name in stand_ins)
    package.__path__ = [root]
    lp.__path__ = [os.path.join(root, "lp")]
    utils.dist = _pot_dist  # type: ignore[attr-defined]
    sys.modules.update(zip(stand_ins, (package, lp, utils), strict=True))
    try:
        return importlib.import_module("ot.lp.emd_wrap")
    except Exception:  # another POT: its own import, above
        sys.modules.pop("ot.lp.emd_wrap", None)
        return None
    finally:
        for name, module in zip(stand_ins, (package, lp, utils), strict=True):
            if sys.modules.get(name) is module:
                del sys.modules[name]


def _pot_dist(*args: Any, **kwargs: Any) -> Any:
    """POT's own `ot.utils.dist`, imported when first called (only POT's lazy solver does)."""
    from ot.utils import dist

    return dist(*args, **kwargs)


@contextmanager
def _hidden(name: str) -> Iterator[None]:
    """An import of `name` fails meanwhile (unless it is imported already)."""
    hide = name not in sys.modules
    if hide:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if hide:
            del sys.modules[name]
