"""Meetings for the demo's mentorships, so the workspace looks lived in: Maria's pair met
every two weeks (one meeting missed) with agendas, shared and private notes and action items,
one still open and one overdue, and their next meeting is the day after tomorrow; the pair
whose goal review is due missed their last two meetings; the ended pair met until the end;
the pair waiting for the agreement has its first meeting planned.

Built through the meetings services, then dated back. Runs once: it seeds a program whose
mentorships have no meetings yet.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.actions.services import action_item_add, action_item_done
from mentorbridge.mentorships.agreements.selectors import AgreementStage, agreement_state
from mentorbridge.mentorships.health.store import health_refresh
from mentorbridge.mentorships.meetings.models import AgendaItem, Meeting, MeetingStatus
from mentorbridge.mentorships.meetings.services import (
    agenda_item_add,
    meeting_log,
    meeting_plan,
    meeting_plan_series,
)
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.notes.models import SharedNote
from mentorbridge.mentorships.notes.services import private_note_save, shared_note_add
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.programs.models import Program

#: What a pair talks about, meeting after meeting: (agenda by the mentee, by the mentor,
#: shared note, the mentee's private note, an action item for the mentee).
TOPICS = [
    ("How do I say no to extra work without sounding lazy?", "Your last two weeks: one win",
     "Talked about saying no with a reason and an alternative. Mia will try it on Monday.",
     "I was nervous to ask this. Glad I did.", "Say no once, with an alternative"),
    ("Feedback on my design doc draft", "What would you do differently next time?",
     "Went through the doc: the problem statement is strong, the options need numbers.",
     "Need to stop apologising in docs.", "Add cost estimates to the three options"),
    ("How did you prepare your first tech talk?", "Shipped the migration: celebrate!",
     "Max shared how he rehearses: out loud, twice, to one friendly person.",
     "Maybe the guild meetup in spring?", "Pick a topic for a 10-minute talk"),
    ("Navigating a disagreement with another team", "Reading: 'Thanks for the Feedback'",
     "Mapped who decides what. Next time: ask for the decision owner early.",
     "The other lead isn't the problem, the unclear ownership is.",
     "Ask who owns the API decision"),
    ("Review of my quarter goals", "Which milestone is next?",
     "Both goals on track; the network goal changed (see goal review).",
     "Feeling good about this mentorship.", "Book two coffees with other departments"),
]  # fmt: skip


def _ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _held(m: Mentorship, days_ago: float, n: int, *, done: bool = True) -> Meeting:
    """A meeting that happened with its agenda, notes and an action item."""
    ask, bring, shared, private, action = TOPICS[n % len(TOPICS)]
    meeting = meeting_plan(mentorship=m, by=m.mentee, starts_at=timezone.now() + _LATER)
    # The invitation went out back then: no email about it now.
    OutboxMessage.objects.filter(key__startswith=f"meeting:{meeting.pk}:").delete()
    agenda_item_add(meeting=meeting, by=m.mentee, text=ask, kind="question")
    agenda_item_add(meeting=meeting, by=m.mentor, text=bring, kind="topic")
    start = _ago(days_ago).replace(minute=0, second=0, microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, status=MeetingStatus.HELD, created_at=start - datetime.timedelta(days=5)
    )
    AgendaItem.objects.filter(meeting=meeting).update(created_at=start - datetime.timedelta(days=2))
    shared_note_add(meeting=meeting, by=m.mentor, text=shared)
    SharedNote.objects.filter(meeting=meeting).update(created_at=start, updated_at=start)
    private_note_save(meeting=meeting, by=m.mentee, text=private)
    item = action_item_add(
        mentorship=m, by=m.mentor, title=action, owner=m.mentee, meeting=meeting,
        due_on=(start + datetime.timedelta(days=10)).date(),
    )  # fmt: skip
    ActionItem.objects.filter(pk=item.pk).update(created_at=start)
    if done:
        action_item_done(item=item, by=m.mentee)
        ActionItem.objects.filter(pk=item.pk).update(done_at=start + datetime.timedelta(days=6))
    return meeting


_LATER = datetime.timedelta(days=400)  # planned far ahead first, then dated back


def _missed(m: Mentorship, days_ago: float) -> Meeting:
    meeting = meeting_log(mentorship=m, by=m.mentee, starts_at=_ago(days_ago))
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.MISSED, logged=False, status_note="Both of us were double-booked."
    )
    return meeting


def _lived_in(m: Mentorship) -> None:
    """Every two weeks since the agreement; one missed; two items still open (one overdue);
    the next meeting the day after tomorrow with the mentee's agenda started, then a series."""
    days = [88, 74, 60, 46, 32, 18, 4]
    for n, days_ago in enumerate(days):
        if days_ago == 46:
            _missed(m, days_ago)
            continue
        _held(m, days_ago, n, done=days_ago > 18)
    soon = (timezone.localtime() + datetime.timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    first, *_ = meeting_plan_series(mentorship=m, by=m.mentee, first_starts_at=soon, count=3)
    agenda_item_add(
        meeting=first, by=m.mentee, text="Practise my tech talk intro", kind="challenge"
    )


def _review_due(m: Mentorship) -> None:
    """Met for a while, then missed the last two meetings: nothing planned."""
    for n, days_ago in enumerate([95, 81, 67, 53]):
        _held(m, days_ago, n)
    _missed(m, 39)
    _missed(m, 25)


def _ended(m: Mentorship) -> None:
    for n, days_ago in enumerate(range(180, 8, -28)):
        _held(m, days_ago, n)


def _first_meeting(m: Mentorship) -> None:
    start = (timezone.localtime() + datetime.timedelta(days=5)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    meeting_plan(mentorship=m, by=m.mentor, starts_at=start)


@transaction.atomic
def seed_meetings(program: Program) -> int:
    """Meetings for the program's demo mentorships (0 when they already have meetings);
    returns how many meetings were made."""
    mentorships = list(Mentorship.objects.filter(program=program).order_by("started_at"))
    if not mentorships or Meeting.objects.filter(mentorship__program=program).exists():
        return 0
    for m in mentorships:
        stage = agreement_state(m).stage
        if m.status == "ended":
            _reopen_for_seeding(m, _ended)
        elif stage is AgreementStage.AWAITING:
            _first_meeting(m)
        elif stage is AgreementStage.CONFIRMED and m.mentor.user.email.startswith("maria."):
            _lived_in(m)
        elif stage is AgreementStage.CONFIRMED:
            _review_due(m)
    return Meeting.objects.filter(mentorship__program=program).count()


def _reopen_for_seeding(m: Mentorship, build: object) -> None:
    """An ended mentorship's history is written while it was live, then it ends again."""
    status, ended_at = m.status, m.ended_at
    Mentorship.objects.filter(pk=m.pk).update(status="active")
    m.status = "active"
    assert callable(build)
    build(m)
    Mentorship.objects.filter(pk=m.pk).update(status=status, ended_at=ended_at)
    m.status = status
    health_refresh([m.pk])  # no save signal above: its stored health goes with its status
