"""Mentor classes ignore hard rules; the split into members respects them, and a class that
cannot take its flow is refined until the result is exact. Hubs join the classes of mentors
alike but for explicit preferences in the flow network."""

from __future__ import annotations

import itertools
import logging
import random
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from mentorbridge.matching_engine import Instance, solve
from mentorbridge.matching_engine import classes as classes_module
from mentorbridge.matching_engine.classes import (
    _place_by_paths,
    _split_exact,
    _split_greedy,
    exception_keys,
    mentor_classes,
    mentor_hubs,
    refine,
    split_class_flow,
)
from mentorbridge.matching_engine.features import Features
from mentorbridge.matching_engine.model import compile_model
from mentorbridge.matching_engine.solvers.flow import Arcs, solve_min_cost
from tests.matching_engine.helpers import best_total_by_milp, broken_rules

I64 = NDArray[np.int64]


def _alike(mentees: list[str], mentors: list[str], forbidden: list[tuple[str, str]]) -> dict:
    """Identical mentors of capacity 1 and identical mentees with one focus area each."""
    person: dict[str, Any] = {
        "level": 3, "department": "Ops", "location": "Oslo", "timezone": "Europe/Oslo",
        "languages": ["en"], "skills": {"python": 4}, "text": "python",
    }  # fmt: skip
    return {
        "people": [{"id": p, **person} for p in [*mentees, *mentors]],
        "mentees": [{"id": m, "focus_areas": [{"id": "f", "skills": ["python"]}]} for m in mentees],
        "mentors": [{"id": m, "capacity": 1} for m in mentors],
        "rules": {"forbidden": [{"mentee": a, "mentor": b} for a, b in forbidden]},
        "options": {"shortlist_k": 1},
    }


def test_alike_mentors_with_different_hard_rules_are_one_class() -> None:
    data = _alike(["E1", "E2"], ["A", "B", "C"], [("E1", "A")])
    instance = Instance.from_dict(data)
    features = Features(compile_model(instance), None)
    rep = mentor_classes(features, features.model.capacity)
    assert rep.tolist() == [0, 0, 0]


def test_the_split_gives_each_focus_area_a_member_it_may_have() -> None:
    data = _alike(["E1", "E2"], ["A", "B"], [("E1", "A")])
    result = solve(Instance.from_dict(data))
    assert {(a.mentee, a.mentor) for a in result.assignments} == {("E1", "B"), ("E2", "A")}
    assert broken_rules(data, result) == []
    assert result.stats["gap"] == 0.0


def test_a_class_that_cannot_take_its_flow_is_refined_and_the_result_stays_exact() -> None:
    # both mentees may only have B: the class {A, B} of capacity 2 promises two pairs, one exists
    data = _alike(["E1", "E2"], ["A", "B"], [("E1", "A"), ("E2", "A")])
    result = solve(Instance.from_dict(data))
    assert result.stats["matched"] == 1
    assert result.stats["objective"] == pytest.approx(best_total_by_milp(data), abs=1e-6)
    assert result.stats["gap"] == 0.0 and result.stats["certified"] is True
    assert broken_rules(data, result) == []


def test_the_split_says_which_classes_cannot_take_their_flow() -> None:
    rep = np.array([0, 0], np.int64)
    demands = np.array([0, 1], np.int64)
    removed = np.array([0 * 2 + 0, 1 * 2 + 0], np.int64)  # both demands may not have mentor 0
    capacity = np.array([1, 1], np.int64)
    _, failed = split_class_flow(
        demands, np.array([0, 0], np.int64), np.array([0, 1], np.int64), rep, capacity, removed
    )
    assert failed == [0]
    refine(rep, failed, removed, demands)
    assert rep.tolist() == [0, 1]


def test_a_partial_split_places_as_many_focus_areas_as_the_members_can_take() -> None:
    # class {0, 1, 2}, one place each; demands 0 and 1 may only have mentor 0, demand 2 any:
    # no whole split exists, the best partial one places two (demand 2 on mentor 1 or 2)
    rep = np.array([0, 0, 0], np.int64)
    demands = np.array([0, 1, 2], np.int64)
    n = 3
    removed = np.array(sorted([0 * n + 1, 0 * n + 2, 1 * n + 1, 1 * n + 2]), np.int64)
    capacity = np.array([1, 1, 1], np.int64)
    mentee = np.array([0, 1, 2], np.int64)
    whole, failed = split_class_flow(demands, np.zeros(3, np.int64), mentee, rep, capacity, removed)
    assert failed == [0] and whole.tolist() == [0, 0, 0]  # they keep the representative
    members, failed = split_class_flow(
        demands, np.zeros(3, np.int64), mentee, rep, capacity, removed, partial=True
    )
    assert failed == [0]
    placed = members[members >= 0].tolist()
    assert len(placed) == 2 and len(set(placed)) == 2  # one focus area per place
    assert members[2] in (1, 2) and sorted(members[:2].tolist()) == [-1, 0]


def test_the_split_places_the_focus_area_with_fewer_allowed_members_first() -> None:
    # demand 0 may have mentor 0 or 1, demand 1 only mentor 1
    rep = np.array([0, 0, 0], np.int64)
    demands = np.array([0, 1, 2], np.int64)
    n = 3
    removed = np.array(sorted([0 * n + 2, 1 * n + 0, 1 * n + 2, 2 * n + 1, 2 * n + 2]), np.int64)
    capacity = np.array([1, 1, 1], np.int64)
    members, failed = split_class_flow(
        demands[:2], np.array([0, 0], np.int64), np.array([0, 1, 2], np.int64), rep, capacity,
        removed,
    )  # fmt: skip
    assert failed == []
    assert members.tolist() == [0, 1]


def test_a_round_followed_by_another_refines_a_class_without_solving_again() -> None:
    # demands 0 and 1 (two mentees) may only have mentor 1 of the class {0, 1} (capacity 1
    # each): the class network sends both to the class, no split exists
    rep = np.array([0, 0], np.int64)
    arcs = Arcs(
        rows=np.array([0, 1], np.int64),
        cols=np.array([1, 1], np.int64),
        values=np.array([5, 4], np.int64),
        demand_mentee=np.array([0, 1], np.int64),
        capacity=np.array([1, 1], np.int64),
        n_demands=2,
        mentor_class=rep,
        removed=np.array([0 * 2 + 0, 1 * 2 + 0], np.int64),
    )
    first = solve_min_cost(arcs, solve_refined=False)
    assert rep.tolist() == [0, 1]  # refined for the next solve
    # the class's split places what it can (one of them on mentor 1), the rest is left
    # unmatched: a feasible assignment
    assert first.assigned.tolist() in ([1, -1], [-1, 1])
    scores = (5, 4)
    assert first.values.tolist() == [scores[d] if first.assigned[d] >= 0 else 0 for d in (0, 1)]
    # the duals of the classes solved still bound the optimum (5: one of them gets mentor 1)
    assert first.mentor_class is not None and first.mentor_class.tolist() == [0, 0]
    p = first.prices
    bound = float(p.sum()) + first.pair_price_total()
    bound += sum(max(0.0, v - p[1]) for v in (5, 4))
    assert bound >= 5
    again = solve_min_cost(arcs)
    assert again.assigned.tolist() in ([1, -1], [-1, 1])
    assert int(again.values.sum()) == 5


def _placeable(
    members: tuple[int, ...], mentee: I64, capacity: I64, banned: dict[int, set[int]]
) -> bool:
    """Whether a member per focus area (-1: not placed) keeps the rules of a class's split."""
    placed = [(d, j) for d, j in enumerate(members) if j >= 0]
    if any(j in banned[d] for d, j in placed):
        return False
    if len({(int(mentee[d]), j) for d, j in placed}) < len(placed):
        return False  # a mentee twice on one member
    taken = np.bincount([j for _, j in placed], minlength=len(capacity))
    return bool((taken <= capacity).all())


@pytest.mark.parametrize("seed", range(40))
def test_the_exact_split_places_as_many_focus_areas_as_any_split_can(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 6)), int(rng.integers(2, 4))
    capacity = rng.integers(0, 3, m).astype(np.int64)
    mentee = rng.integers(0, 3, n).astype(np.int64)  # a mentee may have several focus areas
    banned = {d: {j for j in range(m) if rng.random() < 0.4} for d in range(n)}
    chosen, complete = _split_exact(
        list(range(n)), list(range(m)), np.arange(n, dtype=np.int64), mentee, capacity, banned
    )
    members = tuple(chosen.get(d, -1) for d in range(n))
    assert _placeable(members, mentee, capacity, banned)
    most = max(
        sum(j >= 0 for j in choice)
        for choice in itertools.product(range(-1, m), repeat=n)
        if _placeable(choice, mentee, capacity, banned)
    )
    assert len(chosen) == most
    assert complete == (most == n)


# --- hubs: the classes of mentors alike but for explicit preferences ---------------------


@pytest.mark.parametrize("seed", range(300))
def test_paths_place_what_the_greedy_split_left_whenever_a_split_exists(seed: int) -> None:
    # one focus area per mentee: then a search for augmenting paths is exact (Berge), so the
    # paths place every focus area exactly when the max flow does
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 9)), int(rng.integers(2, 6))
    capacity = rng.integers(1, 3, m).astype(np.int64)
    mentee = np.arange(n, dtype=np.int64)
    banned = {d: {j for j in range(m) if rng.random() < 0.5} for d in range(n)}
    rules = (np.arange(n, dtype=np.int64), mentee, capacity, banned)
    chosen, stuck = _split_greedy(list(range(n)), list(range(m)), *rules)
    complete = _place_by_paths(stuck, chosen, list(range(m)), *rules)
    assert _placeable(tuple(chosen.get(d, -1) for d in range(n)), mentee, capacity, banned)
    _, exact_complete = _split_exact(list(range(n)), list(range(m)), *rules)
    assert complete == exact_complete
    assert complete == (len(chosen) == n)


@pytest.mark.parametrize("seed", range(100))
def test_paths_never_break_a_rule_when_mentees_have_several_focus_areas(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(2, 9)), int(rng.integers(2, 6))
    capacity = rng.integers(1, 3, m).astype(np.int64)
    mentee = rng.integers(0, 3, n).astype(np.int64)
    banned = {d: {j for j in range(m) if rng.random() < 0.3} for d in range(n)}
    rules = (np.arange(n, dtype=np.int64), mentee, capacity, banned)
    chosen, stuck = _split_greedy(list(range(n)), list(range(m)), *rules)
    complete = _place_by_paths(stuck, chosen, list(range(m)), *rules)
    assert _placeable(tuple(chosen.get(d, -1) for d in range(n)), mentee, capacity, banned)
    if complete:
        assert len(chosen) == n


def test_a_stuck_greedy_split_is_finished_by_a_path() -> None:
    # the greedy split gives focus area 0 member 0 (most places left, lowest index); focus
    # area 1 may only have member 0, which is then full: focus area 0 moves on to member 1
    mentee = np.arange(2, dtype=np.int64)
    capacity = np.array([1, 1], np.int64)
    banned = {0: set(), 1: {1}}
    rules = (np.arange(2, dtype=np.int64), mentee, capacity, banned)
    chosen, stuck = _split_greedy([0, 1], [0, 1], *rules)
    assert stuck == [] and chosen == {1: 0, 0: 1}  # the most constrained went first
    chosen, stuck = {0: 0}, [1]
    assert _place_by_paths(stuck, chosen, [0, 1], *rules)
    assert chosen == {0: 1, 1: 0}


@pytest.mark.parametrize("objective", ["total", "coverage"])
@pytest.mark.parametrize("seed", [0, 1])
def test_classes_too_large_for_the_exact_split_are_split_by_paths_and_stay_exact(
    seed: int, objective: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.matching_engine.helpers import flows_by_or_tools
    from tests.matching_engine.synthetic import make_tie_instance
    from tests.matching_engine.test_exact_reference import assert_exact

    # every pair alike, mentees with up to 3 focus areas, each with 6 mentors forbidden: the
    # greedy split of the one class gets stuck, and no class is small enough for the max flow
    # (after OR-Tools' flows: the simplex's flow is split without getting stuck here)
    flows_by_or_tools(monkeypatch)
    monkeypatch.setattr(classes_module, "EXACT_SPLIT_CELLS", 0)
    calls: list[bool] = []

    def spy(*args: Any) -> bool:
        calls.append(_place_by_paths(*args))
        return calls[-1]

    monkeypatch.setattr(classes_module, "_place_by_paths", spy)
    data = make_tie_instance(200, 20, seed=seed, style="all_equal", max_focus=3, capacity=(2, 2))
    rng = random.Random(seed)
    mentors = [m["id"] for m in data["mentors"]]
    data["rules"] = {
        **data.get("rules", {}),
        "forbidden": [
            {"mentee": m["id"], "mentor": j}
            for m in data["mentees"]
            for j in rng.sample(mentors, 6)
        ],
    }
    assert_exact(data, objective)
    assert calls


def test_alike_mentors_with_unequal_places_or_ranked_by_someone_share_a_hub() -> None:
    data = _alike(["E1", "E2"], ["A", "B", "C"], [])
    data["mentors"][1]["capacity"] = 2  # B: more places
    data["mentees"][0]["ranked_mentors"] = ["C"]  # C: scored apart in E1's row
    features = Features(compile_model(Instance.from_dict(data)), None)
    rep = mentor_classes(features, features.model.capacity)
    assert rep.tolist() == [0, 1, 2]  # three classes
    hub = mentor_hubs(features, rep)
    assert hub is not None and hub.tolist() == [0, 0, 0]  # one hub
    assert exception_keys(features).tolist() == [0 * 3 + 2]  # E1's focus area and C


def test_there_are_no_hubs_when_every_hub_is_one_class() -> None:
    data = _alike(["E1", "E2"], ["A", "B", "C"], [("E1", "A")])
    features = Features(compile_model(Instance.from_dict(data)), None)
    assert mentor_hubs(features, mentor_classes(features, features.model.capacity)) is None


def _hub_arcs(seed: int) -> tuple[Arcs, dict[tuple[int, int], int]]:
    """Random arcs into hubs of classes: a row scores every member of a hub alike, except
    the singleton classes a preference scores apart in a few rows. Returns the arcs and the
    value of every eligible (demand, mentor) pair."""
    rng = np.random.default_rng(seed)
    n_d, n_m = int(rng.integers(4, 40)), int(rng.integers(3, 14))
    hub = np.sort(rng.integers(0, 3, n_m))
    hub = np.array([np.flatnonzero(hub == h)[0] for h in hub], np.int64)  # lowest member
    rep = np.arange(n_m, dtype=np.int64)
    capacity = rng.integers(1, 4, n_m).astype(np.int64)
    for j in range(1, n_m):  # some neighbours of one hub and equal places share a class
        if hub[j] == hub[j - 1] and capacity[j] == capacity[j - 1] and rng.random() < 0.5:
            rep[j] = rep[j - 1]
    size = np.bincount(rep, minlength=n_m)
    demand_mentee = np.sort(rng.integers(0, max(1, n_d * 2 // 3), n_d)).astype(np.int64)
    value: dict[tuple[int, int], int] = {}
    exceptions = []
    for d in range(n_d):
        for h in np.unique(hub).tolist():
            if rng.random() < 0.3:
                continue
            base = int(rng.integers(1, 6))
            for j in np.flatnonzero(hub == h).tolist():
                v = base
                if size[rep[j]] == 1 and rng.random() < 0.15:
                    v = int(rng.integers(1, 9))
                    exceptions.append(d * n_m + j)
                value[(d, j)] = v
    removed = []
    for d, j in list(value):
        if rng.random() < 0.05:
            removed.append(d * n_m + j)
            del value[(d, j)]
    listed = [(d, j) for (d, j) in value if rng.random() < 0.6]
    rows = np.array([d for d, _ in listed], np.int64)
    cols = np.array([j for _, j in listed], np.int64)
    arcs = Arcs(
        rows=rows,
        cols=cols,
        values=np.array([value[p] for p in listed], np.int64),
        demand_mentee=demand_mentee,
        capacity=capacity,
        n_demands=n_d,
        mentor_class=rep,
        removed=np.unique(np.array(removed, np.int64)),
        hub=hub,
        exceptions=np.unique(np.array(exceptions, np.int64)),
    )
    return arcs, value


def _feasible_value(arcs: Arcs, assigned: I64, value: dict[tuple[int, int], int]) -> int:
    """The assignment's value, after checking places, one member per mentee and eligibility."""
    on = np.flatnonzero(assigned >= 0)
    pairs = {(int(arcs.demand_mentee[d]), int(assigned[d])) for d in on}
    assert len(pairs) == len(on)  # no mentee has a mentor twice
    assert (np.bincount(assigned[on], minlength=len(arcs.capacity)) <= arcs.capacity).all()
    return sum(value[(int(d), int(assigned[d]))] for d in on)


@pytest.mark.parametrize("seed", range(60))
def test_a_hub_network_gives_an_assignment_as_good_as_the_class_network(seed: int) -> None:
    arcs, value = _hub_arcs(seed)
    by_class = Arcs(**{**vars(arcs), "hub": None, "mentor_class": arcs.mentor_class.copy()})
    best = _feasible_value(by_class, solve_min_cost(by_class).assigned, value)
    solution = solve_min_cost(arcs)
    found = _feasible_value(arcs, solution.assigned, value)
    # the hub network reaches every member of a hub it lists: never worse, and what it
    # reports is what the assignment is worth
    assert found >= best
    assert found == int(solution.values.sum())
    assert solution.prices.shape == (len(arcs.capacity),)


def test_a_hub_whose_flow_cannot_be_split_is_taken_apart_and_solved_again() -> None:
    # mentor 0 with three places and mentor 1 with one are one hub; two mentees each send
    # both focus areas into it: the hub network takes 4 units, members can take 3
    arcs = Arcs(
        rows=np.array([0, 1, 2, 3], np.int64),
        cols=np.array([0, 1, 0, 1], np.int64),
        values=np.array([5, 5, 5, 5], np.int64),
        demand_mentee=np.array([0, 0, 1, 1], np.int64),
        capacity=np.array([3, 1], np.int64),
        n_demands=4,
        mentor_class=np.array([0, 1], np.int64),
        hub=np.array([0, 0], np.int64),
        exceptions=np.zeros(0, np.int64),
    )
    solution = solve_min_cost(arcs)
    value = {(d, j): 5 for d in range(4) for j in range(2)}
    assert _feasible_value(arcs, solution.assigned, value) == 15 == int(solution.values.sum())


def test_a_round_followed_by_another_refines_a_class_of_a_hub_without_solving_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # the class {0, 1} (one place each) and mentor 2 (two places) are one hub; demands 0 and
    # 1 (two mentees) may only have mentor 1 of the class: their arcs stay out of the hub, the
    # class takes both and has no split; demand 2 (a third mentee) goes through the hub
    rep = np.array([0, 0, 2], np.int64)
    arcs = Arcs(
        rows=np.array([0, 1, 2], np.int64),
        cols=np.array([1, 1, 2], np.int64),
        values=np.array([5, 4, 3], np.int64),
        demand_mentee=np.array([0, 1, 2], np.int64),
        capacity=np.array([1, 1, 2], np.int64),
        n_demands=3,
        mentor_class=rep,
        removed=np.array([0 * 3 + 0, 1 * 3 + 0], np.int64),
        hub=np.array([0, 0, 0], np.int64),
        exceptions=np.zeros(0, np.int64),
    )
    with caplog.at_level(logging.DEBUG, logger="mentorbridge.matching_engine.solvers.flow"):
        first = solve_min_cost(arcs, solve_refined=False)
    assert "hubs: solved" in caplog.text  # the hub network gave the flow
    assert rep.tolist() == [0, 1, 2]  # refined for the next solve
    assert first.assigned.tolist()[:2] in ([1, -1], [-1, 1])
    assert first.assigned[2] >= 0
    assert first.mentor_class is not None and first.mentor_class.tolist() == [0, 0, 2]
    again = solve_min_cost(arcs)
    assert again.assigned.tolist()[:2] in ([1, -1], [-1, 1])
    assert int(again.values.sum()) == 5 + 3
