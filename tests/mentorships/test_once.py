"""A record sent twice (a double click, a retry) is made once: the second send finds the first
and says so; the same text later, or other text, is a new record."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.actions.services import action_item_add
from mentorbridge.mentorships.appreciation.services import thank_you_send
from mentorbridge.mentorships.checkins.services import feedback_send
from mentorbridge.mentorships.goals.services import goal_create, milestone_add
from mentorbridge.mentorships.health.services import reach_out
from mentorbridge.mentorships.meetings.services import agenda_item_add, meeting_plan
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.notes.services import shared_note_add
from mentorbridge.mentorships.once import JUST_SENT, AlreadySent
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

Send = Callable[[Mentorship, Person, Person, str], Model | list[Any]]


def _meeting(mentorship: Mentorship, by: Person) -> Any:
    day = timezone.localdate() + datetime.timedelta(days=3)
    starts = datetime.datetime.combine(day, datetime.time(15), tzinfo=zoneinfo.ZoneInfo("UTC"))
    return meeting_plan(mentorship=mentorship, by=by, starts_at=starts)


SENDS: dict[str, Send] = {
    "a thank-you note": lambda m, by, other, text: thank_you_send(
        mentorship=m, by=by, message=text
    ),
    "feedback": lambda m, by, other, text: feedback_send(
        mentorship=m, by=by, going_well=text, could_be_better=""
    ),
    "an action item": lambda m, by, other, text: action_item_add(
        mentorship=m, by=by, title=text, owner=by
    ),
    "a goal": lambda m, by, other, text: goal_create(mentorship=m, by=by, description=text),
    "a milestone": lambda m, by, other, text: milestone_add(
        goal=m.goals.get_or_create(description="Lead a project", defaults={"created_by": by})[0],
        by=by,
        title=text,
    ),
    "an agenda item": lambda m, by, other, text: agenda_item_add(
        meeting=m.meetings.get(), by=by, text=text
    ),
    "a shared note": lambda m, by, other, text: shared_note_add(
        meeting=m.meetings.get(), by=by, text=text
    ),
    "an email from the program team": lambda m, by, other, text: reach_out(
        mentorship=m, by=by, to="mentee", subject="How is it going?", message=text
    ),
}


@pytest.fixture
def planned(mentorship: Mentorship, mentee: Person) -> Mentorship:
    _meeting(mentorship, mentee)
    return mentorship


@pytest.mark.parametrize("kind", list(SENDS))
def test_the_same_record_sent_twice_is_made_once_and_the_second_send_says_already(
    kind: str, planned: Mentorship, mentee: Person, mentor: Person
) -> None:
    send = SENDS[kind]
    first = send(planned, mentee, mentor, "Thank you for the review tips")
    with pytest.raises(AlreadySent, match="already") as already:
        send(planned, mentee, mentor, "Thank you for the review tips")
    made = first[0] if isinstance(first, list) else first
    assert already.value.existing == made
    assert type(made).objects.count() == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", list(SENDS))
def test_other_text_or_the_same_text_later_is_a_new_record(
    kind: str, planned: Mentorship, mentee: Person, mentor: Person
) -> None:
    send = SENDS[kind]
    first = send(planned, mentee, mentor, "Thank you for the review tips")
    send(planned, mentee, mentor, "And for the talk on Friday")
    with time_machine.travel(timezone.now() + JUST_SENT + datetime.timedelta(seconds=1)):
        send(planned, mentee, mentor, "Thank you for the review tips")
    made = first[0] if isinstance(first, list) else first
    assert type(made).objects.count() == 3  # type: ignore[attr-defined]


def test_an_already_sent_record_is_a_plain_refusal_for_callers_that_know_no_better(
    planned: Mentorship, mentee: Person, mentor: Person
) -> None:
    thank_you_send(mentorship=planned, by=mentee, message="Thanks!")
    with pytest.raises(ValidationError, match=r"You already sent Max this thank-you note\."):
        thank_you_send(mentorship=planned, by=mentee, message="  Thanks!  ")


def test_a_thank_you_note_posted_three_times_quickly_makes_one_note_and_says_so(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    client = client_for(mentee)
    url = f"/mentorships/{mentorship.pk}/thanks/"
    answers = [client.post(url, {"message": "Thank you, Max"}) for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert mentorship.thank_you_notes.count() == 1
    page = client.get(answers[-1]["Location"]).content.decode()
    assert "You already sent Max this thank-you note." in page


def test_the_api_refuses_an_action_item_posted_twice_with_422_naming_the_first(
    mentorship: Mentorship, mentee: Person, client_for: Callable[[Person | None], Client]
) -> None:
    client = client_for(mentee)
    url = f"/api/v1/mentorships/{mentorship.pk}/action-items"
    body = {"title": "Read the design doc", "owner": mentee.employee_id}
    first = client.post(url, body, content_type="application/json")
    second = client.post(url, body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 422), second.content
    assert "already on the list" in second.json()["detail"]
    assert mentorship.action_items.count() == 1


def test_the_same_email_to_the_mentee_then_to_both_reaches_the_mentor_and_not_the_mentee_again(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    email = {"subject": "How is it going?", "message": "Tell us in a line or two."}
    reach_out(mentorship=mentorship, by=None, to="mentee", **email)
    sent = reach_out(mentorship=mentorship, by=None, to="both", **email)
    assert [s.to for s in sent] == [mentor]
    assert sorted(r.to.pk for r in mentorship.reach_outs.all()) == sorted([mentee.pk, mentor.pk])
    with pytest.raises(AlreadySent, match="already sent"):
        reach_out(mentorship=mentorship, by=None, to="both", **email)


def test_a_meeting_planned_twice_is_planned_once(mentorship: Mentorship, mentee: Person) -> None:
    first = _meeting(mentorship, mentee)
    with pytest.raises(AlreadySent, match="already planned") as already:
        _meeting(mentorship, mentee)
    assert already.value.existing == first
    assert mentorship.meetings.count() == 1


def test_the_same_action_item_for_another_meeting_or_due_day_is_a_new_item(
    mentorship: Mentorship, mentee: Person
) -> None:
    first = _meeting(mentorship, mentee)
    second = meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=first.starts_at + datetime.timedelta(days=1)
    )
    day = timezone.localdate() + datetime.timedelta(days=10)
    item = {"mentorship": mentorship, "by": mentee, "title": "Send the notes", "owner": mentee}
    action_item_add(**item, meeting=first, due_on=day)
    action_item_add(**item, meeting=second, due_on=day)
    action_item_add(**item, meeting=second, due_on=day + datetime.timedelta(days=7))
    with pytest.raises(AlreadySent, match="already on the list"):
        action_item_add(**item, meeting=second, due_on=day)
    assert mentorship.action_items.count() == 3
