"""The program admins' overview: where people stand per role, and why mentees have no mentor."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorbridge.matching import overview
from mentorbridge.matching.adapter import clear_people_cache
from mentorbridge.matching.models import (
    MatchingRound,
    MentorRequest,
    PairExclusion,
    Proposal,
    RoundStatus,
)
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def area_of(person: Person, program: Program) -> FocusArea:
    return person.enrollments.get(program=program).focus_areas.get()


def new_mentee(program: Program, name: str, **person: object) -> Person:
    mentee = PersonFactory(first_name=name, last_name="Waiting", **person)
    FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=mentee, role="mentee"))
    return mentee


def new_mentor(program: Program, name: str, capacity: int = 2, **enrollment: object) -> Person:
    mentor = PersonFactory(first_name=name, last_name="Mentor", level=7)
    EnrollmentFactory(
        program=program, person=mentor, role="mentor", mentor_capacity=capacity, **enrollment
    )
    return mentor


def start(program: Program, mentee: Person, mentor: Person) -> Mentorship:
    return Mentorship.objects.create(
        program=program, mentee=mentee, mentor=mentor, focus_area=area_of(mentee, program),
        source="request",
    )  # fmt: skip


def ask(program: Program, mentee: Person, mentor: Person, status: str = "open") -> MentorRequest:
    return MentorRequest.objects.create(
        program=program, mentee=mentee, mentor=mentor, focus_area=area_of(mentee, program),
        message="Would you mentor me?", status=status,
        expires_at=timezone.now() + timedelta(days=10),
    )  # fmt: skip


def propose(program: Program, mentee: Person, mentor: Person, **answers: object) -> Proposal:
    matching_round = MatchingRound.objects.create(program=program, status=RoundStatus.PUBLISHED)
    return Proposal.objects.create(
        round=matching_round, focus_area=area_of(mentee, program), mentee=mentee, mentor=mentor,
        score=0.8, status="sent", **answers,
    )  # fmt: skip


def reason_for(program: Program, person: Person) -> overview.UnmatchedArea:
    [item] = [a for a in overview.unmatched_report(program).areas if a.mentee.pk == person.pk]
    return item


# ---- counts -------------------------------------------------------------------------------


def test_every_enrolled_person_is_counted_once_per_role(
    program: Program, mentee: Person, mentor: Person
) -> None:
    matched = new_mentee(program, "Matt")
    proposed = new_mentee(program, "Pia")
    waiting = new_mentee(program, "Wes")
    quiet = new_mentor(program, "Quinn")
    asked = new_mentor(program, "Ana")
    offered = new_mentor(program, "Ola")
    start(program, matched, mentor)
    propose(program, proposed, offered)
    ask(program, waiting, asked)
    EnrollmentFactory(program=program, role="mentee", status="pending")  # not enrolled yet

    counts = overview.role_counts(program)

    assert counts["mentee"].enrolled == 4
    assert counts["mentee"].states == {"matched": 1, "proposed": 1, "waiting": 1, "unmatched": 1}
    assert counts["mentor"].enrolled == 4
    assert counts["mentor"].states == {"matched": 1, "proposed": 1, "waiting": 1, "unmatched": 1}
    assert {quiet.pk} == {
        e.person_id for e in overview.filter_by_state(
            Enrollment.objects.filter(program=program), state="unmatched", role="mentor"
        )
    }  # fmt: skip


def test_a_mentee_with_one_focus_area_still_open_is_not_counted_as_matched(
    program: Program, mentee: Person, mentor: Person
) -> None:
    start(program, mentee, mentor)
    FocusAreaFactory(enrollment=mentee.enrollments.get(), title="Public speaking", position=1)
    assert overview.role_counts(program)["mentee"].states == {"unmatched": 1}


def test_a_person_in_both_roles_counts_in_each(program: Program, mentor: Person) -> None:
    both = PersonFactory(first_name="Bo")
    enrollment = EnrollmentFactory(program=program, person=both, role="both", mentor_capacity=1)
    FocusAreaFactory(enrollment=enrollment)
    start(program, both, mentor)
    counts = overview.role_counts(program)
    assert counts["mentee"].states == {"matched": 1}
    assert counts["mentor"].states == {"matched": 1, "unmatched": 1}


# ---- reasons ------------------------------------------------------------------------------


def test_a_mentee_with_a_free_eligible_mentor_could_be_matched_now(
    program: Program, mentee: Person, mentor: Person
) -> None:
    item = reason_for(program, mentee)
    assert item.kind == "free"
    assert item.text.startswith("1 eligible mentor with a free place")


def test_the_report_is_worked_out_with_the_cycle_collector_paused(
    program: Program, mentee: Person, mentor: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    explain_all = overview._explain_all

    def explain_and_look(*args: object) -> None:
        seen.append(gc.isenabled())
        explain_all(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(overview, "_explain_all", explain_and_look)
    assert reason_for(program, mentee).kind == "free"
    assert seen == [False]
    assert gc.isenabled()  # on again after the report


def test_full_and_paused_mentors_are_told_apart(
    program: Program, mentee: Person, mentor: Person
) -> None:
    other = new_mentee(program, "Olu")
    Enrollment.objects.filter(person=mentor).update(mentor_capacity=1)
    start(program, other, mentor)
    assert reason_for(program, mentee).text == "The one eligible mentor is full."
    new_mentor(program, "Pat", accepting_requests=False)
    assert reason_for(program, mentee).text == "All 2 eligible mentors are full (1) or paused (1)."


def test_a_mentee_declined_by_every_mentor_is_told_so(
    program: Program, mentee: Person, mentor: Person
) -> None:
    ask(program, mentee, mentor, status="declined")
    item = reason_for(program, mentee)
    assert item.kind == "none_eligible"
    assert item.text == "Declined by every mentor (1); no one else is enrolled to ask."


def test_declines_are_mentioned_beside_another_reason(
    program: Program, mentee: Person, mentor: Person
) -> None:
    ask(program, mentee, mentor, status="declined")
    new_mentor(program, "Kai")
    item = reason_for(program, mentee)
    assert item.kind == "free"
    assert item.text.endswith("Declined by 1 mentor so far.")


def test_only_ruled_out_pairs_are_named(program: Program, mentee: Person, mentor: Person) -> None:
    PairExclusion.objects.create(program=program, mentee=mentee, mentor=mentor)
    text = reason_for(program, mentee).text
    assert text == "Only ruled-out pairs: the program team ruled out every mentor (1)."


def test_conflicts_of_interest_are_counted_by_cause(program: Program, mentor: Person) -> None:
    boss = new_mentor(program, "Boss")
    report = new_mentor(program, "Rory")
    mentee = new_mentee(program, "Lee", manager=boss)
    Person.objects.filter(pk=report.pk).update(manager=mentee)
    PairExclusion.objects.create(program=program, mentee=mentee, mentor=mentor)
    item = reason_for(program, mentee)
    assert item.kind == "none_eligible"
    assert item.text == (
        "No eligible mentor (3 enrolled): 1 in their reporting line, 1 reports to them, "
        "1 ruled out by the program team."
    )


def test_waiting_requests_and_pending_proposals_are_the_reason(
    program: Program, mentee: Person, mentor: Person
) -> None:
    other = new_mentee(program, "Pia")
    ask(program, mentee, mentor)
    propose(program, other, mentor, mentor_accepted=True)
    assert reason_for(program, mentee).text.startswith("Asked Max Mentor; waiting for an answer")
    assert reason_for(program, other).text == ("Proposed to Max Mentor; waiting for Pia to answer.")


def test_a_question_from_the_mentor_waits_for_the_mentee(
    program: Program, mentee: Person, mentor: Person
) -> None:
    ask(program, mentee, mentor, status="info_requested")
    assert (
        reason_for(program, mentee).text == "Max Mentor asked a question; waiting for Mia to reply."
    )


def test_without_mentors_the_overview_says_to_invite_some(program: Program, mentee: Person) -> None:
    assert reason_for(program, mentee).text == "No mentors are enrolled yet: invite some."


def test_matched_focus_areas_are_not_listed(
    program: Program, mentee: Person, mentor: Person
) -> None:
    start(program, mentee, mentor)
    assert overview.unmatched_report(program).areas == []


# ---- pages --------------------------------------------------------------------------------


def test_the_overview_links_each_count_to_the_filtered_list(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    matched = new_mentee(program, "Matt")
    start(program, matched, mentor)
    page = client_for(program_admin).get("/programs/engineering-growth/overview/")
    assert page.status_code == 200
    html = page.content.decode()
    link = "/programs/engineering-growth/enrollments/?role=mentee&amp;status=active&amp;state="
    assert f'{link}matched" aria-label="1 mentees: matched">1<' in html
    assert f'{link}unmatched" aria-label="1 mentees: unmatched">1<' in html
    assert "Mia Mentee" in html and "1 eligible mentor with a free place" in html
    assert "Matt Waiting" not in html.split('id="unmatched"')[1]

    listed = client_for(program_admin).get(
        "/programs/engineering-growth/enrollments/?role=mentee&status=active&state=matched"
    )
    assert b"Matt Waiting" in listed.content and b"Mia Mentee" not in listed.content
    assert b"1 enrollment matching the filters" in listed.content
    assert b'<option value="matched" selected>' in listed.content


def test_the_overview_filters_by_reason(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    other = new_mentee(program, "Wes")
    ask(program, other, mentor)
    page = client_for(program_admin).get("/programs/engineering-growth/overview/?reason=waiting")
    table = page.content.decode().split('id="unmatched-list"')[1]
    assert "Wes Waiting" in table and "Mia Mentee" not in table


def test_an_unknown_reason_is_named_and_every_reason_shown(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    other = new_mentee(program, "Wes")
    ask(program, other, mentor)
    page = client_for(program_admin).get("/programs/engineering-growth/overview/?reason=wating")
    text = page.content.decode()
    assert "“wating” is not one of:" in text and "Every reason is shown." in text
    assert "Wes Waiting" in text.split('id="unmatched-list"')[1]


def test_the_overview_page_costs_the_same_queries_however_many_enroll(
    client_for: Clients, program_admin: Person, program: Program, mentee: Person, mentor: Person
) -> None:
    client = client_for(program_admin)

    def queries() -> int:
        clear_people_cache()
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/programs/engineering-growth/overview/").status_code == 200
        return len(captured)

    def grow(n: int) -> None:
        for k in range(n):
            waiting, taken, asked = (new_mentee(program, f"G{k}{x}") for x in "wta")
            helper = new_mentor(program, f"H{k}")
            start(program, taken, helper)
            ask(program, asked, helper)
            ask(program, waiting, helper, status="declined")
            PairExclusion.objects.create(program=program, mentee=waiting, mentor=mentor)

    grow(2)
    small = queries()
    grow(8)
    assert queries() == small


def test_program_cards_offer_manage_to_the_programs_admins_only(
    client_for: Clients, program_admin: Person, mentee: Person, site_admin: Person
) -> None:
    manage = b'aria-label="Manage Engineering Growth"'
    assert manage in client_for(program_admin).get("/programs/").content
    assert manage in client_for(site_admin).get("/programs/").content
    assert manage not in client_for(mentee).get("/programs/").content
    other_admin = PersonFactory()
    other = Program.objects.create(name="Other", slug="other", status="enrolling")
    other.admins.add(other_admin)
    page = client_for(other_admin).get("/programs/").content
    assert manage not in page and b'aria-label="Manage Other"' in page


def test_mentees_without_a_mentor_are_listed_a_page_at_a_time_keeping_the_reason(
    client_for: Clients, program_admin: Person, program: Program, mentor: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from mentorbridge.matching import overview_views

    monkeypatch.setattr(overview_views, "UNMATCHED_PER_PAGE", 2)
    for name in ("Ann", "Bo", "Cy"):
        new_mentee(program, name)
    client = client_for(program_admin)
    url = "/programs/engineering-growth/overview/"
    first = client.get(url + "?reason=free").content.decode()
    rows = first.split('id="unmatched-list"')[1].split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 2
    assert "1–2 of 3 · page 1 of 2" in first
    assert 'href="?reason=free&amp;page=2#unmatched" rel="next"' in first
    second = client.get(url + "?reason=free&page=2").content.decode()
    assert "3–3 of 3 · page 2 of 2" in second
    assert 'href="?reason=free&amp;page=1#unmatched" rel="prev"' in second
    everyone = client.get(url + "?page=2").content.decode()
    assert 'href="?page=1#unmatched" rel="prev"' in everyone
