"""Conflict-of-interest and eligibility rules for a mentee–mentor pair, in words.

The matching engine applies the same rules in bulk; this module answers for one pair, for
requests and for "why can't I ask this person?" on the suggestion page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from mentorbridge.matching.models import MentorRequest, PairExclusion
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.models import Person
from mentorbridge.people.selectors import MAX_CHAIN_DEPTH, reporting_chain, reporting_chain_ids
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


# The order the rules are asked in: a pair breaking several is told the first.
RULES = (
    SELF, LEFT, IN_REPORTING_LINE, IS_A_REPORT, ENDED_EARLY, EXCLUDED, SAME_MENTOR_TWICE,
    FOCUS_AREA_MATCHED,
)  # fmt: skip


def _first_broken(broken: Mapping[str, Callable[[], bool] | bool]) -> str | None:
    """The first rule of `RULES` that is broken: a check that queries runs only when the rules
    before it hold."""

    def holds(rule: str) -> bool:
        check = broken[rule]
        return check() if callable(check) else check

    return next((rule for rule in RULES if holds(rule)), None)


def _worded(
    why: str | None,
    *,
    mentee: Person,
    mentor: Person,
    focus_area: FocusArea | None,
    to_mentor: bool = False,
    to_admin: bool = False,
) -> str | None:
    if why is None:
        return None
    if to_mentor:
        text = TO_MENTOR.get(why, why)
    elif to_admin:
        text = TO_ADMIN.get(why, why)
    else:
        text = why
    return text.format(mentor=mentor, mentee=mentee, focus_area=focus_area)


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
    live = Mentorship.objects.filter(program=program, mentee=mentee, status__in=HOLDS_CAPACITY)
    why = _first_broken(
        {
            SELF: lambda: mentee.pk == mentor.pk,
            LEFT: lambda: not mentor.is_active,
            IN_REPORTING_LINE: lambda: mentor in reporting_chain(mentee),
            IS_A_REPORT: lambda: mentee in reporting_chain(mentor),
            ENDED_EARLY: lambda: Mentorship.objects.filter(
                mentee=mentee, mentor=mentor, ended_early=True
            ).exists(),
            EXCLUDED: lambda: PairExclusion.objects.filter(
                program=program, mentee=mentee, mentor=mentor
            ).exists(),
            SAME_MENTOR_TWICE: lambda: live.filter(mentor=mentor).exists(),
            FOCUS_AREA_MATCHED: lambda: (
                focus_area is not None and live.filter(focus_area=focus_area).exists()
            ),
        }
    )
    return _worded(
        why, mentee=mentee, mentor=mentor, focus_area=focus_area,
        to_mentor=to_mentor, to_admin=to_admin,
    )  # fmt: skip


def _chains_above(person_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each person's managers up to the top, for many people at once: one query per level of
    the organisation, however many people are asked about."""
    manager_of: dict[int, int | None] = {}
    frontier = set(person_ids)
    for _ in range(MAX_CHAIN_DEPTH + 1):
        frontier -= manager_of.keys()
        if not frontier:
            break
        rows = Person.objects.filter(pk__in=frontier).values_list("pk", "manager_id")
        manager_of.update(rows)
        frontier = {m for _, m in rows if m is not None}
    return {pk: set(reporting_chain_ids(manager_of, pk)) for pk in person_ids}


def pair_problems_to_mentor(
    mentor: Person, requests: Sequence[MentorRequest]
) -> dict[int, str | None]:
    """`pair_problem(..., to_mentor=True)` for every request addressed to ``mentor``, by
    request id, in a number of queries that does not grow with the number of requests (the
    inbox lists them all)."""
    if not requests:
        return {}
    mentee_ids = {r.mentee_id for r in requests}
    chains = _chains_above(mentee_ids | {mentor.pk})
    ended_early = set(
        Mentorship.objects.filter(
            mentor=mentor, mentee_id__in=mentee_ids, ended_early=True
        ).values_list("mentee_id", flat=True)
    )
    excluded = set(
        PairExclusion.objects.filter(mentor=mentor, mentee_id__in=mentee_ids).values_list(
            "program_id", "mentee_id"
        )
    )
    live = list(
        Mentorship.objects.filter(mentee_id__in=mentee_ids, status__in=HOLDS_CAPACITY).values_list(
            "program_id", "mentee_id", "mentor_id", "focus_area_id"
        )
    )
    mentored = {(p, e) for p, e, m, _ in live if m == mentor.pk}
    matched = {f for _, _, _, f in live if f is not None}
    out: dict[int, str | None] = {}
    for r in requests:
        key = (r.program_id, r.mentee_id)
        why = _first_broken(
            {
                SELF: r.mentee_id == mentor.pk,
                LEFT: not mentor.is_active,
                IN_REPORTING_LINE: mentor.pk in chains[r.mentee_id],
                IS_A_REPORT: r.mentee_id in chains[mentor.pk],
                ENDED_EARLY: r.mentee_id in ended_early,
                EXCLUDED: key in excluded,
                SAME_MENTOR_TWICE: key in mentored,
                FOCUS_AREA_MATCHED: r.focus_area_id in matched,
            }
        )
        out[r.pk] = _worded(
            why, mentee=r.mentee, mentor=mentor, focus_area=r.focus_area, to_mentor=True
        )
    return out
