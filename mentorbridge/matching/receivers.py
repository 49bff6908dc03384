"""How finding a mentor reacts to what the apps below it announce (connected in ``ready``)."""

from __future__ import annotations

from typing import Any

from mentorbridge.matching.services.cleanup import matching_close_for, matching_close_program
from mentorbridge.matching.tasks import fill_waitlist
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program


def fill_waitlist_when_places_open(*, program_id: int, **_: Any) -> None:
    """Places may have opened: let the worker propose mentors to the waitlist."""
    fill_waitlist.enqueue(program_id=program_id)


def wind_up_participation(*, person: Person, program: Program, reason: str, **_: Any) -> None:
    """Someone left a program: withdraw their requests and proposals, end their mentorships."""
    matching_close_for(person=person, program=program, reason=reason)


def wind_up_people_who_left(*, people: list[Person], reason: str, **_: Any) -> None:
    """People left the company: wind up their part in every program they were in."""
    for enrollment in Enrollment.objects.filter(person__in=people).select_related(
        "program", "person"
    ):
        matching_close_for(person=enrollment.person, program=enrollment.program, reason=reason)


def wind_up_closed_program(*, program: Program, **_: Any) -> None:
    """A program closed: its open requests and proposals are withdrawn."""
    matching_close_program(program=program)
