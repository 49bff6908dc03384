"""The home page and "My mentoring": everything a person is part of, with its state and the
next action, and pages that show the new state after every action."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.matching.models import Proposal
from mentorbridge.matching.services import requests as request_services
from mentorbridge.matching.services import rounds
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]
MINE = "/mentoring/mine/"


@pytest.fixture
def published(program_admin: Person, focus_area: FocusArea) -> Proposal:
    """A round for Mia's focus area, published: Max is proposed to her."""
    matching_round = rounds.round_start(program=focus_area.enrollment.program, by=program_admin)
    rounds.round_publish(matching_round=matching_round, by=program_admin)
    return matching_round.proposals.get()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("outsider", 200), ("mentee", 200), ("mentor", 200),
     ("program_admin", 200), ("site_admin", 200)],
)  # fmt: skip
def test_my_mentoring_is_open_to_every_signed_in_person(
    request: pytest.FixtureRequest, client_for: Clients, persona: str, expected: int
) -> None:
    person = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(person).get(MINE)
    assert response.status_code == expected
    if persona == "anonymous":
        assert "/accounts/login/" in response["Location"]


def test_my_mentoring_shows_only_what_the_person_is_part_of(
    client_for: Clients, mentee: Person, mentor: Person, outsider: Person, focus_area: FocusArea
) -> None:
    request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi"
    )
    page = client_for(outsider).get(MINE)
    assert b"Mia Mentee" not in page.content and b"Max Mentor" not in page.content
    assert b"re not looking for a mentor" in page.content


def test_a_mentee_sees_a_sent_request_with_its_state_and_next_action(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi"
    )
    page = client_for(mentee).get(MINE).content.decode()
    assert "Request to Max Mentor for “Grow into a tech lead”" in page
    assert "Waiting for Max" in page and "See or withdraw" in page
    request_services.request_ask_info(request=request, by=mentor, question="Which team?")
    page = client_for(mentee).get(MINE).content.decode()
    assert "Max asked a question" in page and "Answer Max" in page
    assert "Waiting for you (1)" in page


def test_a_focus_area_with_nothing_going_on_leads_to_its_suggestions(
    client_for: Clients, mentee: Person, focus_area: FocusArea
) -> None:
    page = client_for(mentee).get(MINE).content.decode()
    assert "No mentor yet" in page
    assert f"/programs/engineering-growth/find/{focus_area.pk}/" in page


def test_a_mentor_sees_requests_to_answer_and_their_places(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi"
    )
    page = client_for(mentor).get(MINE).content.decode()
    assert "Request from Mia Mentee for “Grow into a tech lead”" in page
    assert f"/mentoring/inbox/#request-{request.pk}" in page
    assert "Engineering Growth: <b>0 of 2 places used</b>" in page
    request_services.request_accept(request=request, by=mentor)
    page = client_for(mentor).get(MINE).content.decode()
    assert "Mentoring Mia Mentee on “Grow into a tech lead”" in page
    assert "1 of 2 places used" in page
    mentee_page = client_for(mentee).get(MINE).content.decode()
    assert "Mentored by Max Mentor on “Grow into a tech lead”" in mentee_page


def test_a_proposal_stays_in_view_with_who_must_answer(
    client_for: Clients, mentee: Person, mentor: Person, published: Proposal
) -> None:
    page = client_for(mentee).get(MINE).content.decode()
    assert "Proposed: Max Mentor as your mentor" in page and "Waiting for you (1)" in page
    rounds.proposal_answer(proposal=published, by=mentee, accept=True)
    page = client_for(mentee).get(MINE).content.decode()
    assert "You accepted. Waiting for Max" in page and "Waiting for you (0)" in page
    mentor_page = client_for(mentor).get(MINE).content.decode()
    assert "Mia has accepted" in mentor_page and "Waiting for you (1)" in mentor_page


def test_the_menu_badge_counts_what_waits_for_mentees_and_mentors(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi"
    )
    assert client_for(mentor).get("/").context["nav_waiting"] == 1
    assert client_for(mentee).get("/").context["nav_waiting"] == 0
    request_services.request_ask_info(request=request, by=mentor, question="Which team?")
    # The question now waits for the mentee, not the mentor.
    assert client_for(mentor).get("/").context["nav_waiting"] == 0
    home = client_for(mentee).get("/")
    assert home.context["nav_waiting"] == 1
    assert b'href="/mentoring/mine/"' in home.content
    assert b"1 thing waits for your answer." in home.content


def test_the_home_page_keeps_an_accepted_proposal_until_the_other_person_answers(
    client_for: Clients, mentee: Person, mentor: Person, published: Proposal
) -> None:
    rounds.proposal_answer(proposal=published, by=mentee, accept=True)
    home = client_for(mentee).get("/").content.decode()
    assert "Max Mentor as your mentor for “Grow into a tech lead”" in home
    assert "You accepted. Waiting for Max." in home


def test_a_complete_profile_is_not_asked_to_be_completed(
    client_for: Clients, mentee: Person
) -> None:
    assert b"Complete your profile" in client_for(mentee).get("/").content
    mentee.bio, mentee.career_goals = "I build payment systems.", "Lead a team."
    mentee.languages, mentee.expertise = ["en"], ["Payments"]
    mentee.save()
    person_set_skills(
        person=mentee,
        skills=[SkillEntry("Go", 3), SkillEntry("System design", 2), SkillEntry("SQL", 4)],
    )
    home = client_for(mentee).get("/").content.decode()
    assert "Complete your profile" not in home
    assert "Your profile has everything matching uses" in home


def test_my_mentoring_costs_the_same_queries_however_much_a_person_is_part_of(
    client_for: Clients, program: Program, mentor: Person, focus_area: FocusArea
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def requests_to_max(n: int) -> None:
        for _ in range(n):
            area = FocusAreaFactory(
                enrollment=EnrollmentFactory(program=program, person=PersonFactory())
            )
            request_services.request_create(
                mentee=area.enrollment.person, mentor=mentor, focus_area=area, message="Hi"
            )

    def count(url: str) -> int:
        client = client_for(mentor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    requests_to_max(1)
    mine, inbox = count(MINE), count("/mentoring/inbox/")
    requests_to_max(6)
    assert count(MINE) == mine
    assert count("/mentoring/inbox/") == inbox
