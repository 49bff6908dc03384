"""Conflict-of-interest and eligibility rules for a mentee–mentor pair, in words.

The matching engine applies the same rules in bulk; this module answers for one pair, for
requests and for "why can't I ask this person?" on the suggestion page.
"""

from __future__ import annotations

from mentorbridge.matching.models import PairExclusion
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.models import Person
from mentorbridge.people.selectors import reporting_chain
from mentorbridge.programs.models import FocusArea, Program

SELF = "You can't be your own mentor."
LEFT = "{mentor} has left the company."
IN_REPORTING_LINE = "{mentor} is in your reporting line; mentors come from outside it."
IS_A_REPORT = "{mentor} reports to you; mentors come from outside your reporting line."
ENDED_EARLY = "Your earlier mentorship with {mentor} ended early, so you won't be paired again."
EXCLUDED = "The program team has ruled out this pairing."
SAME_MENTOR_TWICE = "{mentor} already mentors you on another focus area."
FOCUS_AREA_MATCHED = "“{focus_area}” already has a mentor."

# The same rules in the mentor's words (answering a request addressed to them).
TO_MENTOR = {
    SELF: "You can't be your own mentor.",
    IN_REPORTING_LINE: "You are in {mentee}'s reporting line; mentors come from outside it.",
    IS_A_REPORT: "You report to {mentee}; mentors come from outside the mentee's reporting line.",
    ENDED_EARLY: "Your earlier mentorship with {mentee} ended early, so you won't be paired again.",
    SAME_MENTOR_TWICE: "You already mentor {mentee} in this program, on another focus area.",
}

# The same rules in the third person, for a reader who is neither of the pair (the program
# team pinning a pair in a round, a proposal withdrawn because it can no longer start).
TO_ADMIN = {
    SELF: "{mentee} can't be their own mentor.",
    IN_REPORTING_LINE: "{mentor} is in {mentee}'s reporting line; mentors come from outside it.",
    IS_A_REPORT: (
        "{mentor} reports to {mentee}; mentors come from outside the mentee's reporting line."
    ),
    ENDED_EARLY: (
        "{mentee}'s earlier mentorship with {mentor} ended early, so they won't be paired again."
    ),
    SAME_MENTOR_TWICE: "{mentor} already mentors {mentee} on another focus area.",
    FOCUS_AREA_MATCHED: "{mentee}'s “{focus_area}” already has a mentor.",
}


def pair_problem(
    *,
    program: Program,
    mentee: Person,
    mentor: Person,
    focus_area: FocusArea | None = None,
    to_mentor: bool = False,
    to_admin: bool = False,
) -> str | None:
    """Why this mentor cannot mentor this mentee in this program, or ``None``; in the
    mentee's words, with ``to_mentor`` in the mentor's, with ``to_admin`` in the third
    person (naming both) for the program team."""
    if to_mentor and to_admin:
        raise ValueError("pair_problem: choose one reader, to_mentor or to_admin, not both")
    why = _problem(program=program, mentee=mentee, mentor=mentor, focus_area=focus_area)
    if why is None:
        return None
    if to_mentor:
        text = TO_MENTOR.get(why, why)
    elif to_admin:
        text = TO_ADMIN.get(why, why)
    else:
        text = why
    return text.format(mentor=mentor, mentee=mentee, focus_area=focus_area)


def _problem(
    *, program: Program, mentee: Person, mentor: Person, focus_area: FocusArea | None
) -> str | None:
    """The rule the pair breaks (a message template), or ``None``."""
    if mentee.pk == mentor.pk:
        return SELF
    if not mentor.is_active:
        return LEFT
    if mentor in reporting_chain(mentee):
        return IN_REPORTING_LINE
    if mentee in reporting_chain(mentor):
        return IS_A_REPORT
    if Mentorship.objects.filter(mentee=mentee, mentor=mentor, ended_early=True).exists():
        return ENDED_EARLY
    if PairExclusion.objects.filter(program=program, mentee=mentee, mentor=mentor).exists():
        return EXCLUDED
    live = Mentorship.objects.filter(program=program, mentee=mentee, status__in=HOLDS_CAPACITY)
    if live.filter(mentor=mentor).exists():
        return SAME_MENTOR_TWICE
    if focus_area is not None and live.filter(focus_area=focus_area).exists():
        return FOCUS_AREA_MATCHED
    return None
