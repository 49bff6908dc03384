"""Hybrid text similarity: meaning (sentence vectors) and words (the text index) blended.

    text(goal, mentor) = MEANING_SHARE * meaning + (1 - MEANING_SHARE) * words   (0.3, 0.7)

where *meaning* is the cosine similarity of the two sentence vectors (clipped to [0, 1]) and
*words* is the word index's similarity (``TfidfIndex``). A goal or mentor whose vector is not
known yet (computed in the background after an edit) is scored on words alone, so a missing
vector never makes a pair look worse than the words say.

Vectors come in as :class:`TextVectors`: one float32 matrix per side with the keys of its
rows (focus areas as ``"<mentee id>/<focus area id>"``, mentors by person id), so an app can
pass vectors read from its database without going through JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from mentorbridge.matching_engine.text import EmbeddingIndex

F32 = NDArray[np.float32]
I64 = NDArray[np.int64]

#: Share of meaning in the hybrid text score (the rest is words), chosen by
#: `bench/retrieval.py --tune` on the train and dev goals with the relevance-first default
#: weights: 0.3 after the concept lexicon grew and k1 / the concept weight became 3.0 / 2.0
#: on 2026-12-04 evening (249 top-1 + top-5 hits of 260; 0.6, the share before, 242; the
#: train goals alone, which the lexicon was not grown from, also prefer 0.3 by four hits).
MEANING_SHARE = 0.3


class WordIndex(Protocol):
    """What the hybrid needs of a word index (``TfidfIndex`` or a successor)."""

    def block(self, rows: I64) -> F32: ...

    def pairs(self, rows: I64, cols: I64) -> F32: ...

    def shared_terms(self, row: int, col: int, limit: int = 4) -> list[str]: ...

    def shared_terms_many(self, rows: I64, cols: I64, limit: int = 4) -> list[list[str]]: ...


@dataclass(frozen=True)
class TextVectors:
    """Sentence vectors by key: ``goals`` for focus areas, ``mentors`` for mentor profiles.

    Each side is ``(keys, matrix)``: row k of the float32 matrix is the vector of keys[k].
    """

    goal_keys: Sequence[str] = ()
    goal_matrix: F32 = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    mentor_keys: Sequence[str] = ()
    mentor_matrix: F32 = field(default_factory=lambda: np.zeros((0, 0), np.float32))

    @classmethod
    def from_mappings(
        cls, goals: Mapping[str, Sequence[float]], mentors: Mapping[str, Sequence[float]]
    ) -> TextVectors:
        """Vectors from two ``key -> vector`` mappings (e.g. an instance's ``embeddings``)."""

        def side(values: Mapping[str, Sequence[float]]) -> tuple[list[str], F32]:
            keys = list(values)
            matrix = np.array([values[k] for k in keys], np.float32) if keys else None
            return keys, matrix if matrix is not None else np.zeros((0, 0), np.float32)

        goal_keys, goal_matrix = side(goals)
        mentor_keys, mentor_matrix = side(mentors)
        return cls(goal_keys, goal_matrix, mentor_keys, mentor_matrix)

    def aligned(
        self, goal_keys: Sequence[str], mentor_keys: Sequence[str]
    ) -> tuple[F32, NDArray[np.bool_], F32, NDArray[np.bool_]] | None:
        """Vectors in the given orders with masks of the keys that have one (None if no
        vector at all is known, or the two sides disagree in dimension)."""
        dims = {m.shape[1] for m in (self.goal_matrix, self.mentor_matrix) if m.size}
        if len(dims) != 1:
            return None
        (dim,) = dims
        goals, goal_known = _rows(self.goal_keys, self.goal_matrix, goal_keys, dim)
        mentors, mentor_known = _rows(self.mentor_keys, self.mentor_matrix, mentor_keys, dim)
        if not goal_known.any() or not mentor_known.any():
            return None
        return goals, goal_known, mentors, mentor_known


def _rows(
    keys: Sequence[str], matrix: F32, wanted: Sequence[str], dim: int
) -> tuple[F32, NDArray[np.bool_]]:
    index = {k: i for i, k in enumerate(keys)}
    positions = np.array([index.get(k, -1) for k in wanted], np.int64)
    known = positions >= 0
    out = np.zeros((len(wanted), dim), np.float32)
    if known.any():
        out[known] = matrix[positions[known]]
    return out, known


class HybridIndex:
    """``MEANING_SHARE`` meaning + the rest words, for every (goal, mentor) pair.

    Rows or columns without a vector (``known`` masks False) get words alone.
    """

    def __init__(
        self,
        words: WordIndex,
        meaning: EmbeddingIndex,
        goal_known: NDArray[np.bool_],
        mentor_known: NDArray[np.bool_],
        meaning_share: float = MEANING_SHARE,
    ) -> None:
        """Blend a word index and an embedding index over the same rows and columns."""
        if not 0.0 <= meaning_share <= 1.0:
            raise ValueError(f"meaning_share must be in [0, 1], got {meaning_share}")
        self.words = words
        self.meaning = meaning
        self.goal_known = np.asarray(goal_known, bool)
        self.mentor_known = np.asarray(mentor_known, bool)
        self.share = np.float32(meaning_share)

    def block(self, rows: I64) -> F32:
        """Hybrid similarity of goal rows with every mentor (dense)."""
        words = self.words.block(rows)
        meaning = self.meaning.block(rows)
        both = self.goal_known[rows][:, None] & self.mentor_known[None, :]
        blended = self.share * meaning + (np.float32(1.0) - self.share) * words
        return np.where(both, blended, words).astype(np.float32)

    def pairs(self, rows: I64, cols: I64) -> F32:
        """Hybrid similarity of (goal, mentor) pairs."""
        words = self.words.pairs(rows, cols)
        meaning = self.meaning.pairs(rows, cols)
        both = self.goal_known[rows] & self.mentor_known[cols]
        blended = self.share * meaning + (np.float32(1.0) - self.share) * words
        return np.where(both, blended, words).astype(np.float32)

    def meaning_pairs(self, rows: I64, cols: I64) -> F32:
        """The meaning part alone (0 where a vector is missing), for explanations."""
        both = self.goal_known[rows] & self.mentor_known[cols]
        return np.where(both, self.meaning.pairs(rows, cols), 0.0).astype(np.float32)

    def shared_terms(self, row: int, col: int, limit: int = 4) -> list[str]:
        """The shared words of one pair (meaning has no words to show)."""
        return self.words.shared_terms(row, col, limit)

    def shared_terms_many(self, rows: I64, cols: I64, limit: int = 4) -> list[list[str]]:
        """`shared_terms` of many pairs."""
        return self.words.shared_terms_many(rows, cols, limit)


def with_meaning(
    words: WordIndex,
    vectors: TextVectors | None,
    goal_keys: Sequence[str],
    mentor_keys: Sequence[str],
    meaning_share: float = MEANING_SHARE,
) -> WordIndex | HybridIndex:
    """The word index blended with meaning where vectors are known (words alone if none)."""
    if vectors is None:
        return words
    aligned = vectors.aligned(goal_keys, mentor_keys)
    if aligned is None:
        return words
    goals, goal_known, mentors, mentor_known = aligned
    return HybridIndex(
        words, EmbeddingIndex(goals, mentors), goal_known, mentor_known, meaning_share
    )
