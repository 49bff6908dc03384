"""The health rules: explicit, with thresholds each program sets, and a sentence for every rule
that fires. Pure Python (no Django), so the rules read and test on their own.

A mentorship is *on track* when no rule fires; otherwise it takes the worst level among the
rules that fired (*needs attention* or *at risk*), and its status lists every one of them.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from collections.abc import Callable


class Level(enum.IntEnum):
    ON_TRACK = 0
    NEEDS_ATTENTION = 1
    AT_RISK = 2

    @property
    def label(self) -> str:
        return {0: "On track", 1: "Needs attention", 2: "At risk"}[self.value]

    @property
    def slug(self) -> str:
        return self.name.lower()


@dataclasses.dataclass(frozen=True)
class Thresholds:
    """A program's thresholds; 0 turns a rule off."""

    no_meeting_days: int = 45
    missed_in_a_row: int = 2
    low_satisfaction: int = 2
    no_goals_days: int = 30
    overdue_action_items: int = 1
    agreement_days: int = 14


@dataclasses.dataclass(frozen=True)
class Facts:
    """What the rules look at, for one mentorship on one day."""

    today: datetime.date
    started_on: datetime.date
    last_meeting_on: datetime.date | None = None
    missed_in_a_row: int = 0
    latest_working: tuple[str, ...] = ()  # each person's latest answer to “is it working?”
    latest_satisfaction: tuple[int, ...] = ()  # each person's latest satisfaction
    goals: int = 0
    overdue_action_items: int = 0
    agreement_confirmed: bool = False

    @property
    def age_days(self) -> int:
        return (self.today - self.started_on).days


@dataclasses.dataclass(frozen=True)
class Reason:
    rule: str
    level: Level
    text: str
    next_step: str


@dataclasses.dataclass(frozen=True)
class Rule:
    name: str
    level: Level
    title: str
    check: Callable[[Facts, Thresholds], str | None]
    next_step: str


def _no_meeting(f: Facts, t: Thresholds) -> str | None:
    if not t.no_meeting_days:
        return None
    since = f.last_meeting_on or f.started_on
    days = (f.today - since).days
    if days < t.no_meeting_days:
        return None
    if f.last_meeting_on is None:
        return f"No meeting held in the {days} days since it started."
    return f"No meeting for {days} days (last one {f.last_meeting_on:%-d %b %Y})."


def _missed(f: Facts, t: Thresholds) -> str | None:
    if not t.missed_in_a_row or f.missed_in_a_row < t.missed_in_a_row:
        return None
    return f"{f.missed_in_a_row} meetings missed in a row."


def _unhappy(f: Facts, t: Thresholds) -> str | None:
    if "no" in f.latest_working:
        return "A check-in answered “no” to “Is this working for you?”."
    low = [s for s in f.latest_satisfaction if s <= t.low_satisfaction]
    if t.low_satisfaction and low:
        return f"A check-in rated satisfaction {min(low)} out of 5."
    return None


def _no_goals(f: Facts, t: Thresholds) -> str | None:
    if not t.no_goals_days or f.goals or f.age_days < t.no_goals_days:
        return None
    return f"No goals {f.age_days} days after the start."


def _overdue(f: Facts, t: Thresholds) -> str | None:
    if not t.overdue_action_items or f.overdue_action_items < t.overdue_action_items:
        return None
    n = f.overdue_action_items
    return f"{n} action item{'s' if n != 1 else ''} overdue."


def _agreement(f: Facts, t: Thresholds) -> str | None:
    if not t.agreement_days or f.agreement_confirmed or f.age_days < t.agreement_days:
        return None
    return f"Agreement not confirmed by both {f.age_days} days after the start."


#: Every rule, in the order the status lists them.
RULES: list[Rule] = [
    Rule("no_meeting", Level.AT_RISK, "No meeting for a while", _no_meeting,
         "Plan your next meeting."),
    Rule("missed_in_a_row", Level.AT_RISK, "Missed meetings in a row", _missed,
         "Talk about what gets in the way, then plan a time that works."),
    Rule("unhappy_checkin", Level.AT_RISK, "A check-in says it isn't working", _unhappy,
         "Say openly what could be better (a feedback note helps), or ask the program team."),
    Rule("no_goals", Level.NEEDS_ATTENTION, "No goals yet", _no_goals,
         "Set your first goal together."),
    Rule("overdue_action_items", Level.NEEDS_ATTENTION, "Action items overdue", _overdue,
         "Finish, re-date or drop the overdue action items."),
    Rule("agreement_unconfirmed", Level.NEEDS_ATTENTION, "Agreement not confirmed",
         _agreement, "Read and confirm your agreement."),
]  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Health:
    level: Level
    reasons: list[Reason]

    @property
    def label(self) -> str:
        return self.level.label


def evaluate(facts: Facts, thresholds: Thresholds) -> Health:
    """The health of one mentorship: the worst level among the rules that fired, and each
    of those rules in words."""
    reasons = [
        Reason(rule.name, rule.level, text, rule.next_step)
        for rule in RULES
        if (text := rule.check(facts, thresholds)) is not None
    ]
    level = max((r.level for r in reasons), default=Level.ON_TRACK)
    return Health(level, reasons)
