"""Ending a mentorship."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from mentorbridge.matching import rules
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_end, mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentorship(program: Program, mentee: Person, mentor: Person) -> Mentorship:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    return mentorship_start(
        program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
    )


def test_ending_early_frees_the_place_and_rules_out_the_pair(
    mentorship: Mentorship, program: Program, mentee: Person, mentor: Person
) -> None:
    mentorship_end(mentorship=mentorship, by=mentee, reason="Our schedules never meet", early=True)
    mentorship.refresh_from_db()
    assert (mentorship.status, mentorship.ended_early) == ("ended", True)
    area = mentee.enrollments.get(program=program).focus_areas.get()
    assert rules.pair_problem(program=program, mentee=mentee, mentor=mentor, focus_area=area) == (
        rules.ENDED_EARLY.format(mentor=mentor)
    )


def test_only_the_pair_ends_it_with_a_reason_and_once(
    mentorship: Mentorship, mentor: Person, outsider: Person
) -> None:
    with pytest.raises(PermissionDenied):
        mentorship_end(mentorship=mentorship, by=outsider, reason="x")
    with pytest.raises(ValidationError):
        mentorship_end(mentorship=mentorship, by=mentor, reason=" ")
    mentorship_end(mentorship=mentorship, by=mentor, reason="Goal reached")
    with pytest.raises(ValidationError, match="already ended"):
        mentorship_end(mentorship=mentorship, by=mentor, reason="Again")


def test_the_end_page_is_for_the_pair_only(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    outsider: Person,
    mentee: Person,
) -> None:
    url = f"/mentoring/mentorships/{mentorship.pk}/end/"
    assert client_for(None).post(url, {"reason": "x"}).status_code == 302
    assert client_for(outsider).post(url, {"reason": "x"}).status_code == 404
    response = client_for(mentee).post(url, {"reason": "Goal reached"}, follow=True)
    assert b"The mentorship has ended" in response.content
    mentorship.refresh_from_db()
    assert mentorship.status == "ended" and not mentorship.ended_early
