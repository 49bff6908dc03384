"""The program's closure survey page: figures from every answer (once three answered), each
survey with only what its author shared with the program team; the other person reads only
what was shared with them. Program admins and site admins only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.mentorships.lifecycle.services import closure_survey_submit
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/programs/engineering-growth/closure/"
API = "/api/v1/programs/engineering-growth/closure-surveys"


@pytest.fixture
def other_mentorship(program: Program) -> Mentorship:
    mentee = PersonFactory(first_name="Noa")
    area = FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=mentee))
    mentor = PersonFactory(first_name="Ola", level=6)
    EnrollmentFactory(program=program, person=mentor, role="mentor", mentor_capacity=1)
    return mentorship_start(
        program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
    )


@pytest.fixture
def answered(mentorship: Mentorship, mentee: Person, mentor: Person) -> Mentorship:
    closure_survey_submit(
        mentorship=mentorship, by=mentee, goals_reached="partly", would_recommend="yes",
        overall=4, what_helped="Weekly design reviews", stay_in_touch=True,
        visibility={"what_helped": "team", "overall": "stats", "goals_reached": "other",
                    "would_recommend": "team"},
    )  # fmt: skip
    closure_survey_submit(
        mentorship=mentorship, by=mentor, goals_reached="yes", would_recommend="no",
        overall=2, what_helped="My private reasons",
        visibility={"what_helped": "stats", "overall": "other", "goals_reached": "team",
                    "would_recommend": "stats"},
    )  # fmt: skip
    return mentorship


@pytest.mark.parametrize(
    ("who", "status"),
    [("program_admin", 200), ("site_admin", 200), ("mentee", 403), ("mentor", 403),
     ("outsider", 403)],
)  # fmt: skip
def test_only_the_programs_admins_open_the_page_and_the_api(
    answered: Mentorship, who: str, status: int, request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
) -> None:  # fmt: skip
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
    assert client.get(API).status_code == status


def test_anonymous_people_are_sent_to_sign_in(
    answered: Mentorship, client_for: Callable[[Person | None], Client]
) -> None:
    response = client_for(None).get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(None).get(API).status_code == 401


def test_the_team_reads_only_what_was_shared_with_it(
    answered: Mentorship, program_admin: Person, client_for: Callable[[Person | None], Client]
) -> None:
    page = client_for(program_admin).get(URL).content.decode()
    assert "Weekly design reviews" in page  # shared with the team
    assert "My private reasons" not in page  # statistics alone
    assert "kept for the statistics" in page
    assert "once 3 people have answered (now 2)" in page  # no figures from two answers
    items = client_for(program_admin).get(API).json()["items"]
    by_person = {i["role"]: {a["question"]: a["answer"] for a in i["answers"]} for i in items}
    assert by_person["mentee"] == {
        "Goals reached": "Partly", "What helped": "Weekly design reviews",
        "Would recommend": "Yes", "Overall": None,
    }  # fmt: skip
    assert by_person["mentor"]["What helped"] is None
    assert by_person["mentor"]["Would recommend"] is None
    assert by_person["mentor"]["Overall"] == "2 of 5"  # shared with the other person and team


def test_figures_count_every_answer_once_three_answered(
    answered: Mentorship, program_admin: Person, client_for: Callable[[Person | None], Client],
    other_mentorship: Mentorship,
) -> None:  # fmt: skip
    closure_survey_submit(
        mentorship=other_mentorship, by=other_mentorship.mentee, goals_reached="no",
        would_recommend="not_sure", overall=3, visibility={"overall": "stats"},
    )  # fmt: skip
    figures = client_for(program_admin).get(API).json()["figures"]
    assert figures["overall"] == 3.0  # (4 + 2 + 3) / 3, the statistics-only answers included
    assert dict(figures["goals"]) == {"Yes": 1, "Partly": 1, "No": 1}
    assert figures["stay_in_touch"] == 1
    assert "3.0" in client_for(program_admin).get(URL).content.decode()


def test_the_other_person_reads_only_what_was_shared_with_them(
    answered: Mentorship, mentee: Person, mentor: Person,
    client_for: Callable[[Person | None], Client],
) -> None:  # fmt: skip
    url = f"/mentorships/{answered.pk}/closure/"
    for_mentor = client_for(mentor).get(url).content.decode()
    assert "Mia: goals reached" in for_mentor and "Weekly design reviews" not in for_mentor
    for_mentee = client_for(mentee).get(url).content.decode()
    assert "Max: overall" in for_mentee and "2 of 5" in for_mentee
    assert "My private reasons" not in for_mentee


def test_a_bad_visibility_is_refused_naming_the_answer(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    response = client_for(mentee).post(
        f"/api/v1/mentorships/{mentorship.pk}/closure-survey",
        {"goals_reached": "yes", "would_recommend": "yes", "overall": 5,
         "overall_visibility": "everyone"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code in (400, 422)
    assert "overall" in response.content.decode()
    assert not mentorship.closure_surveys.exists()


def test_the_health_page_links_to_the_closure_surveys(
    mentorship: Mentorship, program_admin: Person, client_for: Callable[[Person | None], Client]
) -> None:
    page = client_for(program_admin).get("/programs/engineering-growth/health/").content.decode()
    assert URL in page
    empty = client_for(program_admin).get(URL).content.decode()
    assert "No closure survey yet" in empty
