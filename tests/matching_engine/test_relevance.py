"""Relevance first: how goal fit and text combine with the practical factors (the gate).

Property tests over random small programs: raising a mentor's level in a wanted skill never
lowers their rank; a mentor with no relevance to the goal never outranks one with clear
relevance, whatever the practical factors (timezone, language, level, department, location,
hours) of either.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mentorbridge.matching_engine import Instance
from mentorbridge.matching_engine.features import PRACTICAL
from mentorbridge.matching_engine.instance import DEFAULT_WEIGHTS
from mentorbridge.matching_engine.suggest import Suggester

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WANTED = ("kubernetes", "python", "observability")
OTHER_SKILLS = ("accounting", "tax", "negotiation")
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC")
LANGUAGES = ("en", "de", "ja")
DEPARTMENTS = ("Engineering", "Finance", "Sales")
TEXTS = (
    "Runs Kubernetes clusters and on-call",
    "Python services and observability dashboards",
    "Month-end close, audits and tax",
    "Negotiating enterprise contracts",
    "",
)

mentor_strategy = st.fixed_dictionaries(
    {
        "level": st.integers(1, 8),
        "timezone": st.sampled_from(ZONES),
        "languages": st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True),
        "department": st.sampled_from(DEPARTMENTS),
        "location": st.sampled_from(("Berlin", "Tokyo")),
        "hours_per_month": st.sampled_from((0.0, 2.0, 8.0)),
        "skills": st.dictionaries(
            st.sampled_from(WANTED + OTHER_SKILLS), st.integers(1, 5), max_size=4
        ),
        "text": st.sampled_from(TEXTS),
    }
)


def _instance(mentors: list[dict[str, Any]], gate: float | None = None) -> Instance:
    mentee = {
        "id": "ME", "level": 1, "timezone": "Europe/Berlin", "languages": ["en"],
        "department": "Engineering", "location": "Berlin",
    }  # fmt: skip
    people = [mentee] + [{"id": f"M{k}", **m} for k, m in enumerate(mentors)]
    return Instance.from_dict(
        {
            "people": people,
            "mentees": [
                {
                    "id": "ME",
                    "focus_areas": [
                        {
                            "id": "f",
                            "skills": list(WANTED[:2]),
                            "text": "Operate Python services on Kubernetes",
                        }
                    ],
                }
            ],
            "mentors": [{"id": f"M{k}", "capacity": 1} for k in range(len(mentors))],
            "options": {} if gate is None else {"relevance_gate": gate},
        }
    )


def _order(instance: Instance) -> list[dict[str, Any]]:
    return Suggester(instance).rank("ME", "f", limit=None)


@SETTINGS
@given(st.lists(mentor_strategy, min_size=2, max_size=6), st.data())
def test_raising_a_mentors_level_in_a_wanted_skill_never_lowers_their_rank(
    mentors: list[dict[str, Any]], data: st.DataObject
) -> None:
    holders = [
        (k, s)
        for k, m in enumerate(mentors)
        for s in WANTED[:2]
        if m["skills"].get(s, 0) in (1, 2, 3, 4)
    ]
    if not holders:
        mentors[0]["skills"] = {**mentors[0]["skills"], "kubernetes": 1}
        holders = [(0, "kubernetes")]
    k, skill = data.draw(st.sampled_from(holders))
    before = [r["mentor"] for r in _order(_instance(mentors))].index(f"M{k}")
    raised = [dict(m, skills=dict(m["skills"])) for m in mentors]
    raised[k]["skills"][skill] = data.draw(st.integers(mentors[k]["skills"][skill] + 1, 5))
    after = [r["mentor"] for r in _order(_instance(raised))].index(f"M{k}")
    assert after <= before


@SETTINGS
@given(
    st.lists(mentor_strategy, min_size=1, max_size=5),
    mentor_strategy,
    st.sampled_from((None, 0.5, 0.75, 0.9, 1.0)),
)
def test_a_mentor_with_no_relevance_never_outranks_one_with_clear_relevance(
    mentors: list[dict[str, Any]], unrelated: dict[str, Any], gate: float | None
) -> None:
    # the unrelated mentor: no wanted skill, no word of the goal, and every practical
    # advantage (the mentee's timezone, language, department and office, a few levels above,
    # plenty of hours), so only the gate keeps them below a weakly relevant mentor
    unrelated = dict(
        unrelated, skills={"accounting": 5}, text="Month-end close and audits", level=3,
        timezone="Europe/Berlin", languages=["en"], department="Engineering",
        location="Berlin", hours_per_month=8.0,
    )  # fmt: skip
    # ...and one barely relevant mentor with every practical disadvantage
    weak = dict(
        level=1, timezone="Asia/Tokyo", languages=["ja"], department="Sales",
        location="Tokyo", hours_per_month=0.0, skills={"python": 1}, text="",
    )  # fmt: skip
    instance = _instance([unrelated, weak, *mentors], gate)
    ranked = _order(instance)
    g = instance.options.relevance_gate
    w = instance.weights
    clear = (1 - g) * sum(w[name] for name in PRACTICAL)
    position = [r["mentor"] for r in ranked].index("M0")
    compared = 0
    weak_relevance = 0.0
    for k, item in enumerate(ranked):
        factors = {f["factor"]: f["value"] for f in item["factors"]}
        relevance = w["goal_fit"] * factors["goal_fit"] + w["text"] * factors["text"]
        if item["mentor"] == "M1":
            weak_relevance = relevance
        if item["mentor"] != "M0" and relevance > clear + 1e-4:
            assert k < position, (item, ranked[position])
            compared += 1
    # the weak mentor is clearly relevant unless the other mentors hold python so often that
    # its weight (IDF) puts it below the gate's line (found 2026-12-05: two more mentors holding
    # the wanted skills, gate 0.5): then the example compares nothing and says nothing
    assume(weak_relevance > clear + 1e-4)
    assert compared >= 1  # the weak mentor at least


@SETTINGS
@given(mentor_strategy, st.sampled_from((None, 0.5, 1.0)))
def test_with_everything_else_equal_relevance_zero_ranks_below_any_relevance(
    practical: dict[str, Any], gate: float | None
) -> None:
    relevant = dict(practical, skills={"observability": 2}, text="Python services")
    unrelated = dict(practical, skills={"tax": 2}, text="Month-end close")
    ranked = [r["mentor"] for r in _order(_instance([unrelated, relevant], gate))]
    assert ranked == ["M1", "M0"]


def test_without_the_gate_the_practical_factors_count_in_full() -> None:
    mentors = [
        {"level": 3, "timezone": "Europe/Berlin", "languages": ["en"], "skills": {"tax": 5}},
        {"level": 1, "timezone": "Asia/Tokyo", "languages": ["ja"], "skills": {"python": 1}},
    ]
    off = [r["mentor"] for r in _order(_instance(mentors, 0.0))]
    on = [r["mentor"] for r in _order(_instance(mentors, 1.0))]
    assert off == ["M0", "M1"] and on == ["M1", "M0"]


def test_the_default_gate_and_weights_are_the_documented_ones() -> None:
    instance = _instance([{"level": 3}])
    assert 0 < instance.options.relevance_gate <= 1
    assert set(instance.weights) == set(DEFAULT_WEIGHTS)
