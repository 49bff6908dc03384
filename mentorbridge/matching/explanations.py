"""Plain-language explanations of a match, built from the engine's factor breakdown.

The engine says *how much* each factor contributed; this module says it the way a mentee
would: "knows System design (5/5); both speak German; 3 levels above you". The goal comes
first: which wanted skills the mentor has, or which words of the goal their profile shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import Stemmer

from mentorbridge.people.catalogue import load_catalogue
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
_STEMMER = Stemmer.Stemmer("english")


def fit(score: float) -> int:
    """The fit people see everywhere (Find a mentor, rounds, proposals, the inbox, the API's
    ``fit``): the engine's 0–1 score as a whole number out of 100."""
    return round(max(0.0, min(1.0, float(score))) * 100)


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


GOAL_FACTORS = ("goal_fit", "text")
_OFFERED = re.compile(r"([^,;]+?) \((\d+)/5\)")


def _skill_name(slug: str) -> str:
    skill = load_catalogue().get(slug.strip())
    return skill.name if skill is not None else slug.strip()


def _as_written(term: str, texts: list[str]) -> str:
    """A shared term as people wrote it ("kubernetes" -> "Kubernetes"), else as it is."""
    return _written(term, texts) or term


def _written(term: str, texts: list[str]) -> str | None:
    """The term as written in the first text that has it (None if none does)."""
    words = r"[\s\-_/]+".join(map(re.escape, term.split()))  # "on call" finds "On-call"
    pattern = re.compile(rf"\b{words}\b", re.IGNORECASE)
    for text in texts:
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


def _once(words: str) -> str:
    """A phrase the engine wrote out twice as one ("ci cd ci cd", from "CI/CD": both "CI" and
    "CD" are synonyms of the skill) -> "ci cd"."""
    split = words.split()
    half = len(split) // 2
    if half and len(split) % 2 == 0 and split[:half] == split[half:]:
        return " ".join(split[:half])
    return words


def _quoted(words: str, texts: list[str]) -> str:
    """Words in quotes as people wrote them; without quotes when they were written otherwise
    (a synonym the engine read as its skill: "design reviews" is read as design critique),
    then as the catalogue names the skill ("django" -> Django)."""
    words = _once(words)
    written = _written(words, texts)
    if written:
        return f"“{written}”"
    skill = load_catalogue().canonical(words)
    return skill.name if skill is not None else words


def _listing(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _skills_text(
    item: dict[str, Any],
    focus_skills: dict[str, str] | None,
    mentor_skills: dict[str, int] | None,
) -> str:
    """Which wanted skills the mentor has and at what level (from the data when given, else
    from the engine's own words), or which they lack."""
    if focus_skills is not None and mentor_skills is not None:
        known = [
            f"{label} ({mentor_skills[slug]}/5)"
            for slug, label in focus_skills.items()
            if slug in mentor_skills
        ]
        if known:
            return "knows " + ", ".join(known)
        wanted = ", ".join(focus_skills.values())
        return (
            f"lists none of the goal's skills ({wanted})" if wanted else "the goal names no skills"
        )
    engine = str(item.get("text", ""))
    if engine.startswith("offers ") and "none of" not in engine:
        offered = engine.removeprefix("offers ").split("; lacks")[0]
        known = [f"{_skill_name(s)} ({n}/5)" for s, n in _OFFERED.findall(offered)]
        if known:
            return "knows " + ", ".join(known)
    if engine.startswith("the focus area names no skills"):
        return "the goal names no skills"
    return "lists none of the goal's skills"


#: Everyday words a goal and a profile often share whatever the topic ("make", "years",
#: "running"): they count in the score like any shared word (scoring is the engine's), but a
#: reason naming them says nothing about fit, so reasons leave them out. Compared as stems.
_EVERYDAY = [
    "make", "move", "run", "use", "work", "get", "keep", "take", "thing", "year", "day",
    "time", "way", "lot", "need", "new", "help", "want", "go", "come", "give", "put", "try",
]  # fmt: skip
GENERIC_WORDS = frozenset(_STEMMER.stemWords(_EVERYDAY))


def _generic(term: str) -> bool:
    """Whether a shared term is only everyday words ("years", "Running", "make sure")."""
    return all(_STEMMER.stemWord(w) in GENERIC_WORDS for w in term.lower().split())


#: A concept the engine found on both sides: 'Site reliability (goal “paged”; profile “on call”)'.
_CONCEPT = re.compile(r"^(?P<name>.+) \(goal “(?P<goal>.+)”; profile “(?P<profile>.+)”\)$")


def _text_reason(item: dict[str, Any], value: float, texts: list[str], you: str = "you") -> str:
    """Which words of the goal the mentor's profile shares (the engine's shared terms), and
    which of its concepts they name in other words ("your goal's “paged” matches their
    “on-call” (Site reliability)")."""
    engine = str(item.get("text", ""))
    if value > 0 and ": " in engine and engine.startswith("goal and mentor profile share"):
        terms = [t.strip() for t in engine.split(": ", 1)[1].split(",") if t.strip()]
        concepts = [m for m in map(_CONCEPT.match, terms) if m]
        words = [t for t in terms if not _CONCEPT.match(t) and not _generic(t)]
        parts = []
        if words:
            parts.append(
                "their profile mentions " + _listing([_as_written(t, texts) for t in words])
            )
        goal = "your goal" if you == "you" else "the goal"
        parts += [
            f"{goal}’s {_quoted(m['goal'], texts[:1])} matches their "
            f"{_quoted(m['profile'], texts[1:])} ({m['name']})"
            for m in concepts
        ]
        if parts:
            return "; ".join(parts)
    if value > 0 and engine.startswith(("text similarity", "goal and mentor profile share")):
        return (
            "their background is close to the goal"
            if value >= 0.3
            else ("a little of their background is close to the goal")
        )
    return "no words of the goal in their profile"


def reasons(
    factors: list[dict[str, Any]],
    *,
    mentee: Person,
    mentor: Person,
    focus_skills: dict[str, str] | None = None,
    mentor_skills: dict[str, int] | None = None,
    goal_text: str = "",
    you: str = "you",
) -> list[Reason]:
    """Every factor in words: the goal first, then the rest, strongest contribution first.

    The first reason is always about the goal: the wanted skills the mentor has (and at what
    level), or the words of the goal their profile shares, whichever counts more; when
    neither is there, it says so. ``focus_skills`` maps skill slug → name for the focus area;
    ``mentor_skills`` maps the mentor's skill slugs to proficiency (both make the skills
    sentence concrete); ``goal_text`` (the focus area's title and description) lets shared
    words be shown as written. ``you`` is how the mentee is named: "you" on their own pages,
    "the mentee" for program admins.
    """
    out: list[Reason] = []
    # the engine reads a mentor's skills with their profile: their names count as written
    skill_names = [_skill_name(slug) for slug in mentor_skills or ()]
    written = [goal_text, *mentor.expertise, mentor.job_title, mentor.bio, *skill_names]
    for item in factors:
        name, value = item["factor"], float(item["value"])
        text = str(item.get("text", ""))
        if name == "goal_fit":
            text = _skills_text(item, focus_skills, mentor_skills)
        elif name == "text":
            text = _text_reason(item, value, written, you)
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
        out.append(
            Reason(name, FACTOR_LABELS.get(name, name), text, value, float(item["contribution"]))
        )
    out.sort(key=lambda r: -r.contribution)
    goal = [r for r in out if r.factor in GOAL_FACTORS]
    named = [r for r in goal if r.factor == "goal_fit" and r.text != "the goal names no skills"]
    if not any(r.value > 0 for r in goal) and named:
        goal = named + [r for r in goal if r not in named]  # "lists none of the goal's skills"
    return goal + [r for r in out if r.factor not in GOAL_FACTORS]


def summary(found: list[Reason], limit: int = 3) -> str:
    """The first reason (about the goal) and the strongest others as one sentence fragment:
    a second goal reason if it says something, then practical factors that are strong."""
    if not found:
        return ""
    first, rest = found[0], found[1:]
    goal = [r.text for r in rest if r.factor in GOAL_FACTORS and r.value > 0]
    others = [
        r.text for r in rest if r.factor not in (*GOAL_FACTORS, "preference") and r.value >= STRONG
    ]
    return "; ".join([first.text, *goal, *others][:limit])
