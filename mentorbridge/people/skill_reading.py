"""Skills read from prose: which catalogue skills a goal, an expertise list or a bio names.

People often write sentences instead of picking skills ("I run our Kubernetes clusters and
the on-call rotation as a site reliability engineer"). :func:`read_skills` finds the catalogue
skills such text names, by skill name or synonym, on word boundaries:

- several-word names match by word stems (Snowball, PyStemmer), so "site reliability
  engineer" reads as *Site reliability engineering* and "managing stakeholders" as
  *Stakeholder management* only when the catalogue lists that wording;
- one-word names match the word itself or its plural ("OKRs", "containers"), never a stem:
  stems of single words collide with everyday words ("programming" → "program");
- short abbreviations ("Go", "R", "CI", "AR", "PR") must be written as the catalogue writes
  them, so "go further" or "a PR" in a sentence is not a skill;
- a few catalogue synonyms that are everyday words ("support", "culture", "strategy") are
  not read from prose at all: they still work when picked by hand.

Pure Python plus PyStemmer, no Django, so the import, the demo generator and migrations can
use it. What was read is stored beside the text (``read_skills``) and shown to its author,
who can remove any of it; skills picked by hand always win.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import Stemmer

from mentorbridge.people.catalogue import Catalogue, fold, load_catalogue

__all__ = [
    "READ_LEVEL", "SkillReader", "matching_skills", "read_skills", "reader", "shown_read_skills",
    "skill_name", "used_read_skills",
]  # fmt: skip

#: Catalogue names or synonyms never read from prose: everyday words in sentences.
NOT_FROM_PROSE = frozenset(
    [
        "support", "events", "lean", "culture", "strategy", "pipeline", "closing",
        "collections", "retention", "discovery", "visibility", "narrative", "portfolio",
        "positioning", "messaging", "writing", "feedback", "monitoring", "networking",
        "pricing", "payments", "spring", "mentoring", "mentorship", "docs", "demos", "node",
        "presenting", "presentations", "coding", "programming", "hiring", "accounting",
        "ambiguity", "gravitas", "productivity", "implementation", "audit", "tax",
    ]
)  # fmt: skip
#: The proficiency (1-5) a skill read from a mentor's profile counts as in matching.
READ_LEVEL = 3
#: One-word keys this short (or listed here) must be written with the catalogue's casing.
SHORT = 2
CASE_SENSITIVE = frozenset(["go", "rust", "swift", "ruby", "dei", "edi", "ear"])

_SEPARATORS = re.compile(r"[\-_\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]+")
_TOKEN = re.compile(r"\.?[^\W_][\w+#&]*(?:[./:&'][^\W_][\w+#&]*)*\+*", re.UNICODE)
_CLAUSE = re.compile(r"[;,!?()\[\]{}\n\u2022|]|[.:](?=\s|$)")  # phrases never span these
_STEMMER = Stemmer.Stemmer("english")


def _words(text: str) -> list[str]:
    """Tokens of a text as written (case kept), hyphens read as spaces."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return _TOKEN.findall(_SEPARATORS.sub(" ", text))


def _plain(word: str) -> str:
    """A word without a plural ending (containers → container, policies → policy)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word))


@dataclass(frozen=True)
class _Key:
    slug: str
    words: tuple[str, ...]  # matching forms: stems (several words) or plain forms (one word)
    written: str  # as the catalogue writes it, for case-sensitive keys
    case_sensitive: bool


class SkillReader:
    """Reads catalogue skills from text; build once per catalogue (see :func:`reader`)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._single: dict[str, list[_Key]] = {}
        self._phrases: dict[str, list[_Key]] = {}
        for area in catalogue.areas():
            for skill in area.skills:
                for written in (skill.name, *skill.synonyms):
                    self._add(skill.slug, written)

    def _add(self, slug: str, written: str) -> None:
        folded = fold(written)
        if folded in NOT_FROM_PROSE:
            return
        words = [w.casefold() for w in _words(written)]
        if not words:
            return
        if len(words) == 1:
            word = words[0]
            sensitive = (len(word) <= SHORT and word.isalpha()) or word in CASE_SENSITIVE
            key = _Key(slug, (_plain(word),), _words(written)[0], sensitive)
            self._single.setdefault(key.words[0], []).append(key)
        else:
            key = _Key(slug, tuple(_stem(w) for w in words), written, False)
            self._phrases.setdefault(key.words[0], []).append(key)

    def read(self, texts: Iterable[str]) -> list[str]:
        """Slugs of the catalogue skills the texts name, in order of first mention."""
        found: dict[str, None] = {}
        for text in texts:
            for clause in _CLAUSE.split(text or ""):
                for slug in self._read_one(clause):
                    found.setdefault(slug, None)
        return list(found)

    def _read_one(self, text: str) -> list[str]:
        written = _words(text)
        tokens: list[str] = []
        originals: list[str] = []
        for word in written:
            folded = word.casefold()
            tokens.append(folded)
            originals.append(word)
            if "/" in folded and _plain(folded) not in self._single:  # "k8s/docker"
                for part in word.split("/"):
                    if part:
                        tokens.append(part.casefold())
                        originals.append(part)
        stems = [_stem(t) for t in tokens]
        out: list[str] = []
        for i, token in enumerate(tokens):
            for key in self._phrases.get(stems[i], ()):
                n = len(key.words)
                if tuple(stems[i : i + n]) == key.words:
                    out.append(key.slug)
            for key in self._single.get(_plain(token), ()):
                if not key.case_sensitive or _plain(originals[i]) == _plain(key.written):
                    out.append(key.slug)
        return out


@cache
def reader() -> SkillReader:
    """The reader of the shipped catalogue (built once per process)."""
    return SkillReader(load_catalogue())


def read_skills(*texts: str) -> list[str]:
    """Catalogue skill slugs named in the texts (see the module docstring)."""
    return reader().read(texts)


def skill_name(slug: str) -> str:
    """The catalogue's name of a skill slug (the slug itself if the catalogue lost it)."""
    skill = load_catalogue().get(slug)
    return skill.name if skill is not None else slug


def shown_read_skills(
    read: Iterable[str], removed: Iterable[str], picked: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(slug, name) of the read skills matching uses: not removed, not picked by hand
    (a picked skill is already there, with its own level)."""
    hidden = {*removed, *picked}
    return [(slug, skill_name(slug)) for slug in read if slug not in hidden]


def used_read_skills(read: Iterable[str], removed: Iterable[str]) -> list[str]:
    """The read skill slugs matching uses (those not removed by their author)."""
    gone = set(removed)
    return [slug for slug in read if slug not in gone]


def matching_skills(
    picked: dict[str, int], read: Iterable[str], removed: Iterable[str]
) -> dict[str, int]:
    """A person's skills as matching scores them (slug -> proficiency): the read ones not
    removed count at READ_LEVEL, the picked ones at their own level (picked wins)."""
    return {slug: READ_LEVEL for slug in used_read_skills(read, removed)} | picked
