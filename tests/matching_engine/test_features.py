"""Factors: each in [0, 1], with the meaning the docs promise."""

from __future__ import annotations

import numpy as np

from mentorbridge.matching_engine import Instance
from mentorbridge.matching_engine import features as features_module
from mentorbridge.matching_engine.features import (
    Features,
    seniority_table,
    utc_offset_hours,
    working_hours_overlap,
)
from mentorbridge.matching_engine.instance import FACTORS
from mentorbridge.matching_engine.model import compile_model
from mentorbridge.matching_engine.shortlist import ColumnView, by_categories, scored_rows
from tests.matching_engine.synthetic import make_instance


def test_working_hours_overlap_across_timezones() -> None:
    berlin = utc_offset_hours("Europe/Berlin", "2025-01-15")
    new_york = utc_offset_hours("America/New_York", "2025-01-15")
    kolkata = utc_offset_hours("Asia/Kolkata", "2025-01-15")
    assert (berlin, new_york, kolkata) == (1.0, -5.0, 5.5)
    overlap = working_hours_overlap(
        np.array([berlin, berlin, berlin], np.float32), np.array([berlin, new_york, kolkata])
    )
    assert overlap.tolist() == [1.0, 0.25, 0.4375]


def test_seniority_fit_depends_on_the_program_kind() -> None:
    mentee, mentor = np.array([5.0], np.float32), np.array([3.0, 5.0, 7.0], np.float32)
    assert seniority_table("traditional", mentee, mentor).tolist() == [[0.0, 0.0, 1.0]]
    assert seniority_table("reverse", mentee, mentor).tolist()[0][0] == 1.0
    peer = seniority_table("peer", mentee, mentor).tolist()[0]
    assert peer[1] == 1.0 and peer[0] < 1.0


def test_every_factor_is_between_zero_and_one() -> None:
    for kind in ("traditional", "reverse", "peer", "group"):
        model = compile_model(Instance.from_dict(make_instance(40, 15, seed=9, kind=kind)))
        features = Features(model)
        rows = np.repeat(np.arange(model.n_demands), model.n_mentors)
        cols = np.tile(np.arange(model.n_mentors), model.n_demands)
        values = features.factor_pairs(rows, cols)
        assert list(values) == list(FACTORS)
        for name, v in values.items():
            assert v.min() >= 0 and v.max() <= 1 + 1e-6, name


def test_weighted_factors_add_up_to_the_block_score() -> None:
    model = compile_model(Instance.from_dict(make_instance(20, 10, seed=3, kind="reverse")))
    features = Features(model)
    block = features.score_block(np.arange(model.n_demands, dtype=np.int64))
    rows = np.repeat(np.arange(model.n_demands), model.n_mentors)
    cols = np.tile(np.arange(model.n_mentors), model.n_demands)
    values = features.factor_pairs(rows, cols)
    total = sum(features.contributions(rows, values).values())
    assert np.allclose(total.reshape(block.shape), block, atol=1e-5)


def _goal_instance() -> dict:
    people = [
        {"id": "M", "skills": {}, "level": 1},
        {"id": "A", "skills": {"rare": 5}, "level": 3},
        {"id": "B", "skills": {"common": 5}, "level": 3},
        {"id": "C", "skills": {"common": 5}, "level": 3},
        {"id": "D", "skills": {"common": 5}, "level": 3},
    ]
    return {
        "people": people,
        "mentees": [{"id": "M", "focus_areas": [{"id": "f", "skills": ["rare", "common"]}]}],
        "mentors": [{"id": p, "capacity": 1} for p in "ABCD"],
    }


def test_rarer_skills_weigh_more_in_goal_fit() -> None:
    model = compile_model(Instance.from_dict(_goal_instance()))
    values = Features(model).factor_pairs(np.zeros(4, np.int64), np.arange(4))["goal_fit"]
    rare, common = values[0], values[1]
    assert rare > common > 0
    assert abs(rare + common - 1.0) < 1e-6


def _scores_with_dense_terms(instance: dict, share: int, rows: np.ndarray) -> np.ndarray:
    features = Features(compile_model(Instance.from_dict(instance)))
    original = features_module.DENSE_TERM_SHARE
    features_module.DENSE_TERM_SHARE = share
    try:
        tables = features.kernel_tables()
    finally:
        features_module.DENSE_TERM_SHARE = original
    held = int((tables.parts.t_dense_pos >= 0).sum())
    assert (held > 0) == (share > 0)
    return features.score_block(rows)


def test_terms_added_as_dense_rows_give_the_posting_lists_floats_exactly() -> None:
    for kind in ("traditional", "reverse"):
        instance = make_instance(60, 30, seed=4, kind=kind)
        rows = np.arange(compile_model(Instance.from_dict(instance)).n_demands, dtype=np.int64)
        sparse = _scores_with_dense_terms(instance, 0, rows)  # no term dense
        dense = _scores_with_dense_terms(instance, 10**6, rows)  # every term dense
        assert sparse.tobytes() == dense.tobytes()


def test_a_subset_of_mentors_scores_as_the_whole_with_dense_terms() -> None:
    features = Features(compile_model(Instance.from_dict(make_instance(50, 40, seed=6))))
    assert (features.kernel_tables().parts.t_dense_pos >= 0).any()
    rows = np.arange(features.model.n_demands, dtype=np.int64)
    cols = np.arange(0, features.model.n_mentors, 3, dtype=np.int64)
    whole = scored_rows(features, rows)[:, cols]
    assert ColumnView(features, cols).score(rows).tobytes() == whole.tobytes()


def test_class_sums_are_the_same_floats_in_any_order_of_demands() -> None:
    features = Features(compile_model(Instance.from_dict(make_instance(80, 30, seed=8))))
    n = features.model.n_demands
    in_order = features.score_block(np.arange(n, dtype=np.int64))
    shuffled = np.random.default_rng(1).permutation(n).astype(np.int64)
    by_category = by_categories(features)
    assert features.score_block(shuffled).tobytes() == in_order[shuffled].tobytes()
    assert features.score_block(by_category).tobytes() == in_order[by_category].tobytes()
