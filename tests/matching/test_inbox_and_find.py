"""The mentor's inbox (goal, fit, places) and the find page (pages of mentors, one request
form at a time, counters that follow each request)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.matching.services import requests as request_services
from mentorbridge.matching.services import rounds
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, PersonFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def find_url(area: FocusArea) -> str:
    return f"/programs/engineering-growth/find/{area.pk}/"


def test_sending_a_request_brings_the_open_request_counter_up_to_date(
    client_for: Clients, mentee: Person, skilled_mentor: Person, focus_area: FocusArea
) -> None:
    client = client_for(mentee)
    assert b"Your requests (0/3 open)" in client.get(find_url(focus_area)).content
    response = client.post(
        find_url(focus_area) + f"ask/{skilled_mentor.employee_id}/",
        {"message": "Would you?"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=f"ask-{skilled_mentor.employee_id}",
    )
    body = response.content.decode()
    assert "Request sent to Max Mentor" in body
    counter = re.search(r'<a id="my-requests-link"[^>]*hx-swap-oob="true"[^>]*>([^<]*)</a>', body)
    assert counter is not None and counter.group(1) == "Your requests (1/3 open)"
    assert "HX-Request" in response["Vary"]


def test_the_request_form_opens_on_demand_and_stays_open_with_an_error(
    client_for: Clients, mentee: Person, skilled_mentor: Person, focus_area: FocusArea
) -> None:
    page = client_for(mentee).get(find_url(focus_area)).content.decode()
    assert '<details class="ask" name="ask-a-mentor">' in page  # closed until asked
    mentee.manager = skilled_mentor
    mentee.save()
    refused = client_for(mentee).post(
        find_url(focus_area) + f"ask/{skilled_mentor.employee_id}/",
        {"message": "Please?"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 422
    assert '<details class="ask" name="ask-a-mentor" open data-reopen>' in refused.content.decode()


def test_the_find_page_shows_mentors_a_page_at_a_time_keeping_the_filters(
    client_for: Clients, program: Program, mentee: Person, focus_area: FocusArea
) -> None:
    from mentorbridge.matching.views import SUGGESTIONS_PER_PAGE

    for _ in range(SUGGESTIONS_PER_PAGE + 2):
        person = PersonFactory(level=6, location="Lisbon")
        person_set_skills(person=person, skills=[SkillEntry("System design", 4)])
        EnrollmentFactory(program=program, person=person, role="mentor", mentor_capacity=1)
    client = client_for(mentee)
    first = client.get(find_url(focus_area) + "?location=Lisbon")
    assert len(first.context["cards"]) == SUGGESTIONS_PER_PAGE
    assert b'href="?location=Lisbon&amp;page=2"' in first.content
    second = client.get(find_url(focus_area) + "?location=Lisbon&page=2")
    assert len(second.context["cards"]) == 2
    shown = {c.person.pk for c in first.context["cards"]} | {
        c.person.pk for c in second.context["cards"]
    }
    assert len(shown) == SUGGESTIONS_PER_PAGE + 2
    assert b'href="?location=Lisbon&amp;page=1"' in second.content
    assert b"page=3" not in second.content


def test_after_accepting_a_proposal_the_find_page_says_who_must_answer(
    client_for: Clients,
    program: Program,
    program_admin: Person,
    mentee: Person,
    skilled_mentor: Person,
    focus_area: FocusArea,
) -> None:
    matching_round = rounds.round_start(program=program, by=program_admin)
    rounds.round_publish(matching_round=matching_round, by=program_admin)
    proposal = matching_round.proposals.get()
    before = client_for(mentee).get(find_url(focus_area)).content.decode()
    assert "See Max Mentor and answer" in before
    rounds.proposal_answer(proposal=proposal, by=mentee, accept=True)
    after = client_for(mentee).get(find_url(focus_area)).content.decode()
    assert "See Max Mentor and answer" not in after and "See why and answer" not in after
    assert "You accepted Max Mentor as your mentor" in after
    assert "Waiting for Max to answer" in after


def test_the_inbox_shows_the_goal_the_fit_and_the_places_taken(
    client_for: Clients,
    program: Program,
    mentee: Person,
    skilled_mentor: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> None:
    focus_area.description = "Lead design reviews for the payments team."
    focus_area.save()
    other = PersonFactory(first_name="Nia", last_name="Next")
    other_area = EnrollmentFactory(program=program, person=other).focus_areas.create(
        title="Run better retros"
    )
    request_services.request_create(
        mentee=mentee, mentor=skilled_mentor, focus_area=focus_area, message="Hi"
    )
    first = request_services.request_create(
        mentee=other, mentor=skilled_mentor, focus_area=other_area, message="Hello"
    )
    request_services.request_accept(request=first, by=skilled_mentor)
    page = client_for(skilled_mentor).get("/mentoring/inbox/")
    body = page.content.decode()
    assert "<strong>Goal:</strong> Lead design reviews for the payments team." in body
    (item,) = page.context["open"]
    assert item.score is not None and item.score > 0
    assert "knows System design (5/5)" in item.summary
    assert "Why you fit:</strong> " + item.summary in body
    assert "Engineering Growth: <b>1 of 2 places used</b>" in body


def test_a_full_mentor_sees_why_no_fit_is_shown(
    client_for: Clients, program: Program, mentee: Person, focus_area: FocusArea
) -> None:
    mentor = PersonFactory(first_name="Fay", level=6)
    EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=1)
    request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi"
    )
    other = PersonFactory(first_name="Nia")
    other_area = EnrollmentFactory(program=program, person=other).focus_areas.create(
        title="Run better retros"
    )
    first = request_services.request_create(
        mentee=other, mentor=mentor, focus_area=other_area, message="Hello"
    )
    request_services.request_accept(request=first, by=mentor)
    body = client_for(mentor).get("/mentoring/inbox/").content.decode()
    assert "You have no free place left in Engineering Growth</strong> (1 of 1 place used)" in body
    assert (
        'To accept, first <a href="/programs/engineering-growth/#mentor_capacity">take one more'
        " mentee on the program page</a>"
    ) in body
    assert ">Accept</button>" not in body  # it would only fail
    assert "Decline request</button>" in body


def test_a_mentor_at_the_programs_most_mentees_is_told_to_decline(
    client_for: Clients, program: Program, mentee: Person, focus_area: FocusArea
) -> None:
    program.max_mentees_per_mentor = 1
    program.save()
    mentor = PersonFactory(first_name="Fay", level=6)
    EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=1)
    request_services.request_create(mentee=mentee, mentor=mentor, focus_area=focus_area,
                                    message="Hi")  # fmt: skip
    other = EnrollmentFactory(program=program, person=PersonFactory(first_name="Nia"))
    first = request_services.request_create(
        mentee=other.person, mentor=mentor, message="Hello",
        focus_area=other.focus_areas.create(title="Run better retros"),
    )  # fmt: skip
    request_services.request_accept(request=first, by=mentor)
    body = client_for(mentor).get("/mentoring/inbox/").content.decode()
    assert "That is the most the program allows: decline, so Mia can ask someone else." in body
    assert ">Accept</button>" not in body


def test_a_mentor_already_mentoring_the_mentee_is_told_so_in_their_words_before_and_after(
    client_for: Clients, program: Program, mentee: Person, skilled_mentor: Person,
    focus_area: FocusArea,
) -> None:  # fmt: skip
    second_area = mentee.enrollments.get(program=program).focus_areas.create(
        title="Run better retros"
    )
    first = request_services.request_create(
        mentee=mentee, mentor=skilled_mentor, focus_area=focus_area, message="Hi"
    )
    second = request_services.request_create(
        mentee=mentee, mentor=skilled_mentor, focus_area=second_area, message="And this?"
    )
    request_services.request_accept(request=first, by=skilled_mentor)
    client = client_for(skilled_mentor)
    body = client.get("/mentoring/inbox/").content.decode()
    said = "You already mentor Mia Mentee in this program, on another focus area."
    assert f"<strong>You can't accept this request.</strong> {said} Decline it" in body
    assert ">Accept</button>" not in body and "already mentors you" not in body
    # pressed anyway (a page open from before): the refusal is in the mentor's words too
    answer = client.post(f"/mentoring/requests/{second.pk}/accept/", follow=True)
    assert said in answer.content.decode()
    assert "already mentors you" not in answer.content.decode()
