"""The sentence model in plain numpy (no torch): the published all-MiniLM-L6-v2 similarities."""

from __future__ import annotations

import numpy as np
import pytest

from tests.semantic import needs_semantic_model

pytestmark = needs_semantic_model


def test_the_numpy_model_gives_the_published_similarities() -> None:
    """sentence-transformers' own example for all-MiniLM-L6-v2 prints 0.6660, 0.1046, 0.1411."""
    from mentorbridge.matching_engine.semantic import load_embedder

    vectors = load_embedder()(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert similarity[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert similarity[1, 2] == pytest.approx(0.1411, abs=5e-4)


def test_the_fast_gelu_is_the_exact_erf_gelu() -> None:
    from scipy.special import erf

    from mentorbridge.matching_engine.semantic import gelu

    h = np.linspace(-12, 12, 100_001, dtype=np.float32)
    exact = 0.5 * h.astype(np.float64) * (1.0 + erf(h.astype(np.float64) / np.sqrt(2.0)))
    fast = gelu(h.copy())
    assert fast.dtype == np.float32
    np.testing.assert_allclose(fast, exact, atol=1e-6)


def test_padding_and_batch_order_do_not_change_a_vector() -> None:
    from mentorbridge.matching_engine.semantic import load_model

    model = load_model()
    text = "Site reliability engineering for our Kubernetes platform"
    alone = model.encode([text])
    among = model.encode(["Hi", text, "A much longer sentence " * 20], batch_size=3)
    np.testing.assert_allclose(alone[0], among[1], atol=1e-5)
    assert model.encode([]).shape == (0, 384)


def test_meaning_links_a_goal_to_a_profile_in_other_words() -> None:
    from mentorbridge.matching_engine.semantic import load_embedder

    goal, sre, chef = load_embedder()(
        [
            "I want to keep our services up and respond to outages",
            "Site reliability engineer: on-call, incident response, uptime",
            "Pastry chef specialising in sourdough bread",
        ]
    )
    assert goal @ sre > goal @ chef + 0.2
