"""The daily nudge sweep: every reminder of the day, each sent at most once per occasion.

Run by the scheduler (``run_scheduler`` queues it every batch; a ``DailyRun`` row makes every
run after the day's finished one a no-op). Each nudge names its occasion in its key
(``log_meeting:<meeting>``, ``checkin_due:<mentorship>:scheduled-2``…), so a run killed
half-way and started again sends only what the first run did not. Queries are per kind of
nudge and per 1,000 mentorships, never per mentorship; only the few mentorships that resume
or close today are written one by one, through their services.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Count, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from mentorbridge.mentorships.access import names, participants
from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.agreements.models import AgreementConfirmation, AgreementVersion
from mentorbridge.mentorships.checkins import occasions
from mentorbridge.mentorships.checkins.models import CheckIn
from mentorbridge.mentorships.goals.models import Goal, GoalReview, GoalStatus
from mentorbridge.mentorships.health.facts import facts_for
from mentorbridge.mentorships.health.models import CareSettings
from mentorbridge.mentorships.health.rules import Facts
from mentorbridge.mentorships.health.settings import care_by_program
from mentorbridge.mentorships.health.store import health_purge, health_rows, health_save
from mentorbridge.mentorships.lifecycle.selectors import REMINDER_BEFORE, with_end_dates
from mentorbridge.mentorships.lifecycle.services import (
    ANSWER_WITHIN,
    mentorship_complete,
    mentorship_resume,
    pause_question,
)
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus, members_prefetch
from mentorbridge.notifications.services import (
    Note,
    daily_run_finish,
    daily_run_start,
    notify_many,
)
from mentorbridge.people.models import Person

CHUNK = 1000
RUN_NAME = "nudges"


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    return start, start + datetime.timedelta(days=1)


#: Stand-ins for ids while an address pattern is reversed once (see :func:`_link`).
_STAND_INS = (987654301, 987654302)


@functools.cache
def _pattern(name: str, arity: int) -> str:
    path = reverse(name, args=list(_STAND_INS[:arity]))
    for i, stand_in in enumerate(_STAND_INS[:arity]):
        path = path.replace(str(stand_in), f"{{{i}}}")
    return path


def _link(name: str, *ids: int) -> str:
    """``reverse(name, args=ids)`` for the sweep's thousands of links: the pattern is reversed
    once per name, then filled (reversing each link took a fifth of the first sweep)."""
    return _pattern(name, len(ids)).format(*ids)


def _url(m: Mentorship, anchor: str = "") -> str:
    return _link("mentorships-detail", m.pk) + (f"#{anchor}" if anchor else "")


def _to(person: Person, kind: str, key: str, title: str, body: str, url: str, action: str) -> Note:
    return Note(person.user, kind, key, title, body, url, action, person.first_name)


def _both(m: Mentorship) -> list[Person]:
    """Everyone in the mentorship: the pair, or every member of a group."""
    return participants(m)


def _others(m: Mentorship, person_id: int) -> str:
    """The first names of everyone else in the mentorship (“Ana”, “Ana and Ben”)."""
    return names([p for p in participants(m) if p.pk != person_id], first=True)


@dataclasses.dataclass
class Sweep:
    today: datetime.date
    live: dict[int, Mentorship]
    notes: list[Note] = dataclasses.field(default_factory=list)

    @property
    def active(self) -> list[Mentorship]:
        return [m for m in self.live.values() if m.status == MentorshipStatus.ACTIVE]

    def add(self, notes: Iterable[Note]) -> None:
        self.notes.extend(notes)


def _meetings(s: Sweep) -> None:
    """Prepare the agenda (two days ahead, none yet); log yesterday's meeting. (The reminder
    the day before a meeting is the meetings' own: ``meetings/reminders.py``.)"""
    ahead = s.today + datetime.timedelta(days=2)
    yesterday = s.today - datetime.timedelta(days=1)
    start, _ = _day_bounds(yesterday)
    _, end = _day_bounds(ahead)
    ids = list(s.live)
    for chunk in _chunks(ids):
        meetings = (
            Meeting.objects.filter(
                mentorship_id__in=chunk,
                status=MeetingStatus.PLANNED,
                starts_at__gte=start,
                starts_at__lt=end,
            )
            .annotate(agenda=Count("agenda_items"))
            .values_list("pk", "mentorship_id", "starts_at", "agenda")
        )
        for pk, mentorship_id, starts_at, agenda in meetings:
            m = s.live[mentorship_id]
            if m.status != MentorshipStatus.ACTIVE:
                continue
            day = timezone.localdate(starts_at)
            page = _link("mentorships-meeting", m.pk, pk)
            for p in _both(m):
                other = _others(m, p.pk)
                if day == ahead and not agenda:
                    s.add(
                        [
                            _to(
                                p,
                                "prepare_agenda",
                                f"prepare_agenda:{pk}",
                                f"Prepare your meeting with {other}",
                                "Add the questions you want to bring: meetings with an agenda "
                                "go further.",
                                page,
                                "Add to the agenda",
                            )
                        ]
                    )
                elif day == yesterday:
                    s.add(
                        [
                            _to(
                                p,
                                "log_meeting",
                                f"log_meeting:{pk}",
                                f"How did yesterday's meeting with {other} go?",
                                "Mark it held or missed, and note what you agreed.",
                                page,
                                "Log the meeting",
                            )
                        ]
                    )


def _no_meeting(s: Sweep, care: dict[int, CareSettings], facts: dict[int, Facts]) -> None:
    """No meeting held for the program's threshold (default 45 days), none planned ahead."""
    ids = [m.pk for m in s.active]
    planned: set[int] = set()
    now = timezone.now()
    for chunk in _chunks(ids):
        planned.update(
            Meeting.objects.filter(
                mentorship_id__in=chunk, status=MeetingStatus.PLANNED, starts_at__gte=now
            ).values_list("mentorship_id", flat=True)
        )
    for m in s.active:
        days_allowed = care[m.program_id].no_meeting_days
        if not days_allowed or m.pk in planned:
            continue
        since = facts[m.pk].last_meeting_on or facts[m.pk].started_on
        days = (s.today - since).days
        if days < days_allowed:
            continue
        for p in _both(m):
            s.add(
                [
                    _to(
                        p,
                        "no_meeting",
                        f"no_meeting:{m.pk}:{since.isoformat()}",
                        f"You and {_others(m, p.pk)} haven't met for {days} days",
                        "A short call keeps the mentorship going: plan the next one.",
                        _link("mentorships-meeting-plan", m.pk),
                        "Plan a meeting",
                    )
                ]
            )


def _checkins(s: Sweep, care: dict[int, CareSettings]) -> None:
    """The scheduled check-in each person owes (once per occasion)."""
    due: dict[int, occasions.Occasion] = {}
    for m in s.active:
        found = occasions.latest_scheduled(
            care[m.program_id],
            timezone.localdate(m.started_at),
            s.today,
        )
        if found is not None:
            due[m.pk] = found
    answered: set[tuple[int, int, str]] = set()
    for chunk in _chunks(list(due)):
        answered.update(
            CheckIn.objects.filter(
                mentorship_id__in=chunk, occasion__startswith="scheduled-"
            ).values_list("mentorship_id", "person_id", "occasion")
        )
    for mentorship_id, occasion in due.items():
        m = s.live[mentorship_id]
        for p in _both(m):
            if (m.pk, p.pk, occasion.name) in answered:
                continue
            s.add(
                [
                    _to(
                        p,
                        "checkin_due",
                        f"checkin_due:{m.pk}:{occasion.name}",
                        "Your check-in is due: how is it going?",
                        f"{occasion.label} of your mentorship with {_others(m, p.pk)}: "
                        "satisfaction, progress and whether it's working, shared as you choose.",
                        _link("mentorships-checkin", m.pk),
                        "Check in",
                    )
                ]
            )


def _goal_reviews(s: Sweep, ends: dict[int, datetime.date]) -> None:
    """Past the middle of the mentorship with open goals and no review since."""
    ids = [m.pk for m in s.active if m.pk in ends]
    last: dict[int, datetime.datetime] = {}
    open_goals: set[int] = set()
    for chunk in _chunks(ids):
        last.update(
            GoalReview.objects.filter(mentorship_id__in=chunk)
            .values("mentorship_id")
            .annotate(last=Max("held_at"))
            .values_list("mentorship_id", "last")
        )
        open_goals.update(
            Goal.objects.filter(
                mentorship_id__in=chunk,
                status__in=[GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS],
            ).values_list("mentorship_id", flat=True)
        )
    for pk in ids:
        m = s.live[pk]
        start = timezone.localdate(m.started_at)
        midpoint = start + (ends[pk] - start) / 2
        reviewed = pk in last and timezone.localdate(last[pk]) >= midpoint
        if s.today < midpoint or pk not in open_goals or reviewed:
            continue
        for p in _both(m):
            s.add(
                [
                    _to(
                        p,
                        "goal_review_due",
                        f"goal_review_due:{pk}:{midpoint.isoformat()}",
                        "Halfway: time to review your goals",
                        f"Keep, change, tick off or drop each goal together with "
                        f"{_others(m, p.pk)}.",
                        _link("mentorships-goal-review", pk),
                        "Review goals",
                    )
                ]
            )


def _action_items(s: Sweep) -> None:
    """Action items that became overdue (due yesterday), to their owner."""
    yesterday = s.today - datetime.timedelta(days=1)
    ids = [m.pk for m in s.active]
    for chunk in _chunks(ids):
        for pk, mentorship_id, owner_id, title in ActionItem.objects.filter(
            mentorship_id__in=chunk, done_at__isnull=True, due_on=yesterday
        ).values_list("pk", "mentorship_id", "owner_id", "title"):
            m = s.live[mentorship_id]
            owner = next((p for p in participants(m) if p.pk == owner_id), None)
            if owner is None:  # left the group since
                continue
            s.add(
                [
                    _to(
                        owner,
                        "action_items_overdue",
                        f"action_overdue:{pk}",
                        f"Overdue: {title}",
                        "It was due yesterday. Done? Tick it off; otherwise give it a new date.",
                        _url(m, "actions"),
                        "See your action items",
                    )
                ]
            )


def _agreements(s: Sweep) -> None:
    """The latest agreement version waits for someone's confirmation (from its next day)."""
    ids = [m.pk for m in s.active]
    latest = AgreementVersion.objects.filter(mentorship_id=OuterRef("mentorship_id")).order_by(
        "-number"
    )
    before = _day_bounds(s.today)[0]
    for chunk in _chunks(ids):
        versions = list(
            AgreementVersion.objects.filter(
                mentorship_id__in=chunk,
                created_at__lt=before,
                pk=Subquery(latest.values("pk")[:1]),
            ).values_list("pk", "mentorship_id", "number")
        )
        confirmed: dict[int, set[int]] = defaultdict(set)
        for version_id, person_id in AgreementConfirmation.objects.filter(
            version_id__in=[v[0] for v in versions]
        ).values_list("version_id", "person_id"):
            confirmed[version_id].add(person_id)
        for version_id, mentorship_id, number in versions:
            m = s.live[mentorship_id]
            for p in _both(m):
                if p.pk in confirmed[version_id]:
                    continue
                s.add(
                    [
                        _to(
                            p,
                            "agreement_waiting",
                            f"agreement_waiting:{version_id}",
                            f"Your agreement (version {number}) waits for you",
                            f"Read it and confirm, or change what doesn't fit; it is in force "
                            f"once you and {_others(m, p.pk)} both confirm.",
                            _url(m, "agreement"),
                            "Read the agreement",
                        )
                    ]
                )


def _endings(s: Sweep, ends: dict[int, datetime.date]) -> tuple[list[int], list[Mentorship]]:
    """Two weeks before the end date: remind both. Past it, after reminding: close."""
    remind, close = [], []
    for pk, ends_on in ends.items():
        m = s.live[pk]
        if s.today >= ends_on - REMINDER_BEFORE and m.end_reminded_on is None:
            remind.append(pk)
            for p in _both(m):
                s.add(
                    [
                        _to(
                            p,
                            "ending_soon",
                            f"ending_soon:{pk}:{ends_on.isoformat()}",
                            f"Your mentorship ends on {ends_on:%-d %b %Y}",
                            "Plan a closing conversation: what you reached, what's next, and "
                            "whether you'll stay in touch. The closure step guides you.",
                            _link("mentorships-closure", pk),
                            "Open the closure step",
                        )
                    ]
                )
        elif s.today > ends_on and m.end_reminded_on is not None:
            close.append(m)
    return remind, close


def _pauses(s: Sweep) -> tuple[list[int], list[Mentorship]]:
    """The day before a pause ends, tell both. On the resume date, ask the person who paused:
    resume now or extend? Nobody answering within a week resumes it."""
    asked, resume = [], []
    tomorrow = s.today + datetime.timedelta(days=1)
    for m in s.live.values():
        if m.status != MentorshipStatus.PAUSED or m.resume_on is None:
            continue
        if m.resume_asked_on is not None:
            if s.today >= m.resume_asked_on + ANSWER_WITHIN:
                resume.append(m)
        elif m.resume_on <= s.today:
            asked.append(m.pk)
            s.add(pause_question(m))
        elif m.resume_on == tomorrow:
            for p in _both(m):
                s.add(
                    [
                        _to(
                            p,
                            "pause_ending",
                            f"pause_ending:{m.pk}:{m.resume_on.isoformat()}",
                            "Your mentorship's pause ends tomorrow",
                            f"The pause ends on {m.resume_on:%-d %b %Y}: "
                            + (
                                "you'll be asked whether to resume or extend it."
                                if p.pk == m.paused_by_id
                                else "plan your next meeting."
                            ),
                            _url(m),
                            "Open the mentorship",
                        )
                    ]
                )
    return asked, resume


def nudges_sweep(*, today: datetime.date | None = None, force: bool = False) -> dict[str, int]:
    """Run the day's nudges; a second run the same day does nothing (``force`` runs again,
    and still sends nothing already sent)."""
    today = today or timezone.localdate()
    run = daily_run_start(RUN_NAME, today)
    if run is None and not force:
        return {}
    live = {
        m.pk: m
        for m in Mentorship.objects.filter(
            status__in=[MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED]
        )
        .select_related("mentee__user", "mentor__user")
        .prefetch_related(members_prefetch())
    }
    sweep = Sweep(today, live)
    care = care_by_program({m.program_id for m in live.values()})
    ends = with_end_dates([m.pk for m in sweep.active])
    facts = facts_for(sweep.active, today)
    health_purge()
    health_save(health_rows(sweep.active, care, today, facts))
    _meetings(sweep)
    _no_meeting(sweep, care, facts)
    _checkins(sweep, care)
    _goal_reviews(sweep, ends)
    _action_items(sweep)
    _agreements(sweep)
    remind, close = _endings(sweep, ends)
    asked, resume = _pauses(sweep)
    sent = notify_many(sweep.notes)
    Mentorship.objects.filter(pk__in=remind).update(end_reminded_on=today)
    Mentorship.objects.filter(pk__in=asked).update(resume_asked_on=today)
    for m in resume:
        mentorship_resume(mentorship=m, by=None)
    for m in close:
        mentorship_complete(mentorship=m, ends_on=ends[m.pk])
    counts = {
        "mentorships": len(live),
        "notifications": len(sent),
        "asked_to_resume": len(asked),
        "resumed": len(resume),
        "closed": len(close),
    }
    if run is not None:
        daily_run_finish(run, counts)
    return counts
