"""The pair rules in words: the mentee's, the mentor's and the program team's (third person)."""

from __future__ import annotations

from functools import partial

import pytest

from mentorbridge.matching.rules import pair_problem
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program

pytestmark = pytest.mark.django_db


def test_a_mentor_in_the_reporting_line_is_named_to_each_reader_in_their_words(
    program: Program, mentee: Person, mentor: Person
) -> None:
    mentee.manager = mentor
    mentee.save()
    pair = partial(pair_problem, program=program, mentee=mentee, mentor=mentor)
    assert pair() == ("Max Mentor is in your reporting line; mentors come from outside it.")
    assert pair(to_mentor=True) == (
        "You are in Mia Mentee's reporting line; mentors come from outside it."
    )
    assert pair(to_admin=True) == (
        "Max Mentor is in Mia Mentee's reporting line; mentors come from outside it."
    )


def test_the_program_team_reads_who_already_mentors_whom(
    program: Program, mentee: Person, mentor: Person
) -> None:
    first = mentee.enrollments.get(program=program).focus_areas.get()
    mentorship_start(
        program=program, mentee=mentee, mentor=mentor, focus_area=first, source="request"
    )
    second = FocusArea.objects.create(enrollment=first.enrollment, title="Public speaking")
    pair = partial(pair_problem, program=program, mentee=mentee, mentor=mentor)
    assert pair(focus_area=second) == "Max Mentor already mentors you on another focus area."
    assert pair(focus_area=second, to_admin=True) == (
        "Max Mentor already mentors Mia Mentee on another focus area."
    )
    assert pair(focus_area=first, to_admin=True) == (
        "Max Mentor already mentors Mia Mentee on another focus area."
    )


def test_a_focus_area_that_has_a_mentor_names_its_mentee_to_the_program_team(
    program: Program, mentee: Person, mentor: Person, second_mentor: Person
) -> None:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    mentorship_start(
        program=program, mentee=mentee, mentor=second_mentor, focus_area=area, source="request"
    )
    assert (
        pair_problem(program=program, mentee=mentee, mentor=mentor, focus_area=area, to_admin=True)
        == f"Mia Mentee's “{area}” already has a mentor."
    )


def test_a_fit_pair_has_no_problem_for_any_reader(
    program: Program, mentee: Person, mentor: Person
) -> None:
    pair = partial(pair_problem, program=program, mentee=mentee, mentor=mentor)
    assert pair() is None
    assert pair(to_mentor=True) is None
    assert pair(to_admin=True) is None


def test_asking_for_two_readers_at_once_is_refused(
    program: Program, mentee: Person, mentor: Person
) -> None:
    with pytest.raises(ValueError, match="choose one reader"):
        pair_problem(program=program, mentee=mentee, mentor=mentor, to_mentor=True, to_admin=True)
