"""First prices from an auction on the shortlist: near the optimal duals, the same optimum."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from mentorbridge.matching_engine import Instance, Session, auction, first_prices, rounds
from mentorbridge.matching_engine.auction import auction_prices
from mentorbridge.matching_engine.solvers.flow import Arcs, solve_min_cost
from tests.matching_engine.synthetic import make_instance, make_tie_instance


def _market(seed: int, n_d: int = 60, n_m: int = 15, per_row: int = 6, ties: bool = False) -> Arcs:
    """Random listed pairs, one focus area per mentee (no pair constraints)."""
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(n_d), per_row).astype(np.int64)
    cols = np.concatenate([np.sort(rng.choice(n_m, per_row, replace=False)) for _ in range(n_d)])
    if ties:  # a few distinct values: many exact ties
        values = rng.choice([200_000, 200_001, 350_000, 500_000], len(rows))
    else:
        values = rng.integers(1, 1_000_000, len(rows))
    return Arcs(
        rows=rows,
        cols=cols.astype(np.int64),
        values=values.astype(np.int64),
        demand_mentee=np.arange(n_d, dtype=np.int64),
        capacity=rng.integers(0, 4, n_m).astype(np.int64),
        n_demands=n_d,
    )


def _prices(arcs: Arcs, active: Any = None, start: Any = None) -> tuple[Any, int]:
    indptr = np.zeros(arcs.n_demands + 1, np.int64)
    np.cumsum(np.bincount(arcs.rows, minlength=arcs.n_demands), out=indptr[1:])
    if active is None:
        active = np.ones(arcs.n_demands, bool)
    found = auction_prices(indptr, arcs.cols, arcs.values, 0, active, arcs.capacity, start)
    assert found is not None
    return found.prices, found.value


def _dual(arcs: Arcs, prices: Any, active: Any = None) -> float:
    """The LP bound at mentor prices: places times prices plus each demand's best gain."""
    gain = np.zeros(arcs.n_demands)
    ok = arcs.capacity[arcs.cols] > 0
    if active is not None:
        ok &= active[arcs.rows]
    np.maximum.at(gain, arcs.rows[ok], arcs.values[ok] - prices[arcs.cols[ok]])
    return float((arcs.capacity.clip(0) * prices).sum() + gain.sum())


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("seed", range(8))
def test_auction_prices_bound_the_optimum_within_one_unit_per_focus_area(
    seed: int, ties: bool
) -> None:
    arcs = _market(seed, ties=ties)
    prices, value = _prices(arcs)
    optimum = int(solve_min_cost(arcs).values.sum())
    bound = _dual(arcs, prices)
    assert (prices >= 0).all()
    assert value <= optimum <= bound  # a feasible assignment; weak duality
    assert bound - value <= arcs.n_demands * auction.EPS_END


@pytest.mark.parametrize("start", ["near", "far", "random", "huge"])
@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("seed", range(6))
def test_an_auction_from_start_prices_bounds_the_optimum_within_one_unit_per_focus_area(
    seed: int, ties: bool, start: str
) -> None:
    arcs = _market(seed, ties=ties)
    cold, _ = _prices(arcs)
    rng = np.random.default_rng(seed)
    first = {
        "near": cold + rng.integers(-3_000, 3_000, len(cold)),  # a sample's prices, say
        "far": cold * 3 + 50_000,  # every mentor far too dear
        "random": rng.integers(0, 1_000_000, len(cold)).astype(np.float64),
        "huge": np.full(len(cold), 1e30),  # clipped to the largest value
    }[start]
    prices, value = _prices(arcs, start=first)
    optimum = int(solve_min_cost(arcs).values.sum())
    bound = _dual(arcs, prices)
    assert (prices >= 0).all()
    assert value <= optimum <= bound
    assert bound - value <= arcs.n_demands * auction.EPS_END


def test_an_auction_started_near_its_own_prices_bids_less_than_from_zero() -> None:
    arcs = _market(5, n_d=2_000, n_m=400, per_row=20)
    indptr = np.zeros(arcs.n_demands + 1, np.int64)
    np.cumsum(np.bincount(arcs.rows, minlength=arcs.n_demands), out=indptr[1:])
    active = np.ones(arcs.n_demands, bool)
    cold = auction_prices(indptr, arcs.cols, arcs.values, 0, active, arcs.capacity)
    assert cold is not None
    warm = auction_prices(indptr, arcs.cols, arcs.values, 0, active, arcs.capacity, cold.prices)
    assert warm is not None
    assert 0 < warm.bids < cold.bids
    assert abs(warm.value - cold.value) <= arcs.n_demands * auction.EPS_END


def test_a_mentor_left_with_a_free_place_is_priced_zero() -> None:
    # two mentors of one place each; one focus area wants both, the other only mentor 0
    arcs = Arcs(
        rows=np.array([0, 0, 1], np.int64),
        cols=np.array([0, 1, 0], np.int64),
        values=np.array([900, 800, 100], np.int64),
        demand_mentee=np.arange(2, dtype=np.int64),
        capacity=np.array([1, 1], np.int64),
        n_demands=2,
    )
    prices, value = _prices(arcs)
    assert value == 900  # 0 takes mentor 0; mentor 1 stays free
    assert prices[1] == 0
    assert _dual(arcs, prices) - value <= 2 * auction.EPS_END


def test_inactive_demands_and_full_mentors_take_no_part() -> None:
    arcs = _market(3)
    active = np.ones(arcs.n_demands, bool)
    active[::2] = False
    prices, value = _prices(arcs, active=active)
    sub = arcs.subset(active[arcs.rows])
    assert value <= int(solve_min_cost(sub).values.sum()) <= _dual(arcs, prices, active)
    assert (prices[arcs.capacity <= 0] == 0).all()


def test_a_price_war_past_the_bid_budget_gives_no_prices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auction, "BIDS_PER_ARC", -100)  # no budget at all
    arcs = _market(2, n_d=200, n_m=5, per_row=5, ties=True)
    indptr = np.zeros(arcs.n_demands + 1, np.int64)
    np.cumsum(np.bincount(arcs.rows, minlength=arcs.n_demands), out=indptr[1:])
    active = np.ones(arcs.n_demands, bool)
    assert auction_prices(indptr, arcs.cols, arcs.values, 0, active, arcs.capacity) is None


# (name, instance, where the first prices come from): no auction where mentor classes have two
# or more members (`profiles`, `star`: an auction on members prices a class's pairs badly);
# these classes are large (few distinct profiles), so round 1 comes first there
INSTANCES = [
    ("profiles", lambda: make_tie_instance(260, 70, seed=3, style="profiles", k=3), "none"),
    ("one_factor", lambda: make_tie_instance(260, 70, seed=4, style="one_factor", k=3), "auction"),
    ("star", lambda: make_tie_instance(240, 60, seed=5, style="star", k=3), "none"),
    ("alike", lambda: make_tie_instance(240, 60, seed=9, style="alike", k=3), "auction"),
    ("plain", lambda: make_instance(260, 80, seed=6, k=4), "auction"),
    ("coverage", lambda: make_instance(260, 80, seed=7, k=4, objective="coverage"), "auction"),
]


def _solve(data: dict[str, Any]) -> tuple[float, float, list[tuple[str, str, str]], str]:
    result = Session(Instance.from_dict(data)).solve()
    pairs = sorted((a.mentee, a.focus_area, a.mentor) for a in result.assignments)
    return result.stats["objective"], result.stats["gap"], pairs, result.stats["first_prices"]


def _solve_patched(
    monkeypatch: pytest.MonkeyPatch, data: dict[str, Any], *settings: tuple[Any, str, Any]
) -> tuple[float, float, float, str]:
    """The objective as usual, then with each (module, name, value) of `settings` patched
    (and first prices from 20 focus areas up): the objective, gap and first prices' path."""
    objective = _solve(data)[0]
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    for module, name, value in settings:
        monkeypatch.setattr(module, name, value)
    with_prices, gap, _, priced = _solve(data)
    return objective, with_prices, gap, priced


@pytest.mark.parametrize(("name", "make", "source"), INSTANCES, ids=[i[0] for i in INSTANCES])
def test_first_prices_from_an_auction_keep_the_same_certified_optimum(
    monkeypatch: pytest.MonkeyPatch, name: str, make: Any, source: str
) -> None:
    data = make()
    objective, gap, _, priced = _solve(data)
    assert gap == 0.0 and priced == "none"  # below the auction's size by default
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    with_prices, gap_with, _, priced = _solve(data)
    assert priced == source
    assert gap_with == 0.0
    assert with_prices == objective


def test_first_prices_from_an_auction_give_the_same_result_on_every_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    data = make_tie_instance(260, 70, seed=8, style="one_factor", k=3)
    first, second = _solve(data), _solve(data)
    assert first[3] == "auction"
    assert first == second


def _record(
    monkeypatch: pytest.MonkeyPatch,
    calls: list[str],
    name: str,
    outcome: Callable[[Any], str] | None = None,
) -> None:
    """`rounds.<name>` as it is, each call noted in `calls`: by `outcome` of what it returned,
    or by its name."""
    real = getattr(rounds, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        calls.append(outcome(out) if outcome is not None else name)
        return out

    monkeypatch.setattr(rounds, name, recorded)


def test_round_1_after_auctions_is_priced_on_the_whole_shortlist_before_its_one_certificate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _plain()
    objective = _solve(data)[0]
    calls: list[str] = []
    _record(monkeypatch, calls, "certify")
    _record(monkeypatch, calls, "duals_on")
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    with_prices, gap, _, priced = _solve(data)
    assert priced == "auction"
    assert calls[:2] == ["duals_on", "certify"]  # not a certificate at the working set's duals
    assert gap == 0.0 and with_prices == objective


REPAIRED = (rounds, "AUCTION_REPAIR_MIN_ARCS", 0)  # round 1 repairs the auction's assignment


@pytest.mark.parametrize(
    ("name", "make"),
    [(name, make) for name, make, source in INSTANCES if source == "auction"],
    ids=[name for name, _, source in INSTANCES if source == "auction"],
)
def test_round_1_repairs_the_last_auction_s_assignment_to_the_same_certified_optimum(
    monkeypatch: pytest.MonkeyPatch, name: str, make: Any
) -> None:
    data = make()
    objective = _solve(data)[0]
    calls: list[str] = []
    _record(monkeypatch, calls, "repair_min_cost", lambda out: "repaired" if out else "declined")
    _record(monkeypatch, calls, "solve_min_cost", lambda out: "solved")
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    monkeypatch.setattr(*REPAIRED)
    with_repair, gap, _, priced = _solve(data)
    assert priced == "auction"
    assert calls[0] == "repaired"  # round 1's flow: no fresh solve
    assert gap == 0.0 and with_repair == objective
    assert _solve(data)[2] == _solve(data)[2]  # the same pairs on every run


def test_round_1_solves_afresh_when_the_auction_s_assignment_is_not_repaired(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _plain()
    objective = _solve(data)[0]
    monkeypatch.setattr(rounds, "repair_min_cost", lambda *args, **kwargs: None)
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    monkeypatch.setattr(*REPAIRED)
    with_prices, gap, _, priced = _solve(data)
    assert priced == "auction"
    assert gap == 0.0 and with_prices == objective


def _repaired_after_auctions(monkeypatch: pytest.MonkeyPatch) -> tuple[Instance, dict]:
    """An instance whose round 1 repairs the auctions' assignment, and its result solved
    as usual (without the seconds and the peak memory, which differ from run to run)."""
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    monkeypatch.setattr(*REPAIRED)
    instance = Instance.from_dict(_plain())
    return instance, _untimed(Session(instance).solve().to_dict())


def _untimed(result: dict) -> dict:
    del result["stats"]["seconds"], result["stats"]["peak_memory_mb"]
    return result


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_explaining_while_the_auction_s_assignment_is_repaired_gives_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance, plain = _repaired_after_auctions(monkeypatch)
    ahead = Session(instance, explain_while_solving=True).solve().to_dict()
    assert ahead["stats"]["first_prices"] == "auction"
    assert _untimed(ahead) == plain


def test_explaining_in_a_thread_beside_the_repair_gives_the_same_result_and_forks_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance, plain = _repaired_after_auctions(monkeypatch)
    worded: list[int] = []
    original = Session._word_pairs
    ahead = threading.Event()

    def word_pairs(self: Session, rows: Any, cols: Any) -> Any:
        worded.append(len(rows))
        ahead.set()
        return original(self, rows, cols)

    repair = rounds.repair_min_cost

    def repair_once_wording_began(*args: Any, **kwargs: Any) -> Any:
        # this small repair could end before the first step of wording began (then none is
        # worded beside it, as a test running beside others saw): it waits for that step
        ahead.wait(10)
        return repair(*args, **kwargs)

    monkeypatch.setattr(Session, "_word_pairs", word_pairs)
    monkeypatch.setattr(rounds, "repair_min_cost", repair_once_wording_began)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("a web worker's session forked"))
    session = Session(instance, explain_in_thread=True)
    threaded = session.solve().to_dict()
    assert threaded["stats"]["first_prices"] == "auction"
    assert len(worded) >= 2  # ahead, beside the repair, and once more for the result
    assert len(session._breakdowns) >= threaded["stats"]["matched"]  # kept for re-solves
    assert _untimed(threaded) == plain


def _plain() -> dict[str, Any]:
    return make_instance(260, 80, seed=6, k=4)


def _profiles() -> dict[str, Any]:
    return make_tie_instance(260, 70, seed=3, style="profiles", k=3)


SAMPLES = (first_prices, "MIN_SAMPLE_DEMANDS", 20)  # a sample from 20 focus areas up
# (name, instance, patches, the first prices' path expected); each keeps the certified optimum
PATCHED = [
    # a bid budget that runs out: no auction prices, and too small for a sample by default
    ("auction out of bids", _plain, [(auction, "BIDS_PER_ARC", -100)], "none"),
    # the app's round: an auction's bound 112 % above its value, rounds from its prices still
    # 4.8 % off after 8; AUCTION_FAR_GAP 0 makes every auction give up, 10 none (a gap that
    # does not halve gives up too: only 10 with a falling gap keeps the auction's prices)
    ("auctions give up", _plain, [SAMPLES, (rounds, "AUCTION_FAR_GAP", 0.0)], "sample"),
    ("auctions close in", _plain, [SAMPLES, (rounds, "AUCTION_FAR_GAP", 10.0)], "auction"),
    # the first auction's unlisted pairs alone past GIVE_UP_UNLISTED: no pass at its prices
    ("unlisted pairs give up", _plain, [SAMPLES, (rounds, "GIVE_UP_UNLISTED", -1.0)], "sample"),
    # `profiles` has classes of two or more members: a sample first when the classes are more
    # than SAMPLE_FIRST_CLASS_SHARE of the mentors (0: always, 1: never)
    ("classes, share 0", _profiles, [SAMPLES, (rounds, "SAMPLE_FIRST_CLASS_SHARE", 0.0)], "sample"),
    ("classes, share 1", _profiles, [SAMPLES, (rounds, "SAMPLE_FIRST_CLASS_SHARE", 1.0)], "none"),
    # ... and whatever their share, where round 1 would solve the whole shortlist without prices
    # (more than WHOLE_FIRST_ABOVE focus areas: 100,000 x 30,000 `profiles` took 5 rounds)
    (
        "classes, share 1, above the whole-shortlist size",
        _profiles,
        [SAMPLES, (rounds, "SAMPLE_FIRST_CLASS_SHARE", 1.0), (rounds, "WHOLE_FIRST_ABOVE", 30)],
        "sample",
    ),
    # one rough auction (prices within 0.02 a focus area) and every gap "far": round 1 leaves a
    # gap, and the rounds start again from a sampled problem's prices, as without prices
    (
        "rough auction, round 1 far off",
        _plain,
        [
            (rounds, "AUCTION_ROUNDS", 1),
            (auction, "EPS_END", 20_000),
            (rounds, "FAR_GAP", -1.0),
            SAMPLES,
        ],
        "sample after round 1",
    ),
    # above MAX_SAMPLED_DEMANDS only alike mentors get a sample (the generator's 100,000 x
    # 30,000 `alike` certified in 5 rounds with it, and was still 9 % off after 7 without)
    (
        "classes above the sampled size",
        _profiles,
        [
            SAMPLES,
            (first_prices, "MAX_SAMPLED_DEMANDS", 30),
            (rounds, "SAMPLE_FIRST_CLASS_SHARE", 0.0),
        ],
        "sample",
    ),
    (
        "auctions give up above the sampled size",
        _plain,
        [SAMPLES, (first_prices, "MAX_SAMPLED_DEMANDS", 30), (rounds, "AUCTION_FAR_GAP", 0.0)],
        "none",
    ),
]


@pytest.mark.parametrize(
    ("name", "make", "patches", "source"), PATCHED, ids=[case[0] for case in PATCHED]
)
def test_each_way_to_first_prices_keeps_the_certified_optimum(
    monkeypatch: pytest.MonkeyPatch, name: str, make: Any, patches: list[Any], source: str
) -> None:
    objective, with_prices, gap, priced = _solve_patched(monkeypatch, make(), *patches)
    assert priced == source
    assert gap == 0.0 and with_prices == objective


def _gives_up_once() -> Callable[..., float]:
    """`_unlisted_gap` that makes the first auctions give up and leaves later ones alone."""
    real, calls = rounds._unlisted_gap, []

    def estimate(*args: Any) -> float:
        calls.append(1)
        return 1.0 if len(calls) == 1 else real(*args)

    return estimate


def test_auctions_after_the_sample_s_prices_keep_the_certified_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the app's round: the first auctions give up (the optimum's pairs are not listed yet),
    # the sample's prices list them, and auctions on that shortlist price round 1
    objective, with_prices, gap, priced = _solve_patched(
        monkeypatch, _plain(), SAMPLES, (rounds, "_unlisted_gap", _gives_up_once())
    )
    assert priced == "sample, then auction"
    assert gap == 0.0 and with_prices == objective


def test_the_sample_before_auctions_is_one_level_of_at_most_sample_before_auctions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # mentors without classes whose first auctions gave up (the app's round): one sample of
    # about SAMPLE_BEFORE_AUCTIONS focus areas, no sample of its own, and auctions after it
    levels: list[tuple[int, int]] = []
    sampled = first_prices.sampled_prices

    def spy(*args: Any, **kwargs: Any) -> Any:
        levels.append((int(args[2].sum()), kwargs.get("depth", args[9] if len(args) > 9 else 0)))
        return sampled(*args, **kwargs)

    monkeypatch.setattr(first_prices, "sampled_prices", spy)
    monkeypatch.setattr(rounds, "sampled_prices", spy)
    # the flow sample's levels: where the dense sample cannot serve (test_first_prices.py)
    monkeypatch.setattr(first_prices, "_network_simplex", lambda: None)
    objective, with_prices, gap, priced = _solve_patched(
        monkeypatch,
        _plain(),
        SAMPLES,
        (rounds, "_unlisted_gap", _gives_up_once()),
        (rounds, "SAMPLE_BEFORE_AUCTIONS", 15),
    )
    assert priced == "sample, then auction"
    assert gap == 0.0 and with_prices == objective
    # the whole problem (260 focus areas), then its sample of about 15 (a share drawn at
    # random: 1 mentee in 18, not 1 in 5), below MIN_SAMPLE_DEMANDS (20): no sample of its own
    assert [depth for _, depth in levels] == [0, 1]
    assert levels[1][0] < first_prices.MIN_SAMPLE_DEMANDS
    assert levels[1][0] < levels[0][0] // 5


@pytest.mark.parametrize(
    ("make", "patches", "priced", "times_k"),
    [
        # the app's round: the pass at the sample's prices, before the auctions, lists
        # SEED_PAIRS_BEFORE_AUCTIONS times K (2)
        (
            _plain,
            [(rounds, "_unlisted_gap", _gives_up_once())],
            "sample, then auction",
            rounds.SEED_PAIRS_BEFORE_AUCTIONS,
        ),
        # classes of members (the generator's `alike`): K, as the rounds' passes
        (_profiles, [(rounds, "SAMPLE_FIRST_CLASS_SHARE", 0.0)], "sample", 1),
    ],
    ids=["auctions after the sample", "classes"],
)
def test_the_pass_at_the_sample_s_prices_lists_more_pairs_a_row_only_before_auctions(
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[], dict[str, Any]],
    patches: list[tuple[Any, str, Any]],
    priced: str,
    times_k: int,
) -> None:
    data = make()
    per_row: list[int] = []
    seed_pairs = rounds.seed_pairs

    def spy(*args: Any, **kwargs: Any) -> Any:
        per_row.append(args[5])
        return seed_pairs(*args, **kwargs)

    monkeypatch.setattr(rounds, "seed_pairs", spy)
    objective, with_prices, gap, path = _solve_patched(monkeypatch, data, SAMPLES, *patches)
    assert path == priced
    assert gap == 0.0 and with_prices == objective
    k = data["options"]["shortlist_k"]
    assert per_row[0] == times_k * k  # the pass at the sample's prices
    assert all(n == k for n in per_row[1:])  # each auction's pass: K


def test_auctions_that_give_up_after_the_sample_leave_the_sample_s_prices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = Session(Instance.from_dict(make_instance(60, 20, seed=4, k=3)))
    memory = rounds.CertifyMemory(prices=np.ones(20), row_best=np.zeros(60), bonus=0)
    sample = rounds.replace(memory)

    starts = []

    def overwritten(*args: Any) -> None:
        memory, start = args[5], args[6]
        starts.append(start)
        memory.prices, memory.row_best, memory.left = np.zeros(20), np.ones(60), np.ones(60)

    monkeypatch.setattr(rounds, "_auction_rounds", overwritten)
    active = np.ones(60, bool)
    pricing = rounds.Pricing(bonus=0, threshold=0, active=active, capacity=session.model.capacity)
    found = rounds._auctions_after_sample(
        session.features, session.shortlist, pricing, None, 3, memory
    )
    assert found is None
    assert starts[0] is sample.prices  # the auctions started from the sample's prices
    assert memory.prices is sample.prices and memory.row_best is sample.row_best
    assert memory.left is None


def test_the_auctions_gap_is_relative_to_the_scores_not_to_coverages_bonus() -> None:
    bonus = 10**9
    found = auction.Auction(
        prices=np.zeros(2), assigned=np.array([0, 1, -1], np.int64), value=2 * bonus + 900
    )
    gap = rounds.scores_gap(found.value, 2 * bonus + 1000, bonus, found.assigned)
    assert gap == pytest.approx(0.1)
    gap = rounds.scores_gap(found.value, 2 * bonus + 1000, 0, found.assigned)
    assert gap == pytest.approx(100 / (2 * bonus + 1000))


@pytest.mark.parametrize("every", [1, 2, 3, 10**6], ids=["all", "half", "a third", "none"])
def test_the_unlisted_pairs_estimate_is_part_of_the_gap_the_pass_at_the_prices_finds(
    every: int,
) -> None:
    # the auction's assignment with every `every`-th match undone (free places beside
    # unmatched focus areas); every unmatched area is in the estimate's sample here, so the
    # estimate is a lower bound of the gap at the prices, not a guess
    session = Session(Instance.from_dict(make_instance(200, 60, seed=11, k=2)))
    model, shortlist = session.model, session.shortlist
    active = np.ones(model.n_demands, bool)
    found = auction_prices(
        shortlist.indptr, shortlist.cols, shortlist.scores, 0, active, model.capacity
    )
    assert found is not None
    matched = np.flatnonzero(found.assigned >= 0)
    assigned = found.assigned.copy()
    assigned[matched[::every]] = -1
    kept = np.flatnonzero(assigned >= 0)
    value = int(shortlist.scores_of(kept, assigned[kept]).sum())
    partial = auction.Auction(found.prices, assigned, value)
    pricing = rounds.Pricing(bonus=0, threshold=0, active=active, capacity=model.capacity)
    estimate = rounds._unlisted_gap(session.features, partial, pricing)
    bound, _ = rounds.seed_pairs(
        session.features, shortlist, found.prices, pricing, None, 2, rounds.CertifyMemory()
    )
    assert 0.0 <= estimate <= rounds.scores_gap(value, bound, 0, assigned) + 1e-12
    if every < 10**6:
        assert estimate > 0


def test_no_free_place_or_no_unmatched_focus_area_estimates_no_unlisted_gap() -> None:
    session = Session(Instance.from_dict(make_instance(40, 10, seed=2, k=3)))
    n_d, n_m = session.model.n_demands, session.model.n_mentors
    active = np.ones(n_d, bool)
    pricing = rounds.Pricing(bonus=0, threshold=0, active=active, capacity=np.zeros(n_m, np.int64))
    nobody = auction.Auction(np.zeros(n_m), np.full(n_d, -1, np.int64), 0)
    assert rounds._unlisted_gap(session.features, nobody, pricing) == 0.0  # no places at all
    pricing = rounds.Pricing(bonus=0, threshold=0, active=~active, capacity=session.model.capacity)
    assert rounds._unlisted_gap(session.features, nobody, pricing) == 0.0  # nobody active


def test_the_auctions_return_their_last_auction_with_the_bound_at_its_prices() -> None:
    # round 1's working set after auctions keeps the pairs within the auction's own gap
    # (bound - value): the bound must be the one at the returned auction's prices
    session = Session(Instance.from_dict(make_instance(260, 80, seed=6, k=4)))
    model, shortlist = session.model, session.shortlist
    active = np.ones(model.n_demands, bool)
    pricing = rounds.Pricing(bonus=0, threshold=0, active=active, capacity=model.capacity)
    memory = rounds.CertifyMemory()
    found = rounds._auction_rounds(session.features, shortlist, pricing, None, 4, memory)
    assert found is not None
    assert np.isfinite(found.bound) and found.bound >= found.value
    again, _ = rounds.seed_pairs(
        session.features, shortlist, found.prices, pricing, None, 4, rounds.CertifyMemory()
    )
    assert found.bound == again
    assert memory.prices is not None and np.array_equal(memory.prices, found.prices)


def _priced_first_rounds(
    monkeypatch: pytest.MonkeyPatch, data: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> tuple[dict[str, Any], list[bool]]:
    """The stats of a solve whose first prices come from a sample, and for each pricing of a
    working set's flow on the whole shortlist (`rounds.duals_on`), whether its arcs had hubs."""
    for module, name, value in [SAMPLES, (rounds, "SAMPLE_FIRST_CLASS_SHARE", 0.0)]:
        monkeypatch.setattr(module, name, value)
    monkeypatch.setattr(rounds, "AUCTION_MIN_DEMANDS", 20)
    hubs: list[bool] = []
    real = rounds.duals_on

    def spy(arcs: Arcs, *args: Any) -> Any:
        hubs.append(arcs.hub is not None)
        return real(arcs, *args)

    monkeypatch.setattr(rounds, "duals_on", spy)
    caplog.clear()
    with caplog.at_level("DEBUG", logger="mentorbridge"):
        stats = Session(Instance.from_dict(data)).solve().stats
    return stats, hubs


@pytest.mark.parametrize("seed", range(3))
def test_round_1_after_a_sample_that_nearly_reaches_its_objective_is_priced_on_the_shortlist(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, seed: int
) -> None:
    # every pair alike: the sample's prices put the bound within PRICE_WHOLE_GAP of round 1's
    # objective, and round 1's flow (through hubs) is optimal on the whole shortlist, whose
    # class network prices it (at 100,000 x 30,000 its own duals left 3 matches of gap, and a
    # second round on 9.6 M arcs took 26 s to close them)
    data = make_tie_instance(400, 120, seed=seed, style="all_equal", k=3)
    stats, hubs = _priced_first_rounds(monkeypatch, data, caplog)
    assert stats["first_prices"] == "sample" and "hubs:" in caplog.text
    assert "round 1: working set's flow priced" in caplog.text
    assert hubs == [False]  # the class network of the shortlist, not the hubs' arcs
    monkeypatch.setattr(rounds, "PRICE_WHOLE_GAP", -1.0)  # never close enough
    unpriced, hubs = _priced_first_rounds(monkeypatch, data, caplog)
    assert hubs == [] and "working set's flow" not in caplog.text
    assert stats["gap"] == unpriced["gap"] == 0.0
    assert stats["objective"] == unpriced["objective"]


def _one_factor_cohort() -> dict[str, Any]:
    """Seniority alone weighted, a short shortlist: round 1 from the sample's prices leaves its
    own duals a small gap that the whole shortlist's duals close."""
    from bench.generate_instance import GeneratorConfig, generate_instance, make_ties

    data = generate_instance(GeneratorConfig(600, 200, seed=2, shortlist_k=4))
    make_ties(data, "one_factor", 2)
    return data


def test_a_first_round_whose_own_duals_leave_a_small_gap_is_priced_after_its_certificate(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # at 100,000 x 30,000 with only `preference` weighted: the sample's bound 3.3 % off, round
    # 1's own duals 3.1e-5; its flow priced on the shortlist closes the certificate, where a
    # second round on 9.6 M arcs found the same objective after 28 s
    data = _one_factor_cohort()
    stats, hubs = _priced_first_rounds(monkeypatch, data, caplog)
    assert "its flow priced after its certificate" in caplog.text
    assert hubs and not any(hubs)  # the class network of the shortlist
    monkeypatch.setattr(rounds, "PRICE_WHOLE_GAP", -1.0)
    unpriced, _ = _priced_first_rounds(monkeypatch, data, caplog)
    assert "after its certificate" not in caplog.text
    assert stats["rounds"] < unpriced["rounds"]
    assert stats["gap"] == unpriced["gap"] == 0.0
    assert stats["objective"] == unpriced["objective"]


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize("seed", range(4))
def test_the_auction_bids_alike_on_int32_and_int64_values(seed: int, ties: bool) -> None:
    # `total` (no bonus) streams its pairs as int32; `coverage`'s bonus does not fit and
    # they stay int64: the same bids, prices and assignment either way
    arcs = _market(seed, ties=ties)
    indptr = np.zeros(arcs.n_demands + 1, np.int64)
    np.cumsum(np.bincount(arcs.rows, minlength=arcs.n_demands), out=indptr[1:])
    places = np.maximum(arcs.capacity, 0)
    outcomes = []
    for dtype in (np.int32, np.int64):
        sub_indptr, sub_cols, sub_values = auction._listed(
            indptr, arcs.cols, arcs.values, 0, np.ones(arcs.n_demands, bool), places,
            np.empty(0, dtype),
        )  # fmt: skip
        assert sub_values.dtype == dtype and sub_cols.dtype == np.int32
        columns = auction._columns(sub_indptr, sub_cols, sub_values, len(places))
        slot_start = np.concatenate([[0], np.cumsum(places)]).astype(np.int64)
        n_slots = int(slot_start[-1])
        slot_price, owner = np.zeros(n_slots, np.int64), np.full(n_slots, -1, np.int64)
        total, held = np.zeros(1, np.int64), np.full(arcs.n_demands, -1, np.int64)
        bids = auction._auction(
            sub_indptr, sub_cols, sub_values, *columns, slot_start, 250_000, 1, 8, 10**7,
            slot_price, owner, total, held,
        )  # fmt: skip
        outcomes.append((bids, slot_price.tolist(), held.tolist(), int(total[0])))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] > 0


def test_a_bonus_beyond_int32_keeps_the_auction_s_values_int64(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arcs = _market(1)
    indptr = np.zeros(arcs.n_demands + 1, np.int64)
    np.cumsum(np.bincount(arcs.rows, minlength=arcs.n_demands), out=indptr[1:])
    seen: list[Any] = []
    real = auction._auction

    def spy(*args: Any) -> int:
        seen.append(args[2].dtype)
        return int(real(*args))

    monkeypatch.setattr(auction, "_auction", spy)
    active = np.ones(arcs.n_demands, bool)
    for bonus in (0, 2**31):
        found = auction_prices(indptr, arcs.cols, arcs.values, bonus, active, arcs.capacity)
        assert found is not None and found.value > 0
    assert seen == [np.dtype(np.int32), np.dtype(np.int64)]
