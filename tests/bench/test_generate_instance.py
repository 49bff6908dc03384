"""Fast checks of the benchmark instance generator (small sizes only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.generate_instance import FORMAT, GeneratorConfig, generate_instance, main


@pytest.fixture(scope="module")
def instance() -> dict[str, Any]:
    return generate_instance(GeneratorConfig(mentees=300, mentors=200, seed=7))


def test_it_is_deterministic_for_a_seed() -> None:
    config = GeneratorConfig(mentees=80, mentors=40, seed=3)
    assert json.dumps(generate_instance(config)) == json.dumps(generate_instance(config))


def test_another_seed_gives_another_instance() -> None:
    first = generate_instance(GeneratorConfig(mentees=80, mentors=40, seed=3))
    second = generate_instance(GeneratorConfig(mentees=80, mentors=40, seed=4))
    assert json.dumps(first) != json.dumps(second)


def test_it_has_the_requested_head_counts(instance: dict[str, Any]) -> None:
    assert instance["format"] == FORMAT
    assert len(instance["mentees"]) == 300
    assert len(instance["mentors"]) == 200


def test_ids_are_unique(instance: dict[str, Any]) -> None:
    people = [p["id"] for p in instance["people"]]
    assert len(people) == len(set(people))
    mentees = [m["id"] for m in instance["mentees"]]
    mentors = [m["id"] for m in instance["mentors"]]
    assert len(mentees) == len(set(mentees))
    assert len(mentors) == len(set(mentors))
    assert set(mentees) <= set(people)
    assert set(mentors) <= set(people)
    for mentee in instance["mentees"]:
        focus_ids = [fa["id"] for fa in mentee["focus_areas"]]
        assert len(focus_ids) == len(set(focus_ids))


def test_managers_exist_and_form_a_tree(instance: dict[str, Any]) -> None:
    by_id = {p["id"]: p for p in instance["people"]}
    roots = [p["id"] for p in instance["people"] if p["manager"] is None]
    assert len(roots) == 1
    for person in instance["people"]:
        seen = {person["id"]}
        current = person
        while current["manager"] is not None:
            assert current["manager"] in by_id
            manager = by_id[current["manager"]]
            # Seniority rises up the chain; only the top level reports to a peer, the root.
            assert manager["level"] > current["level"] or manager["manager"] is None
            assert manager["id"] not in seen  # no cycle
            seen.add(manager["id"])
            current = manager
        assert current["id"] == roots[0]


def test_capacities_are_positive_and_bounded(instance: dict[str, Any]) -> None:
    capacities = [m["capacity"] for m in instance["mentors"]]
    assert all(1 <= c <= 3 for c in capacities)
    demand = sum(len(m["focus_areas"]) for m in instance["mentees"])
    assert sum(capacities) >= demand  # about 1.2x when the head count allows it


def test_profiles_look_like_people(instance: dict[str, Any]) -> None:
    for person in instance["people"]:
        assert 1 <= person["level"] <= 8
        assert person["languages"]
        assert "/" in person["timezone"]
        assert 3 <= len(person["skills"]) <= 10
        assert all(1 <= v <= 5 for v in person["skills"].values())
        assert person["text"]
    for mentee in instance["mentees"]:
        assert 1 <= len(mentee["focus_areas"]) <= 2
        assert all(1 <= len(fa["skills"]) <= 3 for fa in mentee["focus_areas"])


def test_rules_name_real_participants(instance: dict[str, Any]) -> None:
    mentees = {m["id"] for m in instance["mentees"]}
    mentors = {m["id"] for m in instance["mentors"]}
    for kind in ("forbidden", "ended_early"):
        for pair in instance["rules"][kind]:
            assert pair["mentee"] in mentees
            assert pair["mentor"] in mentors
    for mentee in instance["mentees"]:
        assert set(mentee["ranked_mentors"]) <= mentors


def test_the_command_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "instance.json"
    assert main(["--mentees", "30", "--mentors", "20", "--seed", "2", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == FORMAT


def test_tie_heavy_profiles_give_mentors_few_distinct_profiles() -> None:
    from bench.generate_instance import (
        PROFILE_FIELDS,
        GeneratorConfig,
        generate_instance,
        make_ties,
    )

    instance = generate_instance(GeneratorConfig(mentees=300, mentors=120, seed=2))
    make_ties(instance, "profiles", seed=2, profiles=5)
    people = {p["id"]: p for p in instance["people"]}
    profiles = {repr([people[m["id"]][f] for f in PROFILE_FIELDS]) for m in instance["mentors"]}
    assert len(profiles) <= 5


def test_one_factor_ties_weight_only_seniority() -> None:
    from bench.generate_instance import GeneratorConfig, generate_instance, make_ties

    instance = generate_instance(GeneratorConfig(mentees=50, mentors=20, seed=3))
    make_ties(instance, "one_factor", seed=3)
    assert instance["weights"] == {"seniority": 1.0}


def test_alike_ties_give_mentors_near_copies_of_few_profiles_that_are_rarely_identical() -> None:
    from bench.generate_instance import (
        PROFILE_FIELDS,
        GeneratorConfig,
        generate_instance,
        make_ties,
    )

    instance = generate_instance(GeneratorConfig(mentees=300, mentors=120, seed=2))
    make_ties(instance, "alike", seed=2, profiles=5)
    people = {p["id"]: p for p in instance["people"]}
    mentors = [people[m["id"]] for m in instance["mentors"]]
    bios = {p["text"] for p in mentors}
    skill_sets = {tuple(sorted(p["skills"])) for p in mentors}
    assert len(bios) <= 5 and len(skill_sets) <= 5  # copies of five profiles
    profiles = {repr([p[f] for f in PROFILE_FIELDS]) for p in mentors}
    assert len(profiles) > len(mentors) // 2  # but nudged: most differ from every other
    assert all(1 <= p["level"] <= 8 for p in mentors)
    assert all(1 <= v <= 5 for p in mentors for v in p["skills"].values())


def test_all_equal_ties_score_every_eligible_pair_the_same() -> None:
    from bench.generate_instance import GeneratorConfig, generate_instance, make_ties
    from mentorbridge.matching_engine import Instance
    from mentorbridge.matching_engine.features import Features
    from mentorbridge.matching_engine.model import compile_model
    from mentorbridge.matching_engine.shortlist import scored_rows

    instance = generate_instance(GeneratorConfig(mentees=60, mentors=30, seed=3))
    make_ties(instance, "all_equal", seed=3)
    features = Features(compile_model(Instance.from_dict(instance)))
    values = scored_rows(features, np.arange(features.model.n_demands, dtype=np.int64))
    assert len(set(values[values >= 0].tolist())) == 1


@pytest.mark.parametrize("factor", ["availability", "goal_fit", "preference"])
def test_only_one_factor_ties_weight_that_factor_and_no_other(factor: str) -> None:
    from bench.generate_instance import FACTORS, GeneratorConfig, generate_instance, make_ties

    instance = generate_instance(GeneratorConfig(mentees=40, mentors=20, seed=3))
    make_ties(instance, f"only_{factor}", seed=3)
    assert instance["weights"] == {f: float(f == factor) for f in FACTORS}
