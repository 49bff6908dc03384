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


def test_the_inbox_batch_gives_each_request_the_same_words_as_one_pair_at_a_time(
    program: Program, mentor: Person, second_mentor: Person
) -> None:
    from mentorbridge.matching.models import MentorRequest, PairExclusion
    from mentorbridge.matching.rules import pair_problems_to_mentor
    from mentorbridge.mentorships.models import Mentorship
    from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

    def new_mentee(**fields: object) -> FocusArea:
        person = PersonFactory(**fields)
        return FocusAreaFactory(
            enrollment=EnrollmentFactory(program=program, person=person, role="mentee")
        )

    boss = PersonFactory()
    mentor.manager = boss
    mentor.save()
    report_of_report = new_mentee(manager=PersonFactory(manager=mentor))  # mentor above, 2 up
    above = new_mentee()  # the mentor's skip-level manager
    boss.manager = above.enrollment.person
    boss.save()
    ended = new_mentee()
    gone = mentorship_start(
        program=program, mentee=ended.enrollment.person, mentor=mentor, focus_area=ended,
        source="request",
    )  # fmt: skip
    Mentorship.objects.filter(pk=gone.pk).update(status="ended", ended_early=True)
    excluded = new_mentee()
    PairExclusion.objects.create(program=program, mentee=excluded.enrollment.person, mentor=mentor)
    twice = new_mentee()
    mentorship_start(
        program=program, mentee=twice.enrollment.person, mentor=mentor, focus_area=twice,
        source="request",
    )  # fmt: skip
    second = FocusArea.objects.create(enrollment=twice.enrollment, title="Public speaking")
    taken = new_mentee()
    mentorship_start(
        program=program, mentee=taken.enrollment.person, mentor=second_mentor, focus_area=taken,
        source="request",
    )  # fmt: skip
    fine = new_mentee()
    areas = [report_of_report, above, ended, excluded, second, taken, fine]
    requests = [
        MentorRequest(
            pk=i + 1,
            program=program,
            mentee=area.enrollment.person,
            mentor=mentor,
            focus_area=area,
        )
        for i, area in enumerate(areas)
    ]

    def one_at_a_time() -> dict[int, str | None]:
        return {
            r.pk: pair_problem(
                program=program,
                mentee=r.mentee,
                mentor=mentor,
                focus_area=r.focus_area,
                to_mentor=True,
            )
            for r in requests
        }

    batch = pair_problems_to_mentor(mentor, requests)
    assert batch == one_at_a_time()
    assert [why is None for why in batch.values()] == [False] * 6 + [True]
    assert len(set(batch.values())) == 7  # each request broke a rule of its own
    mentor.is_active = False  # the mentor has left: every request says so
    assert pair_problems_to_mentor(mentor, requests) == one_at_a_time()
    assert pair_problems_to_mentor(mentor, []) == {}
