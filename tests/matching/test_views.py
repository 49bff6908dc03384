"""Finding-a-mentor pages: suggestions with filters, requesting, answering."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.matching.models import MentorRequest, Proposal
from mentorbridge.matching.services import requests as svc
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


@pytest.fixture
def published(
    program_admin: Person, mentee: Person, mentor: Person, focus_area: FocusArea
) -> Proposal:
    """A round for Mia's focus area, published: Max is proposed to her."""
    from mentorbridge.matching.services import rounds

    matching_round = rounds.round_start(program=focus_area.enrollment.program, by=program_admin)
    rounds.round_publish(matching_round=matching_round, by=program_admin)
    return matching_round.proposals.get()


def test_suggestions_explain_each_mentor(
    client_for: Clients,
    mentee: Person,
    skilled_mentor: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> None:
    page = client_for(mentee).get(f"/programs/engineering-growth/find/{focus_area.pk}/")
    assert page.status_code == 200
    cards = page.context["cards"]
    assert cards[0].person == skilled_mentor
    assert "knows System design (5/5)" in cards[0].summary
    assert b"How the score is made" in page.content


def test_each_mentors_breakdown_is_in_points_of_the_fit_that_add_up_to_it(
    client_for: Clients,
    mentee: Person,
    skilled_mentor: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> None:
    import re

    from mentorbridge.matching.explanations import fit

    page = client_for(mentee).get(f"/programs/engineering-growth/find/{focus_area.pk}/")
    card = page.context["cards"][0]
    html = page.content.decode()
    start = html.index('<table class="list small breakdown">')
    table = html[start : html.index("</table>", start)]
    shown = [float(x) for x in re.findall(r'<td class="num">(-?[0-9]+\.[0-9])</td>', table)]
    assert len(shown) == len(card.reasons)
    assert shown == [round(r.contribution * 100, 1) for r in card.reasons]
    assert abs(sum(shown) - fit(card.score)) <= 0.05 * len(shown) + 0.5
    assert "Points of the fit out of 100" in html[start:]


def test_filters_narrow_the_suggestions(
    client_for: Clients,
    mentee: Person,
    skilled_mentor: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> None:
    url = f"/programs/engineering-growth/find/{focus_area.pk}/?q=Second"
    page = client_for(mentee).get(url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="suggestions")
    assert [c.person for c in page.context["cards"]] == [second_mentor]
    none = client_for(mentee).get(f"/programs/engineering-growth/find/{focus_area.pk}/?language=ja")
    assert b"No mentor matches these filters" in none.content


def test_requesting_with_htmx_swaps_in_a_confirmation(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    response = client_for(mentee).post(
        f"/programs/engineering-growth/find/{focus_area.pk}/ask/{mentor.employee_id}/",
        {"message": "Would you?"},
        HTTP_HX_REQUEST="true",
    )
    assert b"Request sent to Max Mentor" in response.content
    assert MentorRequest.objects.get().message == "Would you?"


def test_a_refused_request_keeps_the_message_and_says_why(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    mentee.manager = mentor
    mentee.save()
    response = client_for(mentee).post(
        f"/programs/engineering-growth/find/{focus_area.pk}/ask/{mentor.employee_id}/",
        {"message": "My carefully written note"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert b"in your reporting line" in response.content
    assert b"My carefully written note" in response.content


def test_the_mentor_declines_from_the_inbox_with_a_reason(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = svc.request_create(mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi")
    inbox = client_for(mentor).get("/mentoring/inbox/")
    assert b"Waiting for you (1)" in inbox.content
    client_for(mentor).post(f"/mentoring/requests/{request.pk}/decline/", {"reason": "no_time"})
    request.refresh_from_db()
    assert request.status == "declined"
    mine = client_for(mentee).get("/programs/engineering-growth/requests/")
    assert b"I don&#x27;t have time right now" in mine.content
    assert b"See more mentors" in mine.content


def test_the_mentee_answers_a_question_from_their_requests_page(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = svc.request_create(mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi")
    svc.request_ask_info(request=request, by=mentor, question="Which team are you on?")
    page = client_for(mentee).get("/programs/engineering-growth/requests/")
    assert b"Which team are you on?" in page.content
    client_for(mentee).post(f"/mentoring/requests/{request.pk}/reply/", {"answer": "Payments"})
    request.refresh_from_db()
    assert (request.status, request.info_answer) == ("open", "Payments")


def test_the_home_page_lists_proposals_waiting_for_an_answer(
    client_for: Clients,
    program_admin: Person,
    mentee: Person,
    mentor: Person,
    focus_area: FocusArea,
) -> None:
    from mentorbridge.matching.services import rounds

    matching_round = rounds.round_start(program=focus_area.enrollment.program, by=program_admin)
    rounds.round_publish(matching_round=matching_round, by=program_admin)
    home = client_for(mentee).get("/")
    assert b"Proposed matches" in home.content and b"Waiting for your answer." in home.content
    assert b"Max Mentor as your mentor" in home.content
    proposal = matching_round.proposals.get()
    rounds.proposal_answer(proposal=proposal, by=mentee, accept=True)
    rounds.proposal_answer(proposal=proposal, by=mentor, accept=True)
    home = client_for(mentee).get("/")
    assert b"Proposed matches" not in home.content
    assert b"Mentored by Max Mentor" in home.content


def test_a_preview_proposal_is_invisible_to_its_pair(
    client_for: Clients,
    program_admin: Person,
    mentee: Person,
    mentor: Person,
    focus_area: FocusArea,
) -> None:
    from mentorbridge.matching.services import rounds

    proposal = rounds.round_start(
        program=focus_area.enrollment.program, by=program_admin
    ).proposals.get()
    assert client_for(mentee).get(f"/mentoring/proposals/{proposal.pk}/").status_code == 404
    assert client_for(mentee).get(f"/api/v1/proposals/{proposal.pk}").status_code == 404


def test_a_decline_note_is_for_the_program_team_not_the_other_person(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea, published: Proposal
) -> None:
    proposal = published
    client_for(mentee).post(
        f"/mentoring/proposals/{proposal.pk}/answer/",
        {"answer": "decline", "note": "PRIVATE reason"},
    )
    assert (
        b"PRIVATE reason" in client_for(mentee).get(f"/mentoring/proposals/{proposal.pk}/").content
    )
    assert (
        b"PRIVATE reason"
        not in client_for(mentor).get(f"/mentoring/proposals/{proposal.pk}/").content
    )


def test_an_answer_must_be_accept_or_decline(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea, published: Proposal
) -> None:
    proposal = published
    response = client_for(mentor).post(f"/mentoring/proposals/{proposal.pk}/answer/", {})
    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == "sent" and proposal.mentor_accepted is None


def test_the_find_page_points_to_a_waiting_proposal(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea, published: Proposal
) -> None:
    page = client_for(mentee).get(f"/programs/engineering-growth/find/{focus_area.pk}/")
    assert b"The program team proposes Max Mentor as your mentor" in page.content


def test_odd_numbers_in_query_strings_are_ignored_not_errors(
    client_for: Clients, mentee: Person, focus_area: FocusArea
) -> None:
    for query in ("department=%C2%B2", "level=%C2%B2", "department=99999999999999999999"):
        assert client_for(mentee).get(f"/people/?{query}").status_code == 200
    assert (
        client_for(mentee)
        .get(f"/programs/engineering-growth/find/{focus_area.pk}/?department=%C2%B2")
        .status_code
        == 200
    )


def test_text_emails_are_not_html_escaped(
    mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    from django.core import mail

    from tests.outbox.helpers import send_outbox

    svc.request_create(
        mentee=mentee, mentor=mentor, focus_area=focus_area, message="R&D <help> I'd like"
    )
    send_outbox()
    assert "R&D <help> I'd like" in mail.outbox[0].body


def test_a_mentor_who_left_the_company_is_no_longer_suggested(
    client_for: Clients,
    mentee: Person,
    skilled_mentor: Person,
    second_mentor: Person,
    focus_area: FocusArea,
) -> None:
    from mentorbridge.people.importing import import_people

    first = client_for(mentee).get(f"/programs/engineering-growth/find/{focus_area.pk}/")
    assert skilled_mentor in [c.person for c in first.context["cards"]]
    report = import_people(
        f"employee_id,email,first_name,last_name,active\n{skilled_mentor.employee_id},max@example.com,Max,Mentor,no\n".encode()
    )
    assert report.ok
    again = client_for(mentee).get(f"/programs/engineering-growth/find/{focus_area.pk}/")
    assert [c.person for c in again.context["cards"]] == [second_mentor]


def test_a_request_form_sent_twice_shows_the_waiting_request_not_an_error(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    url = f"/programs/engineering-growth/find/{focus_area.pk}/ask/{mentor.employee_id}/"
    client = client_for(mentee)
    client.post(url, {"message": "Would you?"})
    again = client.post(url, {"message": "Would you?"}, follow=True)
    assert again.status_code == 200
    assert b"You already asked Max Mentor; that request is waiting for an answer." in again.content
    htmx = client.post(url, {"message": "Would you?"}, HTTP_HX_REQUEST="true")
    assert b"Request sent to Max Mentor" in htmx.content
    assert MentorRequest.objects.count() == 1


def test_asking_again_with_other_words_says_the_new_message_was_not_sent(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    """Two tabs: the request from the second said "Request sent", and its words were lost."""
    url = f"/programs/engineering-growth/find/{focus_area.pk}/ask/{mentor.employee_id}/"
    client = client_for(mentee)
    client.post(url, {"message": "Sent from tab B"}, HTTP_HX_REQUEST="true")
    again = client.post(url, {"message": "Sent from tab A"}, HTTP_HX_REQUEST="true")
    page = again.content.decode()
    assert "You already asked Max Mentor" in page and "Request sent" not in page
    assert "the message you just wrote was not sent" in page
    assert ">Sent from tab A</textarea>" in page
    plain = client.post(url, {"message": "Sent from tab A"}, follow=True)
    assert b"that request is waiting for an answer. The message you just wrote was not sent." in (
        plain.content
    )
    assert MentorRequest.objects.get().message == "Sent from tab B"


def test_the_api_answers_a_repeated_request_with_the_open_one(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    body = {"focus_area_id": focus_area.pk, "mentor": mentor.employee_id, "message": "Hi"}
    client = client_for(mentee)
    first = client.post(
        "/api/v1/programs/engineering-growth/requests", body, content_type="application/json"
    )
    second = client.post(
        "/api/v1/programs/engineering-growth/requests", body, content_type="application/json"
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


def test_the_inbox_keeps_a_request_waiting_for_the_mentees_answer_apart_from_what_waits_for_the_mentor(
    client_for: Clients, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    request = svc.request_create(mentee=mentee, mentor=mentor, focus_area=focus_area, message="Hi")
    client_for(mentor).post(
        f"/mentoring/requests/{request.pk}/ask/", {"question": "Which team are you in?"}
    )
    page = client_for(mentor).get("/mentoring/inbox/").content.decode()
    assert "Waiting for you (0)" in page and "Waiting for their answer (1)" in page
    assert "Which team are you in?" in page
    assert f'action="/mentoring/requests/{request.pk}/accept/"' in page
