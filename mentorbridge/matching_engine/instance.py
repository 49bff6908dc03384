"""Instance model: parsing and validation of the `mentorbridge-instance/1` JSON format.

Every validation error names the record and the field, e.g.
``mentors[12] (id "E991"): capacity must be >= 0, got -1``, so a program admin can fix the
input without reading code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

FORMAT = "mentorbridge-instance/1"
PROGRAM_KINDS = ("traditional", "reverse", "peer", "group")
OBJECTIVES = ("total", "fair", "coverage", "stable")
FACTORS = (
    "goal_fit",
    "text",
    "seniority",
    "timezone",
    "language",
    "department",
    "location",
    "availability",
    "preference",
)
# Relative weights, normalised to sum 1 when an instance is read. Relevance leads: the
# practical factors (seniority .. availability) weigh a tenth of what they did before issue 12
# (0.15, 0.10, 0.10, 0.05, 0.05, 0.05), so they break near-ties between mentors who are about
# as relevant instead of lifting a weaker match above a stronger one. Chosen with
# `bench/retrieval.py --tune` on the train and dev goals (docs/matching_engine.md, "How the
# defaults were chosen").
DEFAULT_WEIGHTS: dict[str, float] = {
    "goal_fit": 0.30,
    "text": 0.35,
    "seniority": 0.015,
    "timezone": 0.01,
    "language": 0.01,
    "department": 0.005,
    "location": 0.005,
    "availability": 0.005,
    "preference": 0.05,
}
# How much the practical factors depend on relevance (0: not at all; 1: a mentor with no
# relevance gets nothing from them). Chosen with bench/retrieval.py --tune.
DEFAULT_RELEVANCE_GATE = 0.75
DEPARTMENT_PREFERENCES = ("same", "different", "any")
MEETING_MODES = ("virtual", "in_person", "either")
DEFAULT_SHORTLIST_K = 40

ERR_NOT_OBJECT = "{where}: must be a JSON object, got {got}"
ERR_MISSING = "{where}: missing required field '{field}'"
ERR_TYPE = "{where}: {field} must be {expected}, got {got!r}"
ERR_CHOICE = "{where}: {field} must be one of {choices}, got {got!r}"
ERR_DUPLICATE = "{where}: duplicate id {id!r} (first seen at {first})"
ERR_UNKNOWN_PERSON = "{where}: {field} refers to unknown person {id!r}"
ERR_UNKNOWN_REF = "{where}: {field} refers to unknown {kind} {id!r}"
ERR_CAPACITY = "{where}: capacity must be an integer 0..{most}, got {got}"
ERR_WEIGHT = "{where}: weight for {field!r} must be a finite number >= 0, got {got!r}"
ERR_WEIGHTS_ZERO = "weights: at least one weight must be > 0"
ERR_WEIGHTS_OVERFLOW = "weights: the weights must add up to a finite number, got {got}"
ERR_NOT_UTF8 = "{path}: not UTF-8 text: {detail}"
ERR_TOO_DEEP = "{path}: malformed JSON: nested too deeply"
ERR_CYCLE = "people: reporting chain has a cycle: {cycle}"
ERR_BAD_JSON = "{path}: malformed JSON: {detail}"
ERR_FORMAT = "format: expected {expected!r}, got {got!r}"
ERR_NO_FOCUS = "{where}: focus_areas must contain at least one focus area"


class InstanceError(ValueError):
    """Invalid instance input; the message names the record and the field."""


@dataclass(frozen=True)
class Person:
    """An employee profile as the matching engine sees it."""

    id: str
    level: int = 0
    department: str = ""
    location: str = ""
    timezone: str = "UTC"
    languages: tuple[str, ...] = ()
    manager: str | None = None
    skills: dict[str, int] = field(default_factory=dict)
    text: str = ""
    hours_per_month: float = 0.0


@dataclass(frozen=True)
class FocusArea:
    """One thing a mentee wants a mentor for; each focus area wants exactly one mentor."""

    id: str
    skills: tuple[str, ...] = ()
    text: str = ""
    group: str = ""


@dataclass(frozen=True)
class Mentee:
    """A person asking for mentoring in one or more focus areas."""

    id: str
    focus_areas: tuple[FocusArea, ...]
    department_preference: str = "any"
    meeting: str = "either"
    ranked_mentors: tuple[str, ...] = ()
    opt_out_mentors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mentor:
    """A person offering mentoring to up to `capacity` mentees (or one group of that size)."""

    id: str
    capacity: int = 1
    prefer_mentees: tuple[str, ...] = ()
    avoid_mentees: tuple[str, ...] = ()
    opt_out: bool = False


@dataclass(frozen=True)
class PairRule:
    """A (mentee, mentor) pair named by a rule; `focus_area` is only used by pins."""

    mentee: str
    mentor: str
    focus_area: str = ""


@dataclass(frozen=True)
class Rules:
    """Admin rules: forbidden pairs, pairs that ended early, pinned pairs."""

    forbidden: tuple[PairRule, ...] = ()
    ended_early: tuple[PairRule, ...] = ()
    pinned: tuple[PairRule, ...] = ()


@dataclass(frozen=True)
class Options:
    """Solver options."""

    shortlist_k: int = DEFAULT_SHORTLIST_K
    return_pair_scores: bool = False
    reference_date: str = "2025-01-15"
    max_rounds: int = 8
    text_embeddings: bool = False
    relevance_gate: float = DEFAULT_RELEVANCE_GATE


@dataclass(frozen=True)
class Instance:
    """A whole matching round: people, mentees, mentors, weights, rules and options."""

    program_kind: str
    objective: str
    weights: dict[str, float]
    people: tuple[Person, ...]
    mentees: tuple[Mentee, ...]
    mentors: tuple[Mentor, ...]
    rules: Rules = field(default_factory=Rules)
    options: Options = field(default_factory=Options)
    embeddings: dict[str, list[float]] = field(default_factory=dict)
    # skill name -> its synonyms (the catalogue's), read by the text factor
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Any) -> Instance:
        """Parse and validate an instance dictionary; raises InstanceError on bad input."""
        from mentorbridge.matching_engine.validation import parse_instance

        return parse_instance(data)

    @classmethod
    def from_built(cls, data: dict[str, Any]) -> Instance:
        """The instance of a dictionary the app built itself (not external input): the same
        as :meth:`from_dict` without checking every field again (see
        ``validation.built_instance``)."""
        from mentorbridge.matching_engine.validation import built_instance

        return built_instance(data)

    @classmethod
    def from_json_file(cls, path: str | Path) -> Instance:
        """Read, parse and validate an instance JSON file; raises InstanceError on bad input."""
        return cls.from_json(Path(path).read_bytes(), source=str(path))

    @classmethod
    def from_json(cls, text: str | bytes, source: str = "<instance>") -> Instance:
        """Parse and validate an instance from JSON text (str, or UTF-8 bytes)."""
        try:
            return cls.from_dict(orjson.loads(text))
        except orjson.JSONDecodeError:
            pass  # the standard parser words the error, or reads NaN for validation to name
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InstanceError(ERR_NOT_UTF8.format(path=source, detail=exc)) from exc
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InstanceError(ERR_BAD_JSON.format(path=source, detail=exc)) from exc
        except RecursionError as exc:
            raise InstanceError(ERR_TOO_DEEP.format(path=source)) from exc
        return cls.from_dict(data)

    def with_objective(self, objective: str) -> Instance:
        """A copy of this instance with another objective."""
        if objective not in OBJECTIVES:
            raise InstanceError(
                ERR_CHOICE.format(
                    where="instance", field="objective", choices=OBJECTIVES, got=objective
                )
            )
        return replace(self, objective=objective)

    def with_options(self, **changes: Any) -> Instance:
        """A copy of this instance with some options changed."""
        values = {name: getattr(self.options, name) for name in Options.__dataclass_fields__}
        values.update(changes)
        return replace(self, options=Options(**values))
