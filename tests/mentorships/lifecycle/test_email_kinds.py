"""Every email kind of “keeping mentorships alive”: sent once per occasion (running its trigger
again sends nothing new), to the right person only, and following the person's choice (in the
app only: the notification without the email; off: neither). Dates come from a frozen clock."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable

import pytest
import time_machine
from django.core import mail

from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.agreements import services as agreements
from mentorbridge.mentorships.appreciation.services import thank_you_send
from mentorbridge.mentorships.checkins.services import feedback_send
from mentorbridge.mentorships.goals.models import Goal
from mentorbridge.mentorships.health.services import reach_out
from mentorbridge.mentorships.lifecycle.introductions import introduction_create
from mentorbridge.mentorships.lifecycle.nudges import nudges_sweep
from mentorbridge.mentorships.lifecycle.services import mentorship_complete, mentorship_pause
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.meetings.reminders import agenda_reminders_send
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.notifications.models import Channel, Notification
from mentorbridge.notifications.services import preference_set
from mentorbridge.people.models import Person
from tests.factories import ProgramFactory
from tests.outbox.helpers import send_outbox

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)


def _at(days: int, hours: int = 0) -> datetime.datetime:
    return START + datetime.timedelta(days=days, hours=hours)


def _sweep(days: int) -> None:
    with time_machine.travel(_at(days), tick=False):
        nudges_sweep(force=True)


def _meeting(m: Mentorship, days: int) -> None:
    Meeting.objects.create(
        mentorship=m, starts_at=_at(days, 1), minutes=30, channel="phone",
        status=MeetingStatus.PLANNED, planned_by=m.mentee,
    )  # fmt: skip


def _agreement(m: Mentorship) -> datetime.date:
    with time_machine.travel(_at(1), tick=False):
        first = agreements.agreement_draft(mentorship=m, by=m.mentee)
        terms = dataclasses.replace(
            agreements.AgreementTerms.of(first), video_link="https://meet.example.com/x"
        )
        agreements.agreement_change(mentorship=m, by=m.mentee, terms=terms)
        agreements.agreement_confirm(mentorship=m, by=m.mentee, number=2)
    version = m.agreement_versions.order_by("-number").first()
    assert version is not None and version.ends_on is not None
    return version.ends_on


def _ends(m: Mentorship) -> int:
    return (_agreement(m) - START.date()).days


def _pause(m: Mentorship) -> None:
    with time_machine.travel(_at(10), tick=False):
        mentorship_pause(mentorship=m, by=m.mentee, reason="Leave", resume_on=_at(20).date())


def _goal_review(m: Mentorship) -> None:
    ends = _ends(m)
    Goal.objects.create(mentorship=m, description="Lead a review", created_by=m.mentee)
    _sweep(ends // 2 + 1)


def _complete(m: Mentorship) -> None:
    ProgramFactory(name="Reverse Mentoring", slug="reverse-mentoring", status="enrolling")
    with time_machine.travel(_at(100), tick=False):
        mentorship_complete(mentorship=m, ends_on=_at(99).date())


def _meeting_tomorrow(m: Mentorship) -> None:
    _meeting(m, 11)
    with time_machine.travel(_at(10, 2), tick=False):
        agenda_reminders_send()


# kind → (what makes it happen, who gets it)
Trigger = Callable[[Mentorship], None]
KINDS: dict[str, tuple[Trigger, set[str]]] = {
    "meeting_tomorrow": (_meeting_tomorrow, {"mentee", "mentor"}),
    "prepare_agenda": (lambda m: (_meeting(m, 12), _sweep(10)), {"mentee", "mentor"}),
    "log_meeting": (lambda m: (_meeting(m, 12), _sweep(13)), {"mentee", "mentor"}),
    "no_meeting": (lambda m: _sweep(46), {"mentee", "mentor"}),
    "checkin_due": (lambda m: _sweep(30), {"mentee", "mentor"}),
    "goal_review_due": (_goal_review, {"mentee", "mentor"}),
    "action_items_overdue": (
        lambda m: (
            ActionItem.objects.create(
                mentorship=m,
                owner=m.mentor,
                title="Send the article",
                created_by=m.mentee,
                due_on=_at(20).date(),
            ),
            _sweep(21),
        ),
        {"mentor"},
    ),
    "agreement_waiting": (lambda m: (_agreement(m), _sweep(3)), {"mentor"}),
    "ending_soon": (lambda m: _sweep(_ends(m) - 14), {"mentee", "mentor"}),
    "pause_ending": (lambda m: (_pause(m), _sweep(19)), {"mentee", "mentor"}),
    "resume_or_extend": (lambda m: (_pause(m), _sweep(20)), {"mentee"}),
    "paused": (_pause, {"mentor"}),
    "thank_you": (
        lambda m: thank_you_send(mentorship=m, by=m.mentee, message="Thank you!"),
        {"mentor"},
    ),
    "feedback": (
        lambda m: feedback_send(
            mentorship=m, by=m.mentor, going_well="Your questions", could_be_better=""
        ),
        {"mentee"},
    ),
    "introduction": (
        lambda m: introduction_create(
            mentorship=m, by=m.mentor, colleague=m.program.admins.get(), note="Talk"
        ),
        {"program_admin"},
    ),
    "closure": (_complete, {"mentee", "mentor"}),
    "pay_it_forward": (_complete, {"mentee"}),
    "program_team": (
        lambda m: reach_out(
            mentorship=m,
            by=m.program.admins.get(),
            to="mentee",
            subject="Hello",
            message="How is it going?",
        ),
        {"mentee"},
    ),
}
#: Kinds a daily task sends: running the task again the same day sends nothing new.
SWEPT = {
    "prepare_agenda": 10, "log_meeting": 13, "no_meeting": 46, "checkin_due": 30,
    "action_items_overdue": 21, "agreement_waiting": 3, "pause_ending": 19,
    "resume_or_extend": 20,
}  # fmt: skip


@pytest.fixture
def people(
    mentorship: Mentorship, mentee: Person, mentor: Person, program_admin: Person
) -> dict[str, Person]:
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=START)
    mentorship.refresh_from_db()
    return {"mentee": mentee, "mentor": mentor, "program_admin": program_admin}


def _emails(kind: str, person: Person) -> list[str]:
    titles = set(
        Notification.objects.filter(recipient=person.user, kind=kind).values_list(
            "title", flat=True
        )
    )
    return [e.subject for e in mail.outbox if e.to == [person.email] and e.subject in titles]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_is_emailed_once_to_the_right_people(
    kind: str, mentorship: Mentorship, people: dict[str, Person]
) -> None:
    trigger, recipients = KINDS[kind]
    trigger(mentorship)
    if kind in SWEPT:
        _sweep(SWEPT[kind])  # the day's task again
    send_outbox()
    for name, person in people.items():
        got = Notification.objects.filter(recipient=person.user, kind=kind).count()
        assert got == (1 if name in recipients else 0), (kind, name)
        assert len(_emails(kind, person)) == got, (kind, name)
        if got:
            [email] = [e for e in mail.outbox if e.to == [person.email] and e.subject in
                       _emails(kind, person)]  # fmt: skip
            assert "List-Unsubscribe" in email.extra_headers
            assert email.alternatives, "HTML with a plain-text part"


@pytest.mark.parametrize("channel", [Channel.IN_APP, Channel.OFF])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_follows_the_persons_choice(
    kind: str, channel: str, mentorship: Mentorship, people: dict[str, Person]
) -> None:
    trigger, recipients = KINDS[kind]
    for name in recipients:
        preference_set(user=people[name].user, kind=kind, channel=channel)
    trigger(mentorship)
    send_outbox()
    for name in recipients:
        person = people[name]
        stored = Notification.objects.filter(recipient=person.user, kind=kind).count()
        assert stored == (1 if channel == Channel.IN_APP else 0), (kind, name)
        assert not [e for e in mail.outbox if e.to == [person.email]
                    and kind in e.extra_headers.get("List-Unsubscribe", "")], (kind, name)  # fmt: skip
        assert not _emails(kind, person), (kind, name)
