"""The engine against an exact all-pairs reference (tests/matching_engine/exact_reference.py):
its own hard rules and min-cost flow, only the score kernel shared. Ties are made on purpose,
with today's relevance-first default weights and with others."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine import Instance, solve
from mentorbridge.matching_engine.shortlist import SCALE
from tests.matching_engine import exact_reference as exact
from tests.matching_engine.synthetic import FACTOR_NAMES, make_tie_instance

REPRO = Path(__file__).parent / "instances" / "repro"
SMALL = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _solve(data: dict[str, Any], objective: str) -> tuple[exact.Reference, Any, dict]:
    data = copy.deepcopy(data)
    data["objective"] = objective
    return exact.reference(data), solve(Instance.from_dict(data)), data


def assert_rules_reasons_and_flow_optimum(ref: Any, result: Any, objective: str) -> int:
    """No hard rule broken, every unmatched reason true, and for `total` / `coverage` the
    reference's optimum reached; returns the result's total in score units."""
    assert exact.rule_breaks(ref, result) == []
    assert exact.false_reasons(ref, result) == []
    total = exact.total_units(ref, result)
    if objective == "total":
        assert total == exact.best_flow(ref)[0]
    elif objective == "coverage":
        big = SCALE * (len(ref.demands) + 1)
        best, most = exact.best_flow(ref, bonus=big)
        assert (result.stats["matched"], total) == (most, best - big * most)
    return int(total)


def assert_exact(data: dict[str, Any], objective: str) -> None:
    """Everything the docs' Objectives section guarantees for `objective`, checked."""
    ref, result, data = _solve(data, objective)
    stats = result.stats
    big = SCALE * (len(ref.demands) + 1)  # a bonus per match that outweighs any total
    assert ref.rule_mismatches == 0
    total = assert_rules_reasons_and_flow_optimum(ref, result, objective)
    if objective == "fair":
        most, _ = exact.best_fair(ref)
        threshold = round(stats["fair_threshold"] * SCALE)
        best, matched = exact.best_flow(ref, bonus=big, floor=threshold)
        assert stats["matched"] == most == matched
        assert total == best - big * most  # the best total for its own threshold
    elif objective == "stable":
        assert exact.blocking_pairs(ref, data, result) == (0, 0)
        assert stats["blocking_pairs"] == 0
        # the bound is an upper bound on the best total over every eligible pair
        assert round(stats["bound"] * SCALE) >= exact.best_flow(ref)[0]
    if objective != "stable":  # stable's gap is the price of stability, not a certificate
        assert stats["certified"] is True
        assert stats["gap"] <= 1e-6


@st.composite
def tie_instances(draw: Any) -> dict[str, Any]:
    """Tiny instances full of ties, with capacities 0, 1 and large, forbidden pairs, a pin
    and either today's default weights or one or two factors weighted."""
    data = make_tie_instance(
        n_mentees=draw(st.integers(1, 7)),
        n_mentors=draw(st.integers(1, 6)),
        seed=draw(st.integers(0, 10_000)),
        style=draw(st.sampled_from(["profiles", "one_factor", "all_equal", "star"])),
        profiles=draw(st.integers(1, 3)),
        max_focus=draw(st.integers(1, 3)),
        capacity=draw(st.sampled_from([(1, 1), (0, 2), (2, 3), (5, 9)])),
        k=draw(st.integers(1, 3)),
    )
    weights = draw(st.sampled_from(["keep", "default", "two"]))
    if weights == "default":
        data.pop("weights", None)
    elif weights == "two":
        picked = draw(st.lists(st.sampled_from(FACTOR_NAMES), min_size=1, max_size=2))
        data["weights"] = {name: (1.0 if name in picked else 0.0) for name in FACTOR_NAMES}
    if draw(st.booleans()):  # pin one eligible pair of a mentor with a free place
        allowed, _ = exact.eligible_by_rules(data)
        cells = np.argwhere(allowed).tolist()
        if cells:
            d, j = cells[draw(st.integers(0, len(cells) - 1))]
            areas = [(m["id"], a["id"]) for m in data["mentees"] for a in m["focus_areas"]]
            mentee, area = areas[d]
            rule = {"mentee": mentee, "mentor": data["mentors"][j]["id"], "focus_area": area}
            data["rules"]["pinned"] = [rule]
    return data


@SMALL
@given(tie_instances(), st.sampled_from(["total", "coverage", "fair", "stable"]))
def test_ties_pins_and_zero_capacities_give_what_each_objective_guarantees(
    data: dict[str, Any], objective: str
) -> None:
    assert_exact(data, objective)


@pytest.mark.parametrize("objective", ["total", "coverage", "fair", "stable"])
@pytest.mark.parametrize("name", ["all_ties_800x400", "stable_blocking_min"])
def test_a_reproducer_is_exact_under_todays_default_weights(name: str, objective: str) -> None:
    assert_exact(json.loads((REPRO / f"{name}.json").read_text()), objective)


TIE_KINDS = ["none", "profiles", "one_factor", "star", "alike"]


def generated(kind: str, mentees: int, mentors: int, seed: int, k: int) -> dict[str, Any]:
    from bench.generate_instance import GeneratorConfig, generate_instance, make_ties

    data = generate_instance(GeneratorConfig(mentees, mentors, seed=seed, shortlist_k=k))
    make_ties(data, kind, seed)
    return data


@pytest.mark.parametrize("objective", ["total", "coverage", "fair", "stable"])
@pytest.mark.parametrize("kind", TIE_KINDS)
def test_a_generated_cohort_with_a_short_shortlist_is_exact(kind: str, objective: str) -> None:
    assert_exact(generated(kind, 120, 50, seed=3, k=4), objective)


@pytest.mark.parametrize("kind", TIE_KINDS)
def test_a_larger_generated_cohort_is_exact_for_total_and_stable(kind: str) -> None:
    data = generated(kind, 600, 200, seed=5, k=6)
    assert_exact(data, "total")
    assert_exact(data, "stable")


@SMALL
@given(tie_instances(), st.sampled_from(["total", "coverage", "fair"]), st.data())
def test_a_session_resolve_after_forbid_and_pin_equals_a_fresh_exact_solve(
    data: dict[str, Any], objective: str, draw: st.DataObject
) -> None:
    from mentorbridge.matching_engine import Session

    data["objective"] = objective
    data["rules"]["pinned"] = []
    session = Session(Instance.from_dict(copy.deepcopy(data)))
    first = session.solve()
    if first.assignments:  # an admin removes one proposed pair
        gone = first.assignments[draw.draw(st.integers(0, len(first.assignments) - 1))]
        session.forbid(gone.mentee, gone.mentor)
        data["rules"]["forbidden"].append({"mentee": gone.mentee, "mentor": gone.mentor})
    allowed, _ = exact.eligible_by_rules(data)
    cells = np.argwhere(allowed).tolist()
    if cells:  # and pins another
        d, j = cells[draw.draw(st.integers(0, len(cells) - 1))]
        mentee, area = [(m["id"], a["id"]) for m in data["mentees"] for a in m["focus_areas"]][d]
        mentor = data["mentors"][j]["id"]
        session.pin(mentee, mentor, area)
        data["rules"]["pinned"] = [{"mentee": mentee, "mentor": mentor, "focus_area": area}]
    again = session.solve()
    ref = exact.reference(data)
    assert_rules_reasons_and_flow_optimum(ref, again, objective)
    if objective == "fair":
        assert again.stats["matched"] == exact.best_fair(ref)[0]
    assert again.stats["gap"] <= 1e-6


@pytest.mark.parametrize("objective", ["total", "coverage", "fair", "stable"])
@pytest.mark.parametrize(
    ("style", "capacity"), [("all_equal", (9, 9)), ("profiles", (30, 30)), ("star", (2, 40))]
)
def test_mentees_with_several_focus_areas_never_get_one_class_of_alike_mentors_twice(
    style: str, capacity: tuple[int, int], objective: str
) -> None:
    # few profiles and large capacities: classes of identical mentors with summed capacity
    # must still give each of a mentee's focus areas a different mentor
    data = make_tie_instance(
        250, 20, seed=7, style=style, profiles=2, max_focus=3, capacity=capacity, k=2
    )
    assert_exact(data, objective)


def _brute_force_best_total(ref: exact.Reference) -> int:
    """The best total score (units) by trying every assignment: each focus area one eligible
    mentor or none, mentors within capacity, a mentee never twice with one mentor; pins
    forced."""
    n_d, n_m = ref.scores.shape
    best = 0

    def extend(d: int, total: int, load: list[int], taken: set[tuple[int, int]]) -> None:
        nonlocal best
        if d == n_d:
            best = max(best, total)
            return
        choices = [ref.pinned[d]] if d in ref.pinned else [-1, *range(n_m)]
        for j in choices:
            if j < 0:
                extend(d + 1, total, load, taken)
                continue
            pair = (int(ref.demand_mentee[d]), j)
            if ref.scores[d, j] < 0 or load[j] >= ref.capacity[j] or pair in taken:
                continue
            load[j] += 1
            taken.add(pair)
            extend(d + 1, total + int(ref.scores[d, j]), load, taken)
            load[j] -= 1
            taken.discard(pair)

    extend(0, 0, [0] * n_m, set())
    return best


@st.composite
def tiny_tie_instances(draw: Any) -> dict[str, Any]:
    """Tie instances small enough to try every assignment (at most 6 focus areas, 4 mentors)."""
    return make_tie_instance(
        n_mentees=draw(st.integers(1, 4)),
        n_mentors=draw(st.integers(1, 4)),
        seed=draw(st.integers(0, 10_000)),
        style=draw(st.sampled_from(["profiles", "one_factor", "all_equal", "star"])),
        profiles=draw(st.integers(1, 3)),
        max_focus=draw(st.integers(1, 2)),
        capacity=draw(st.sampled_from([(1, 1), (0, 2), (2, 3)])),
        k=draw(st.integers(1, 3)),
    )


@SMALL
@given(tiny_tie_instances())
def test_a_stable_results_bound_is_at_least_the_best_total_found_by_brute_force(
    data: dict[str, Any],
) -> None:
    ref, result, _ = _solve(data, "stable")
    best = _brute_force_best_total(ref)
    assert round(result.stats["bound"] * SCALE) >= best
    assert result.stats["objective"] <= result.stats["bound"]
    assert best == exact.best_flow(ref)[0]  # the brute force agrees with the exact flow


@pytest.mark.parametrize("objective", ["total", "coverage", "fair", "stable"])
@pytest.mark.parametrize("style", ["all_equal", "one_factor", "profiles", "star"])
def test_ties_that_flood_the_column_floors_still_give_the_exact_optimum(
    style: str, objective: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a small mentor-side depth, so that ties at the floors fill their room (as every pair
    # scoring alike does at 20,000 x 6,000) and are left to the certificate
    from mentorbridge.matching_engine import shortlist as shortlist_module

    monkeypatch.setattr(shortlist_module, "MENTOR_RESERVE", 4)
    data = make_tie_instance(
        400, 15, seed=5, style=style, profiles=2, max_focus=2, capacity=(1, 4), k=2
    )
    assert_exact(data, objective)
