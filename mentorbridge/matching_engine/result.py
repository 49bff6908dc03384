"""The result of a matching round and its JSON form (`mentorbridge-result/1`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

RESULT_FORMAT = "mentorbridge-result/1"


@dataclass
class Assignment:
    """One proposal: a mentor for one focus area of a mentee, with its score breakdown."""

    mentee: str
    focus_area: str
    mentor: str
    score: float
    pinned: bool
    factors: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "mentee": self.mentee,
            "focus_area": self.focus_area,
            "mentor": self.mentor,
            "score": self.score,
            "pinned": self.pinned,
            "factors": self.factors,
        }


@dataclass
class Result:
    """Assignments, unmatched focus areas with reasons, certificate and statistics."""

    objective: str
    program_kind: str
    assignments: list[Assignment]
    unmatched: list[dict[str, Any]]
    stats: dict[str, Any]
    pair_scores: list[dict[str, Any]] | None = None
    mentor_groups: dict[str, str] = field(default_factory=dict)

    @property
    def certificate(self) -> dict[str, Any]:
        """Objective, bound and gap."""
        return {k: self.stats[k] for k in ("objective", "bound", "gap")}

    @property
    def total_score(self) -> float:
        """Sum of the scores of all assignments."""
        return float(self.stats["total_score"])

    def pairs(self) -> set[tuple[str, str, str]]:
        """(mentee, focus area, mentor) of every assignment."""
        return {(a.mentee, a.focus_area, a.mentor) for a in self.assignments}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (see docs/matching_engine.md)."""
        data: dict[str, Any] = {
            "format": RESULT_FORMAT,
            "program_kind": self.program_kind,
            "objective": self.objective,
            "assignments": [a.to_dict() for a in self.assignments],
            "unmatched": self.unmatched,
            "stats": self.stats,
        }
        if self.mentor_groups:
            data["mentor_groups"] = self.mentor_groups
        if self.pair_scores is not None:
            data["pair_scores"] = self.pair_scores
        return data

    def to_json_file(self, path: str | Path) -> None:
        """Write the result as JSON."""
        Path(path).write_bytes(result_json(self.to_dict()))


def result_json(data: dict[str, Any]) -> bytes:
    """A result dictionary as indented JSON bytes (orjson: several times faster than json)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
