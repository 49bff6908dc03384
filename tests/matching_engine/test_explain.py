"""Explanations and regression instances kept as JSON files in instances/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mentorbridge.matching_engine import Instance, Session

INSTANCES = sorted((Path(__file__).parent / "instances").glob("*.json"))


@pytest.mark.parametrize("path", INSTANCES, ids=[p.stem for p in INSTANCES])
def test_regression_instance_gives_the_expected_result(path: Path) -> None:
    data = json.loads(path.read_text())
    expected = data["expected"]
    session = Session(Instance.from_dict(data))
    result = session.solve()
    pairs = sorted(result.pairs())
    if "assignments" in expected:
        assert pairs == sorted(tuple(a) for a in expected["assignments"])
    if "assignments_count" in expected:
        assert len(pairs) == expected["assignments_count"]
    if expected.get("distinct_mentors"):
        assert len({m for _, _, m in pairs}) == len(pairs)
    for mentee, area, reason in expected.get("unmatched", []):
        found = [u for u in result.unmatched if (u["mentee"], u["focus_area"]) == (mentee, area)]
        assert found and found[0]["reason"] == reason
    for mentee, mentor, rule in expected.get("why_not", []):
        answer = session.why_not(mentee, mentor)["answers"][0]
        assert answer["verdict"] == "removed_by_hard_rule"
        assert rule in [r["rule"] for r in answer["rules"]]
    if "factor_text" in expected:
        name, text = expected["factor_text"]
        factors = {f["factor"]: f for f in result.assignments[0].factors}
        assert factors[name]["text"] == text
    if "mentor_groups" in expected:
        assert result.mentor_groups == expected["mentor_groups"]
    assert result.stats["bound"] >= result.stats["objective"] - 1e-9


def test_factor_breakdown_adds_up_to_the_score() -> None:
    data = json.loads((Path(__file__).parent / "instances" / "shared_language.json").read_text())
    assignment = Session(Instance.from_dict(data)).solve().assignments[0]
    total = sum(f["contribution"] for f in assignment.factors)
    assert abs(total - assignment.score) < 1e-3
    assert {"factor", "value", "weight", "contribution", "text"} <= set(assignment.factors[0])


def test_why_not_compares_with_the_chosen_mentor() -> None:
    data = json.loads((Path(__file__).parent / "instances" / "shared_language.json").read_text())
    answer = Session(Instance.from_dict(data)).why_not("M1", "A")["answers"][0]
    assert answer["verdict"] == "lower_objective"
    assert answer["chosen_mentor"] == "B"
    assert answer["score_difference"] > 0
    assert "below the chosen mentor B" in answer["text"]


def test_unmatched_focus_area_when_all_mentors_are_full_says_so() -> None:
    data = json.loads((Path(__file__).parent / "instances" / "unmatched_reasons.json").read_text())
    data["mentors"][1]["capacity"] = 0
    data["mentees"].append({"id": "P3", "focus_areas": [{"id": "f", "skills": []}]})
    result = Session(Instance.from_dict(data)).solve()
    reasons = {(u["mentee"], u["reason"]) for u in result.unmatched}
    assert ("P1", "no_eligible_mentor") in reasons
    assert any(reason == "all_eligible_mentors_full" for _, reason in reasons)
