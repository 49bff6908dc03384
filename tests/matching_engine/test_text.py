"""Text similarity: own TF-IDF by default, sentence embeddings when the extra is installed."""

from __future__ import annotations

import numpy as np

from mentorbridge.matching_engine.text import EmbeddingIndex, TfidfIndex, tokenize
from tests.semantic import needs_semantic_model


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


@needs_semantic_model
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


def _letter_counts(texts: list[str]) -> np.ndarray:
    """A toy embedder: letter histograms (deterministic, no model needed)."""
    out = np.zeros((len(texts), 26), np.float32)
    for k, text in enumerate(texts):
        for ch in text.lower():
            if "a" <= ch <= "z":
                out[k, ord(ch) - 97] += 1
    return out


def test_a_pluggable_embedder_and_precomputed_vectors_give_the_same_result() -> None:
    from mentorbridge.matching_engine import Instance, solve
    from mentorbridge.matching_engine.model import compile_model
    from tests.matching_engine.synthetic import make_instance

    data = make_instance(12, 5, seed=8)
    plugged = solve(Instance.from_dict(data), embedder=_letter_counts)
    model = compile_model(Instance.from_dict(data))
    people = {p["id"]: p for p in data["people"]}
    goals = {
        f"{m['id']}/{a['id']}": a["text"] or " ".join(a["skills"])
        for m in data["mentees"]
        for a in m["focus_areas"]
    }
    vectors = {key: _letter_counts([text])[0].tolist() for key, text in goals.items()}
    for mentor in model.mentor_ids:
        vectors[mentor] = _letter_counts([people[mentor]["text"]])[0].tolist()
    cached = solve(Instance.from_dict({**data, "embeddings": vectors}))
    assert plugged.pairs() == cached.pairs()
    # Meaning is blended with words (hybrid), so the shared words still explain the factor.
    text_factor = next(f for f in plugged.assignments[0].factors if f["factor"] == "text")
    assert text_factor["text"].startswith(("goal and mentor profile share", "text similarity"))


def test_the_documented_token_pattern_is_the_one_the_code_uses() -> None:
    from pathlib import Path

    from mentorbridge.matching_engine.text import TOKEN

    docs = (Path(__file__).parents[2] / "docs" / "matching_engine.md").read_text()
    assert f"tokens `{TOKEN.pattern}`" in docs
