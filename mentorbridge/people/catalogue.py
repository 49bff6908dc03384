"""The curated skills catalogue: canonical skill names, their areas and their synonyms.

Pure Python (standard library only, no Django) so that the matching engine, the HRIS import
and the demo generator can all use it. The data lives in ``catalogue_data.json`` next to this
module::

    {"areas": [{"key": "engineering", "name": "Engineering",
                "skills": [{"name": "Python", "synonyms": ["python3", "py"]}, ...]}, ...]}

Every tag a person types is *folded* (see :func:`fold`) before it is compared, so
"Machine-Learning ", "machine learning" and "ML" all resolve to the one catalogue skill
"Machine learning".
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "Catalogue",
    "CatalogueArea",
    "CatalogueError",
    "CatalogueSkill",
    "fold",
    "load_catalogue",
    "tidy",
]

DATA_FILE = Path(__file__).with_name("catalogue_data.json")

# Hyphen-like characters and underscores that separate words ("Machine-Learning",
# "machine_learning", "front–end"). NFKC already maps most exotic spaces to U+0020.
_SEPARATORS = re.compile(r"[\-_\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]+")
_INVISIBLE = re.compile(r"[\u200B\u200C\u200D\u2060\uFEFF\u00AD]")
_WHITESPACE = re.compile(r"\s+")
_SPACE_AROUND_SLASH = re.compile(r"\s*/\s*")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "`": "'"})
# Word boundaries for "word-prefix" matches in search: start, or after a space/slash/bracket.
_WORD_START = re.compile(r"(?:^|(?<=[\s/(]))")


def fold(text: str) -> str:
    """Normalise a skill tag for comparison.

    Applies Unicode NFKC, removes invisible characters, unifies curly apostrophes, casefolds,
    turns hyphens/dashes/underscores into spaces, writes a free-standing ``&`` as ``and``,
    drops spaces around ``/`` and collapses runs of whitespace. Symbols that carry meaning
    are kept: ``c++``, ``c#``, ``.net``, ``node.js``, ``ci/cd``, ``fp&a``.

    >>> fold("  Machine-Learning ")
    'machine learning'
    >>> fold("C++"), fold("C#"), fold(".NET"), fold("Node.JS"), fold("CI / CD")
    ('c++', 'c#', '.net', 'node.js', 'ci/cd')
    >>> fold("Mergers & Acquisitions")
    'mergers and acquisitions'
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).translate(_QUOTES).casefold()
    text = _SEPARATORS.sub(" ", text)
    text = _WHITESPACE.sub(" ", text).strip()
    text = _SPACE_AROUND_SLASH.sub("/", text)
    return text.replace(" & ", " and ")


def tidy(text: str) -> str:
    """Tidy a free-text tag for display without changing its meaning.

    NFKC, trimmed, internal whitespace collapsed; if the user typed it all in lower case the
    first letter is capitalised ("basket   weaving" -> "Basket weaving"). Anything with
    capitals already ("iOS", "gRPC") is left as typed.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _WHITESPACE.sub(" ", _INVISIBLE.sub("", text)).strip()
    if text and text == text.lower():
        text = text[0].upper() + text[1:]
    return text


class CatalogueError(ValueError):
    """The catalogue data is malformed: missing fields or clashing names/synonyms."""


@dataclass(frozen=True)
class CatalogueSkill:
    """One curated skill.

    ``slug`` is ``fold(name)`` and is what the database stores as the unique key;
    ``area`` is the area key (e.g. ``"engineering"``), ``area_name`` its display name.
    """

    name: str
    slug: str
    area: str
    area_name: str
    synonyms: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class CatalogueArea:
    """A group of skills, e.g. ``CatalogueArea(key="data", name="Data", skills=(...))``."""

    key: str
    name: str
    skills: tuple[CatalogueSkill, ...]

    def __len__(self) -> int:
        return len(self.skills)


class Catalogue:
    """An immutable, indexed set of curated skills.

    Build it with :func:`load_catalogue` (the shipped data, cached) or
    :meth:`Catalogue.from_dict` (any data of the same shape, e.g. in tests). Construction
    refuses data where two skills share a folded name or synonym.
    """

    def __init__(self, areas: tuple[CatalogueArea, ...]) -> None:
        self._areas = areas
        self._skills: tuple[CatalogueSkill, ...] = tuple(s for a in areas for s in a.skills)
        self._by_key: dict[str, CatalogueSkill] = {}
        # (folded key, is the canonical name) pairs for search, in catalogue order.
        self._search_keys: list[tuple[CatalogueSkill, str, bool]] = []
        area_keys: set[str] = set()
        for area in areas:
            if area.key in area_keys:
                raise CatalogueError(f"Area {area.key!r} appears twice.")
            area_keys.add(area.key)
        for skill in self._skills:
            self._index(skill, skill.slug, skill.name, is_name=True)
            for synonym in skill.synonyms:
                self._index(skill, fold(synonym), synonym, is_name=False)

    def _index(self, skill: CatalogueSkill, key: str, original: str, *, is_name: bool) -> None:
        if not key:
            raise CatalogueError(f"Skill {skill.name!r} has an empty name or synonym.")
        other = self._by_key.get(key)
        if other is not None:
            what = "its own name" if other is skill else f"{other.name!r}"
            raise CatalogueError(
                f"{original!r} (of {skill.name!r}) folds to {key!r}, already used by {what}."
            )
        self._by_key[key] = skill
        self._search_keys.append((skill, key, is_name))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Catalogue:
        """Build a catalogue from the JSON shape ``{"areas": [{key, name, skills}, ...]}``."""
        try:
            raw_areas = data["areas"]
            areas = []
            for raw_area in raw_areas:
                key, area_name = str(raw_area["key"]), str(raw_area["name"])
                skills = tuple(
                    CatalogueSkill(
                        name=" ".join(str(raw["name"]).split()),
                        slug=fold(str(raw["name"])),
                        area=key,
                        area_name=area_name,
                        synonyms=tuple(str(s) for s in raw.get("synonyms", ())),
                    )
                    for raw in raw_area["skills"]
                )
                areas.append(CatalogueArea(key=key, name=area_name, skills=skills))
        except (KeyError, TypeError) as exc:
            raise CatalogueError(f"Malformed catalogue data: {exc!r}") from exc
        return cls(tuple(areas))

    @classmethod
    def from_file(cls, path: Path) -> Catalogue:
        """Read a catalogue JSON file (UTF-8)."""
        with path.open(encoding="utf-8") as handle:
            return cls.from_dict(json.load(handle))

    # -- lookups ---------------------------------------------------------------------------

    def canonical(self, text: str) -> CatalogueSkill | None:
        """The catalogue skill ``text`` stands for (by folded name or synonym), or ``None``."""
        return self._by_key.get(fold(text))

    def normalise(self, text: str) -> str:
        """The display name to store for a typed tag.

        The canonical name when the tag is a known skill or synonym ("k8s" -> "Kubernetes"),
        otherwise :func:`tidy` of what the user typed ("basket   weaving" -> "Basket weaving").
        """
        skill = self.canonical(text)
        return skill.name if skill is not None else tidy(text)

    def get(self, slug: str) -> CatalogueSkill | None:
        """The skill whose *name* folds to ``slug`` (synonyms are not consulted)."""
        skill = self._by_key.get(slug)
        return skill if skill is not None and skill.slug == slug else None

    def search(self, query: str, limit: int = 10) -> list[CatalogueSkill]:
        """Skills for an autocomplete box, best first, each skill at most once.

        Match quality, best first: exact name, exact synonym, name starts with the query,
        synonym starts with it, a word of the name starts with it, a word of a synonym does,
        then the query anywhere in the name, anywhere in a synonym. Ties are broken by name.
        An empty query returns nothing.
        """
        needle = fold(query)
        if not needle or limit <= 0:
            return []
        word_start = re.compile(_WORD_START.pattern + re.escape(needle))
        best: dict[str, tuple[int, CatalogueSkill]] = {}
        for skill, key, is_name in self._search_keys:
            if key == needle:
                rank = 0
            elif key.startswith(needle):
                rank = 2
            elif word_start.search(key):
                rank = 4
            elif needle in key:
                rank = 6
            else:
                continue
            rank += 0 if is_name else 1
            current = best.get(skill.slug)
            if current is None or rank < current[0]:
                best[skill.slug] = (rank, skill)
        ranked = sorted(best.values(), key=lambda item: (item[0], item[1].slug))
        return [skill for _, skill in ranked[:limit]]

    def closest(self, text: str, limit: int = 3) -> list[CatalogueSkill]:
        """The catalogue skills nearest to a tag that is *not* in the catalogue, best first.

        Autocomplete matches of the whole tag come first, then names or synonyms spelled
        alike ("Pyhton" -> Python), then autocomplete matches of each of its words
        ("Underwater basket weaving" -> skills with a word starting "underwater", "basket"
        or "weaving"). Used to offer a catalogue skill before a new tag is kept.
        """
        needle = fold(text)
        if not needle or limit <= 0:
            return []
        found: dict[str, CatalogueSkill] = {}

        def add(skills: list[CatalogueSkill]) -> None:
            for skill in skills:
                if len(found) < limit:
                    found.setdefault(skill.slug, skill)

        add(self.search(needle, limit=limit))
        keys = [key for _, key, _ in self._search_keys]
        add([self._by_key[key] for key in difflib.get_close_matches(needle, keys, n=limit)])
        for word in sorted(set(needle.split()), key=len, reverse=True):
            if len(word) >= 3:
                add(self.search(word, limit=limit))
        return list(found.values())

    # -- collections -----------------------------------------------------------------------

    def areas(self) -> tuple[CatalogueArea, ...]:
        """The areas in catalogue order, each with its skills."""
        return self._areas

    def area(self, key: str) -> CatalogueArea | None:
        """One area by key (e.g. ``"career_growth"``), or ``None``."""
        return next((a for a in self._areas if a.key == key), None)

    def names(self) -> list[str]:
        """Every canonical skill name, in catalogue order."""
        return [s.name for s in self._skills]

    def __len__(self) -> int:
        return len(self._skills)

    def __iter__(self) -> Iterator[CatalogueSkill]:
        return iter(self._skills)

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self.canonical(text) is not None

    def __repr__(self) -> str:
        return f"<Catalogue: {len(self)} skills in {len(self._areas)} areas>"


@cache
def load_catalogue() -> Catalogue:
    """The shipped catalogue (``catalogue_data.json``), parsed once per process."""
    return Catalogue.from_file(DATA_FILE)
