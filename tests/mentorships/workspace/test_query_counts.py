"""The mentorship page reads a fixed number of queries, however long its history."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mentorbridge.mentorships.agreements import services as agreement_services
from mentorbridge.mentorships.agreements.selectors import agreement_state
from mentorbridge.mentorships.goals import services as goal_services
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def _grow(mentorship: Mentorship, mentee: Person, mentor: Person, n: int) -> None:
    """n more agreement versions (each confirmed by one) and n goals with 3 milestones."""
    for i in range(n):
        latest = agreement_state(mentorship).latest
        assert latest is not None
        terms = dataclasses.replace(
            agreement_services.AgreementTerms.of(latest),
            video_link=f"https://meet.example.com/{latest.number}",
        )
        version = agreement_services.agreement_change(mentorship=mentorship, by=mentor, terms=terms)
        agreement_services.agreement_confirm(
            mentorship=mentorship, by=mentee, number=version.number
        )
        goal = goal_services.goal_create(
            mentorship=mentorship, by=mentee, description=f"Goal {latest.number}-{i}",
            milestones=["One", "Two", "Three"],
        )  # fmt: skip
        first = goal.milestones.first()
        assert first is not None
        goal_services.milestone_tick(milestone=first, by=mentee)


def _count(client: Client, mentorship: Mentorship) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/mentorships/{mentorship.pk}/").status_code == 200
    return len(captured)


def test_the_page_query_count_does_not_grow_with_versions_goals_and_milestones(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    agreement_services.agreement_draft(mentorship=mentorship, by=mentee)
    client = client_for(mentee)
    _grow(mentorship, mentee, mentor, 1)
    small = _count(client, mentorship)
    _grow(mentorship, mentee, mentor, 6)
    assert _count(client, mentorship) == small
    # agreement, goals, meetings, action items, notes, health (its facts), check-ins and
    # feedback, the bell, the group's members
    assert small <= 41, small
