"""Mentor classes ignore hard rules; the split into members respects them, and a class that
cannot take its flow is refined until the result is exact."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from mentorbridge.matching_engine import Instance, solve
from mentorbridge.matching_engine.classes import (
    _split_exact,
    mentor_classes,
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
