"""Plain-language explanations of a match, built from the engine's factor breakdown.

The engine says *how much* each factor contributed; this module says it the way a mentee
would: "both speak German; 3 levels above you; knows System design (5/5)".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mentorbridge.people.models import Person
from mentorbridge.people.validators import LANGUAGE_NAMES

FACTOR_LABELS = {
    "goal_fit": "Skills for your goal",
    "text": "Experience matches your goal",
    "seniority": "Seniority",
    "timezone": "Working hours overlap",
    "language": "Shared language",
    "department": "Department",
    "location": "Location",
    "availability": "Time for mentoring",
    "preference": "Stated preferences",
}
STRONG = 0.5  # a factor value from which it is worth mentioning


@dataclass(frozen=True)
class Reason:
    """One factor, in words, with its share of the score."""

    factor: str
    label: str
    text: str
    value: float
    contribution: float


def _levels(mentee: Person, mentor: Person, you: str) -> str:
    gap = mentor.level - mentee.level
    if gap > 0:
        return f"{gap} level{'s' if gap != 1 else ''} above {you}"
    if gap < 0:
        return f"{-gap} level{'s' if gap != -1 else ''} below {you}"
    return "same level"


def _shared_languages(mentee: Person, mentor: Person) -> str:
    shared = [LANGUAGE_NAMES.get(c, c) for c in mentor.languages if c in mentee.languages]
    if not shared:
        return "no language in common"
    names = " and ".join(shared[:2])
    return f"both speak {names}"


def reasons(
    factors: list[dict[str, Any]],
    *,
    mentee: Person,
    mentor: Person,
    focus_skills: dict[str, str] | None = None,
    mentor_skills: dict[str, int] | None = None,
    you: str = "you",
) -> list[Reason]:
    """Every factor in words, strongest contribution first.

    ``focus_skills`` maps skill slug → name for the focus area; ``mentor_skills`` maps the
    mentor's skill slugs to proficiency. Both make the skills sentence concrete. ``you`` is
    how the mentee is named: "you" on their own pages, "the mentee" for program admins.
    """
    out: list[Reason] = []
    for item in factors:
        name, value = item["factor"], float(item["value"])
        text = str(item.get("text", ""))
        if name == "goal_fit" and focus_skills is not None and mentor_skills is not None:
            known = [
                f"{label} ({mentor_skills[slug]}/5)"
                for slug, label in focus_skills.items()
                if slug in mentor_skills
            ]
            text = "knows " + ", ".join(known) if known else "no listed skill in the focus area"
        elif name == "seniority":
            text = _levels(mentee, mentor, you)
        elif name == "language":
            text = _shared_languages(mentee, mentor)
        elif name == "timezone":
            text = (
                "same timezone"
                if mentee.timezone == mentor.timezone
                else f"{round(value * 8)} of 8 working hours overlap ({mentor.timezone})"
            )
        elif name == "department":
            same = mentee.department_id == mentor.department_id
            where = mentor.department.name if mentor.department else "another team"
            text = f"also in {where}" if same else f"brings the view from {where}"
        elif name == "location":
            text = (
                f"also in {mentor.location}"
                if mentor.location and mentor.location == mentee.location
                else f"based in {mentor.location or 'another office'}"
            )
        elif name == "availability":
            text = f"offers {mentor.mentoring_hours_per_month} h a month"
        elif name == "text":
            text = (
                "their background matches the goal"
                if value >= 0.2
                else "little overlap in background"
            )
        out.append(
            Reason(name, FACTOR_LABELS.get(name, name), text, value, float(item["contribution"]))
        )
    out.sort(key=lambda r: -r.contribution)
    return out


def summary(found: list[Reason], limit: int = 3) -> str:
    """The few strongest reasons as one sentence fragment."""
    skills = [r.text for r in found if r.factor == "goal_fit" and r.text.startswith("knows ")]
    others = [
        r.text for r in found if r.factor not in ("goal_fit", "preference") and r.value >= STRONG
    ]
    return "; ".join((skills + others)[:limit])
