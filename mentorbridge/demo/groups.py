"""A lived-in group mentorship for the demo: one mentor and three mentees in *Engineering
Growth*, six weeks in, an agreement all four confirmed, a shared goal, three meetings held
every two weeks (agenda items from each mentee, shared notes, private notes, action items
owned by different members) and a series of three planned ahead — the one to move or cancel
"this and the following ones".

Built through the same services the pages use (Priya, the program admin, adds the two
mentees who join), then dated back. Running it again changes nothing: it only seeds a program
that has no group yet.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from mentorbridge.matching.rules import pair_problem
from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.actions.services import action_item_add, action_item_done
from mentorbridge.mentorships.agreements.models import AgreementConfirmation, AgreementVersion
from mentorbridge.mentorships.agreements.services import (
    AgreementTerms,
    agreement_change,
    agreement_confirm,
    agreement_draft,
)
from mentorbridge.mentorships.goals.services import goal_create, milestone_tick
from mentorbridge.mentorships.groups.services import group_member_add
from mentorbridge.mentorships.meetings.models import AgendaItem, Meeting, MeetingStatus
from mentorbridge.mentorships.meetings.services import (
    agenda_item_add,
    meeting_plan,
    meeting_plan_series,
)
from mentorbridge.mentorships.models import (
    HOLDS_CAPACITY,
    Mentorship,
    MentorshipMember,
    MentorshipSource,
)
from mentorbridge.mentorships.notes.models import SharedNote
from mentorbridge.mentorships.notes.services import private_note_save, shared_note_add
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, FocusArea, Program

GROUP_SIZE = 3
STARTED_DAYS_AGO = 45

#: (question from one mentee, topic from another, shared note, action item) per meeting.
SESSIONS = [
    ("How do you say no to a manager without burning bridges?",
     "Win: my first design review went well",
     "Everyone brought one 'no' they avoided last month. Pattern: we say yes before we "
     "know the cost. Next time, ask for a day.",
     "Try 'let me come back tomorrow' once this week"),
    ("What does a staff engineer actually do all day?",
     "Challenge: my team lead left, nobody owns our roadmap",
     "Walked through a week of the mentor's calendar. Roadmap gap: write down what you "
     "think the next quarter is and share it, owning it is half the job.",
     "Draft a one-page roadmap and share it with the team"),
    ("How do I get better at estimating?",
     "Question: is it OK to ask for a smaller scope?",
     "Estimates: split until each part is under two days, add the unknowns as their own "
     "items. Asking for a smaller scope is a skill, not a weakness.",
     "Re-estimate the current project with the split method"),
]  # fmt: skip


def _ago(days: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _people(program: Program) -> tuple[Person, list[FocusArea]] | None:
    """A mentor with at least GROUP_SIZE free places and nobody yet, and GROUP_SIZE mentees'
    focus areas with no mentor, request or proposal whom the mentor may mentor."""
    busy_mentors = set(
        Mentorship.objects.filter(program=program, status__in=HOLDS_CAPACITY).values_list(
            "mentor_id", flat=True
        )
    )
    busy_mentees = set(
        Mentorship.objects.filter(program=program).values_list("mentee_id", flat=True)
    )
    areas = list(
        FocusArea.objects.filter(
            enrollment__program=program, enrollment__status="active",
            enrollment__role__in=["mentee", "both"], requests__isnull=True,
            proposals__isnull=True,
        )
        .exclude(enrollment__person_id__in=busy_mentees)
        .select_related("enrollment__person")
        .order_by("pk")
    )  # fmt: skip
    mentors = (
        Enrollment.objects.filter(
            program=program, status="active", role__in=["mentor", "both"],
            mentor_capacity__gte=GROUP_SIZE,
        )
        .exclude(person_id__in=busy_mentors)
        .select_related("person")
        .order_by("person__employee_id")
    )  # fmt: skip
    for enrollment in mentors:
        mentor = enrollment.person
        chosen: list[FocusArea] = []
        for area in areas:
            person = area.enrollment.person
            if person.pk == mentor.pk or any(a.enrollment.person_id == person.pk for a in chosen):
                continue
            if pair_problem(program=program, mentee=person, mentor=mentor, focus_area=area):
                continue
            chosen.append(area)
            if len(chosen) == GROUP_SIZE:
                return mentor, chosen
    return None


def _agree(m: Mentorship, people: list[Person]) -> None:
    draft = agreement_draft(mentorship=m, by=m.mentor)
    terms = dataclasses.replace(
        AgreementTerms.of(draft),
        mentee_hopes="Learn how senior people decide what to work on, and practise saying no.",
        mentor_hopes="Hear what early-career engineers struggle with; get better at coaching.",
        video_link="https://meet.larkfield.example/eng-circle",
        points=draft.points + "\nWe rotate who brings the first topic",
    )
    version = agreement_change(
        mentorship=m, by=people[0], terms=terms, note="What we hope for, and our link"
    )
    for person in people:
        agreement_confirm(mentorship=m, by=person, number=version.number)
    when = _ago(STARTED_DAYS_AGO - 3)
    AgreementVersion.objects.filter(mentorship=m).update(created_at=when)
    AgreementConfirmation.objects.filter(version__mentorship=m).update(confirmed_at=when)


def _held(m: Mentorship, people: list[Person], days_ago: int, n: int) -> None:
    question, topic, shared, action = SESSIONS[n % len(SESSIONS)]
    mentees = people[:-1]
    meeting = meeting_plan(
        mentorship=m, by=m.mentor, starts_at=timezone.now() + datetime.timedelta(days=400)
    )
    OutboxMessage.objects.filter(key__startswith=f"meeting:{meeting.pk}:").delete()
    agenda_item_add(meeting=meeting, by=mentees[n % 3], text=question, kind="question")
    agenda_item_add(meeting=meeting, by=mentees[(n + 1) % 3], text=topic, kind="topic")
    start = _ago(days_ago).replace(minute=0, second=0, microsecond=0)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, status=MeetingStatus.HELD, created_at=start - datetime.timedelta(days=5)
    )
    AgendaItem.objects.filter(meeting=meeting).update(created_at=start - datetime.timedelta(days=2))
    shared_note_add(meeting=meeting, by=m.mentor, text=shared)
    SharedNote.objects.filter(meeting=meeting).update(created_at=start, updated_at=start)
    private_note_save(
        meeting=meeting, by=mentees[n % 3], text="Only for me: I was nervous to speak first."
    )
    item = action_item_add(
        mentorship=m, by=m.mentor, title=action, owner=mentees[(n + 2) % 3], meeting=meeting,
        due_on=(start + datetime.timedelta(days=10)).date(),
    )  # fmt: skip
    ActionItem.objects.filter(pk=item.pk).update(created_at=start)
    if n == 0:
        action_item_done(item=item, by=item.owner)
        ActionItem.objects.filter(pk=item.pk).update(done_at=start + datetime.timedelta(days=7))


@transaction.atomic
def seed_group(program: Program, admin: Person) -> Mentorship | None:
    """One group mentorship in the program (``None`` when it has one already, or nobody fits);
    ``admin`` (a program admin) adds the mentees who join after the first."""
    if MentorshipMember.objects.filter(mentorship__program=program).exists():
        return None
    found = _people(program)
    if found is None:
        return None
    mentor, areas = found
    first = areas[0]
    m = mentorship_start(
        program=program, mentee=first.enrollment.person, mentor=mentor, focus_area=first,
        source=MentorshipSource.REQUEST,
    )  # fmt: skip
    for area in areas[1:]:
        group_member_add(mentorship=m, person=area.enrollment.person, by=admin.user)
    OutboxMessage.objects.filter(key__startswith="group-joined:").delete()
    Mentorship.objects.filter(pk=m.pk).update(started_at=_ago(STARTED_DAYS_AGO))
    MentorshipMember.objects.filter(mentorship=m).update(joined_at=_ago(STARTED_DAYS_AGO - 2))
    m = Mentorship.objects.get(pk=m.pk)
    people = [a.enrollment.person for a in areas] + [mentor]
    _agree(m, people)
    goal = goal_create(
        mentorship=m, by=people[1], description="Each of us leads one team decision this quarter",
        why="Deciding in the open is what we all said we avoid.",
        milestones=["Name the decision", "Write the options down", "Run the meeting"],
    )  # fmt: skip
    milestone_tick(milestone=goal.milestones.order_by("pk")[0], by=people[0])
    for n, days_ago in enumerate([40, 26, 12]):
        _held(m, people, days_ago, n)
    soon = (timezone.localtime() + datetime.timedelta(days=2)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    series = meeting_plan_series(mentorship=m, by=mentor, first_starts_at=soon, count=3)
    OutboxMessage.objects.filter(key__startswith="meeting-series:").delete()
    agenda_item_add(
        meeting=series[0], by=people[2], text="Practising a hard conversation: role play?",
        kind="challenge",
    )  # fmt: skip
    return m
