"""The hybrid text factor: meaning and words blended, words alone where a vector is missing."""

from __future__ import annotations

import numpy as np
import pytest

from mentorbridge.matching_engine import Instance, InstanceError
from mentorbridge.matching_engine.hybrid import MEANING_SHARE, HybridIndex, TextVectors
from mentorbridge.matching_engine.suggest import Suggester
from mentorbridge.matching_engine.text import EmbeddingIndex, TfidfIndex
from tests.matching_engine.synthetic import make_instance

GOALS = ["run kubernetes clusters", "write better sql"]
PROFILES = ["kubernetes platform lead", "sql and data warehousing", "pastry chef"]


def _index(goal_known: list[bool], mentor_known: list[bool]) -> tuple[HybridIndex, TfidfIndex]:
    words = TfidfIndex(GOALS, PROFILES)
    goals = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    mentors = np.array([[0.0, 1.0], [1.0, 0.0], [0.6, 0.8]], np.float32)
    meaning = EmbeddingIndex(goals, mentors)
    return HybridIndex(words, meaning, np.array(goal_known), np.array(mentor_known)), words


def test_the_text_score_is_the_documented_blend_of_meaning_and_words() -> None:
    hybrid, words = _index([True, True], [True, True, True])
    rows = np.array([0, 0, 0, 1, 1, 1])
    cols = np.array([0, 1, 2, 0, 1, 2])
    meaning = np.array([0.0, 1.0, 0.6, 1.0, 0.0, 0.8], np.float32)
    expected = MEANING_SHARE * meaning + (1 - MEANING_SHARE) * words.pairs(rows, cols)
    np.testing.assert_allclose(hybrid.pairs(rows, cols), expected, atol=1e-6)
    np.testing.assert_allclose(hybrid.block(np.array([0, 1])).ravel(), expected, atol=1e-6)


def test_a_profile_with_the_goals_words_outranks_one_only_close_in_meaning_by_default() -> None:
    # the first profile has the goal's words and an unrelated meaning, the second none of
    # its words and a cosine of 0.4 (what the sentence model gives many a right pair): with
    # the default share (0.3, chosen on train + dev once the concept lexicon named the work
    # in everyday words) the words win; at the share before (0.6) the meaning did
    words = TfidfIndex(["run kubernetes clusters"], ["run kubernetes clusters", "pastry chef"])
    meaning = EmbeddingIndex(
        np.array([[1.0, 0.0]], np.float32),
        np.array([[0.0, 1.0], [0.4, np.sqrt(1 - 0.16)]], np.float32),
    )
    known = np.array([True, True])
    by_words, by_meaning = HybridIndex(words, meaning, known[:1], known).block(np.array([0]))[0]
    assert by_words > by_meaning > 0.0
    before = HybridIndex(words, meaning, known[:1], known, meaning_share=0.6)
    old_words, old_meaning = before.block(np.array([0]))[0]
    assert old_words < old_meaning


def test_a_goal_or_mentor_without_a_vector_is_scored_on_words_alone() -> None:
    hybrid, words = _index([True, False], [True, True, False])
    block = hybrid.block(np.array([0, 1]))
    np.testing.assert_allclose(block[1], words.block(np.array([1]))[0], atol=1e-6)
    np.testing.assert_allclose(block[0, 2], words.block(np.array([0]))[0, 2], atol=1e-6)
    assert block[0, 1] != pytest.approx(words.block(np.array([0]))[0, 1])


def test_vectors_are_matched_to_rows_by_key_in_any_order() -> None:
    vectors = TextVectors(["b", "a"], np.eye(2, dtype=np.float32), ["m"], np.ones((1, 2)))
    aligned = vectors.aligned(["a", "missing", "b"], ["m", "n"])
    assert aligned is not None
    goals, goal_known, _, mentor_known = aligned
    np.testing.assert_array_equal(goals, [[0, 1], [0, 0], [1, 0]])
    assert goal_known.tolist() == [True, False, True]
    assert mentor_known.tolist() == [True, False]
    assert TextVectors().aligned(["a"], ["m"]) is None


def _vectors_for(data: dict, close_to: str) -> TextVectors:
    """Vectors that make one mentor mean the same as every goal, the rest unrelated."""
    goal_keys = [f"{m['id']}/{a['id']}" for m in data["mentees"] for a in m["focus_areas"]]
    mentor_keys = [m["id"] for m in data["mentors"]]
    mentors = np.tile(np.array([[0.0, 1.0]], np.float32), (len(mentor_keys), 1))
    mentors[mentor_keys.index(close_to)] = [1.0, 0.0]
    goals = np.tile(np.array([[1.0, 0.0]], np.float32), (len(goal_keys), 1))
    return TextVectors(goal_keys, goals, mentor_keys, mentors)


def test_the_suggester_uses_stored_vectors_and_lifts_the_mentor_with_the_same_meaning() -> None:
    data = make_instance(6, 8, seed=3)
    instance = Instance.from_dict(data)
    mentee = data["mentees"][0]
    area = mentee["focus_areas"][0]["id"]
    plain = Suggester(instance).rank(mentee["id"], area, limit=None)
    last = plain[-1]["mentor"]
    ranked = Suggester(instance, vectors=_vectors_for(data, last)).rank(
        mentee["id"], area, limit=None
    )
    position = [r["mentor"] for r in ranked].index(last)
    assert position < len(plain) - 1
    text = {r["mentor"]: r["factors"] for r in ranked}[last]
    assert next(f for f in text if f["factor"] == "text")["value"] >= MEANING_SHARE - 1e-6


def test_asking_for_embeddings_without_any_vectors_is_an_error_naming_the_option() -> None:
    data = make_instance(3, 3, seed=1)
    data["options"] = {**data.get("options", {}), "text_embeddings": True}
    with pytest.raises(InstanceError, match=r"options\.text_embeddings"):
        from mentorbridge.matching_engine import solve

        solve(Instance.from_dict(data))
