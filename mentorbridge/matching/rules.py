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


def pair_problem(
    *, program: Program, mentee: Person, mentor: Person, focus_area: FocusArea | None = None
) -> str | None:
    """Why this mentor cannot mentor this mentee in this program, or ``None``."""
    if mentee.pk == mentor.pk:
        return SELF
    if not mentor.is_active:
        return LEFT.format(mentor=mentor)
    if mentor in reporting_chain(mentee):
        return IN_REPORTING_LINE.format(mentor=mentor)
    if mentee in reporting_chain(mentor):
        return IS_A_REPORT.format(mentor=mentor)
    if Mentorship.objects.filter(mentee=mentee, mentor=mentor, ended_early=True).exists():
        return ENDED_EARLY.format(mentor=mentor)
    if PairExclusion.objects.filter(program=program, mentee=mentee, mentor=mentor).exists():
        return EXCLUDED
    live = Mentorship.objects.filter(program=program, mentee=mentee, status__in=HOLDS_CAPACITY)
    if live.filter(mentor=mentor).exists():
        return SAME_MENTOR_TWICE.format(mentor=mentor)
    if focus_area is not None and live.filter(focus_area=focus_area).exists():
        return FOCUS_AREA_MATCHED.format(focus_area=focus_area)
    return None
