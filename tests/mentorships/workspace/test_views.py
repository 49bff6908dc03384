"""The mentorship page: who, since when, the next step in words, and each section; and the
ways in (program page, acceptance message, emails)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mentorbridge.core.clock import DAY, on_clock, zone_of
from mentorbridge.matching.services import requests as request_services
from mentorbridge.mentorships.agreements import services as agreement_services
from mentorbridge.mentorships.agreements.selectors import agreement_state
from mentorbridge.mentorships.goals import services as goal_services
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_end
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.outbox.services import message_deliver
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db


def deliver_stored(kind: str) -> int:
    """Send the stored outbox emails of one kind, as the worker would; how many were sent."""
    messages = OutboxMessage.objects.filter(key__startswith=f"{kind}:").order_by("pk")
    for message in messages:
        message_deliver(message_id=message.pk)
    return len(messages)


def _page(client: Client, mentorship: Mentorship) -> str:
    response = client.get(f"/mentorships/{mentorship.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _meeting(mentorship: Mentorship, *, days_ago: int, status: str) -> Meeting:
    return Meeting.objects.create(
        mentorship=mentorship, starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        minutes=30, channel="phone", status=status, planned_by=mentorship.mentee,
    )  # fmt: skip


def _confirmed_agreement(mentorship: Mentorship, mentee: Person, mentor: Person) -> None:
    agreement_services.agreement_draft(mentorship=mentorship, by=mentee)
    latest = agreement_state(mentorship).latest
    assert latest is not None
    terms = dataclasses.replace(
        agreement_services.AgreementTerms.of(latest), video_link="https://meet.example.com/x"
    )
    agreement_services.agreement_change(mentorship=mentorship, by=mentee, terms=terms)
    for person in (mentee, mentor):
        agreement_services.agreement_confirm(mentorship=mentorship, by=person, number=2)


def test_the_page_says_who_since_when_and_the_focus_area(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    page = _page(client_for(mentee), mentorship)
    assert "Mentored by Max Mentor" in page
    assert mentorship.focus_area.title in page
    # the day on the reader's clock: late in the UTC evening it is already tomorrow in Berlin
    assert f"since {on_clock(mentorship.started_at, zone_of(mentee), DAY)}" in page
    assert "No agreement yet" in page and "No goals yet" in page


def test_the_next_step_walks_the_pair_from_agreement_to_goals(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    assert "Agree on how you&#x27;ll work together" in _page(client_for(mentee), mentorship)
    agreement_services.agreement_draft(mentorship=mentorship, by=mentee)
    assert "Read and confirm the agreement" in _page(client_for(mentor), mentorship)
    latest = agreement_state(mentorship).latest
    assert latest is not None
    terms = dataclasses.replace(
        agreement_services.AgreementTerms.of(latest), video_link="https://meet.example.com/x"
    )
    agreement_services.agreement_change(mentorship=mentorship, by=mentor, terms=terms)
    for person in (mentee, mentor):
        agreement_services.agreement_confirm(mentorship=mentorship, by=person, number=2)
    assert "Set your first goals" in _page(client_for(mentor), mentorship)
    goal = goal_services.goal_create(mentorship=mentorship, by=mentee, description="Speak up")
    assert "Break your goals into milestones" in _page(client_for(mentee), mentorship)
    goal_services.milestone_add(goal=goal, by=mentee, title="Once in planning")
    assert "Plan your first meeting" in _page(client_for(mentee), mentorship)


def test_the_one_who_confirmed_waits_for_the_other_and_is_told_so(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    goal = goal_services.goal_create(
        mentorship=mentorship, by=mentee, description="Speak up", milestones=["Once"]
    )
    assert goal.pk
    agreement_services.agreement_draft(mentorship=mentorship, by=mentee)
    agreement_services.agreement_change(
        mentorship=mentorship, by=mentee,
        terms=dataclasses.replace(
            agreement_services.AgreementTerms.of(agreement_state(mentorship).latest),  # type: ignore[arg-type]
            channel="phone",
        ),
    )  # fmt: skip
    agreement_services.agreement_confirm(mentorship=mentorship, by=mentee, number=2)
    assert "Wait for Max to confirm the agreement" in _page(client_for(mentee), mentorship)


def test_a_goal_review_is_prompted_at_the_midpoint(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
    program: Program,
) -> None:
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=timezone.now() - datetime.timedelta(weeks=program.default_duration_weeks // 2)
    )
    mentorship.refresh_from_db()
    _confirmed_agreement(mentorship, mentee, mentor)
    goal_services.goal_create(
        mentorship=mentorship, by=mentee, description="Speak up", milestones=["Once"]
    )
    _meeting(mentorship, days_ago=5, status=MeetingStatus.HELD)  # they meet: not at risk
    page = _page(client_for(mentee), mentorship)
    assert "Review your goals together" in page and "You're halfway." in page


def test_a_pair_at_risk_for_not_meeting_is_told_to_plan_a_meeting_before_reviewing_goals(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
    program: Program,
) -> None:
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=timezone.now() - datetime.timedelta(weeks=program.default_duration_weeks // 2)
    )
    mentorship.refresh_from_db()
    _confirmed_agreement(mentorship, mentee, mentor)
    goal_services.goal_create(
        mentorship=mentorship, by=mentee, description="Speak up", milestones=["Once"]
    )
    last = _meeting(mentorship, days_ago=53, status=MeetingStatus.HELD)
    _meeting(mentorship, days_ago=30, status=MeetingStatus.MISSED)
    _meeting(mentorship, days_ago=20, status=MeetingStatus.MISSED)
    page = _page(client_for(mentor), mentorship)
    assert "Review your goals together" not in page
    assert "Plan your next meeting" in page
    assert f"No meeting for 53 days (last one {last.starts_at.date():%-d %b %Y})." in page
    assert "2 meetings missed in a row. Talk about what gets in the way" in page
    assert f'href="/mentorships/{mentorship.pk}/meetings/plan/"' in page


def test_a_pair_that_never_met_is_told_to_plan_its_first_meeting_when_at_risk(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
) -> None:
    Mentorship.objects.filter(pk=mentorship.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=50)
    )
    page = _page(client_for(mentee), mentorship)
    assert "Agree on how you&#x27;ll work together" not in page
    assert "Plan your first meeting" in page
    assert "No meeting held in the 50 days since it started. Pick a time that suits you both." in (
        page
    )


def test_an_ended_mentorship_is_read_only(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    goal_services.goal_create(mentorship=mentorship, by=mentee, description="Speak up")
    mentorship_end(mentorship=mentorship, by=mentee, reason="Done")
    client = client_for(mentee)
    page = _page(client, mentorship)
    assert "This mentorship has ended" in page
    assert "Add milestone" not in page and "Draft the agreement" not in page
    response = client.post(f"/mentorships/{mentorship.pk}/agreement/draft/", follow=True)
    assert (
        "has ended: its agreement and goals can be read, not changed" in response.content.decode()
    )


def test_the_program_page_links_each_of_your_mentorships(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    page = client_for(mentee).get("/programs/engineering-growth/").content.decode()
    assert f'href="/mentorships/{mentorship.pk}/"' in page


def test_accepting_a_request_links_the_new_mentorship_in_the_message_and_the_email(
    client_for: Callable[[Person | None], Client],
    program: Program,
    mentee: Person,
    mentor: Person,
) -> None:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    ask = request_services.request_create(
        mentee=mentee, mentor=mentor, focus_area=area, message="Hello"
    )
    response = client_for(mentor).post(f"/mentoring/requests/{ask.pk}/accept/", follow=True)
    started = Mentorship.objects.get()
    assert f'<a href="/mentorships/{started.pk}/">Open your mentorship</a>' in (
        response.content.decode()
    )
    deliver_stored("request_accepted")
    [email] = mail.outbox
    assert f"/mentorships/{started.pk}/" in email.body


def test_both_people_are_emailed_a_link_when_a_proposal_starts_a_mentorship(
    program: Program, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    from mentorbridge.matching.services import rounds

    first = rounds.round_start(program=program, by=program_admin)
    rounds.round_publish(matching_round=first, by=program_admin)
    proposal = first.proposals.get()
    rounds.proposal_answer(proposal=proposal, by=mentee, accept=True)
    rounds.proposal_answer(proposal=proposal, by=mentor, accept=True)
    started = Mentorship.objects.get()
    assert deliver_stored("mentorship_started") == 2
    assert {tuple(e.to) for e in mail.outbox} == {("mia@example.com",), ("max@example.com",)}
    assert all(f"/mentorships/{started.pk}/" in e.body for e in mail.outbox)


def test_the_home_page_and_my_mentoring_link_each_mentorship(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentor: Person
) -> None:
    client = client_for(mentor)
    for url in ("/", "/mentoring/mine/"):
        page = client.get(url).content.decode()
        assert f'href="/mentorships/{mentorship.pk}/"' in page, url


def test_the_start_date_is_the_viewers_day(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    late = datetime.datetime(2026, 3, 4, 23, 30, tzinfo=datetime.UTC)
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=late)
    mentee.timezone = "Asia/Tokyo"
    mentee.save()
    page = _page(client_for(mentee), mentorship)
    assert "since 5 Mar 2026" in page and "since 4 Mar 2026" not in page
