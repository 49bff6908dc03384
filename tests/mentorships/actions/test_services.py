"""Action items: owners, due dates, done and reopened, overdue, carried over to the next
meeting's agenda until done."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentorbridge.mentorships.actions import services
from mentorbridge.mentorships.actions.selectors import (
    carried_over_items,
    open_action_items,
    overdue_action_items,
)
from mentorbridge.mentorships.meetings import services as meetings
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def test_open_items_carry_over_to_every_next_meeting_until_done(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    held = meetings.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(days=7)
    )
    item = services.action_item_add(
        mentorship=mentorship, by=mentor, title="Draft the RFC", owner=mentee, meeting=held,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )  # fmt: skip
    coming = meetings.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=7)
    )
    assert list(carried_over_items(coming)) == [item]
    assert list(carried_over_items(held)) == []
    services.action_item_done(item=item, by=mentee)
    assert list(carried_over_items(coming)) == []
    services.action_item_reopen(item=item, by=mentor)
    assert list(carried_over_items(coming)) == [item]


def test_an_item_past_its_due_date_is_overdue(mentorship: Mentorship, mentee: Person) -> None:
    mentorship.started_at -= datetime.timedelta(days=30)
    mentorship.save(update_fields=["started_at"])
    today = timezone.localdate()
    late = services.action_item_add(
        mentorship=mentorship, by=mentee, title="Late", owner=mentee,
        due_on=today - datetime.timedelta(days=1),
    )  # fmt: skip
    services.action_item_add(
        mentorship=mentorship, by=mentee, title="Today", owner=mentee, due_on=today
    )
    services.action_item_add(mentorship=mentorship, by=mentee, title="Someday", owner=mentee)
    assert list(overdue_action_items(mentorship)) == [late]
    assert len(open_action_items(mentorship)) == 3


def test_an_item_belongs_to_one_of_the_mentorships_people(
    mentorship: Mentorship, mentee: Person, outsider: Person
) -> None:
    with pytest.raises(ValidationError, match="Olga Outsider is not in this mentorship"):
        services.action_item_add(mentorship=mentorship, by=mentee, title="x", owner=outsider)
    with pytest.raises(ValidationError, match="Say in a few words"):
        services.action_item_add(mentorship=mentorship, by=mentee, title=" ", owner=mentee)
    assert not open_action_items(mentorship).exists()


def test_an_item_is_done_once(mentorship: Mentorship, mentee: Person) -> None:
    item = services.action_item_add(mentorship=mentorship, by=mentee, title="Read", owner=mentee)
    services.action_item_done(item=item, by=mentee)
    with pytest.raises(ValidationError, match="already done"):
        services.action_item_done(item=item, by=mentee)


def test_an_item_cannot_be_due_before_the_mentorship_started(
    mentorship: Mentorship, mentee: Person
) -> None:
    start = timezone.localdate(mentorship.started_at)
    with pytest.raises(ValidationError) as refused:
        services.action_item_add(
            mentorship=mentorship, by=mentee, title="Draft the RFC", owner=mentee,
            due_on=datetime.date(1999, 1, 1),
        )  # fmt: skip
    assert refused.value.message_dict == {"due_on": [services.DUE_BEFORE_START.format(start=start)]}
    assert not open_action_items(mentorship).exists()
    services.action_item_add(
        mentorship=mentorship, by=mentee, title="Draft the RFC", owner=mentee, due_on=start
    )
    assert open_action_items(mentorship).get().due_on == start
