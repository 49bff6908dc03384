"""Mentorships in several stages, so the demo shows a lived-in workspace: one just started,
one whose agreement waits for the mentee, one past its midpoint with a goal review due, one
that ended with its goals reached, and Maria's, months in with a confirmed agreement, goals,
ticked-off milestones and a goal review behind it.

Built through the workspace's services, then dated back as if it had happened over weeks.
Running it again changes nothing: it only seeds a program that has no mentorships yet.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from mentorbridge.demo.content import COMPANY_DOMAIN
from mentorbridge.matching.rules import pair_problem
from mentorbridge.mentorships.agreements.models import AgreementConfirmation, AgreementVersion
from mentorbridge.mentorships.agreements.selectors import agreement_state
from mentorbridge.mentorships.agreements.services import (
    AgreementTerms,
    agreement_change,
    agreement_confirm,
    agreement_draft,
)
from mentorbridge.mentorships.goals.models import Goal, GoalEvent, GoalReview
from mentorbridge.mentorships.goals.services import (
    GoalDecision,
    goal_create,
    goal_review_record,
    milestone_tick,
)
from mentorbridge.mentorships.models import Mentorship, MentorshipSource
from mentorbridge.mentorships.services import mentorship_end, mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, FocusArea, Program
from mentorbridge.programs.services import agreement_template_update

TEMPLATE_POINTS = (
    "The mentee sets the agenda and sends it a day ahead\n"
    "Cancel at least a day ahead, and propose a new time\n"
    "Either of us can end the mentorship with a short note"
)


def _ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def _pairs(program: Program, maria: Person, count: int) -> list[tuple[Person, FocusArea]]:
    """Mentors with a free place and mentees' focus areas with no mentor or request yet;
    Maria first."""
    areas = list(
        FocusArea.objects.filter(
            enrollment__program=program, enrollment__status="active", requests__isnull=True
        )
        .select_related("enrollment__person")
        .order_by("pk")
    )
    mentors = [maria] + [
        e.person
        for e in Enrollment.objects.filter(
            program=program, status="active", role__in=["mentor", "both"], mentor_capacity__gte=2
        )
        .exclude(person=maria)
        .select_related("person")
        .order_by("person__employee_id")
    ]
    pairs: list[tuple[Person, FocusArea]] = []
    used_mentees: set[int] = set()
    for mentor in mentors:
        for area in areas:
            mentee = area.enrollment.person
            if mentee.pk in used_mentees or pair_problem(
                program=program, mentee=mentee, mentor=mentor, focus_area=area
            ):
                continue
            pairs.append((mentor, area))
            used_mentees.add(mentee.pk)
            break
        if len(pairs) == count:
            break
    return pairs


def _start(program: Program, mentor: Person, area: FocusArea, days_ago: int) -> Mentorship:
    mentorship = mentorship_start(
        program=program, mentee=area.enrollment.person, mentor=mentor, focus_area=area,
        source=MentorshipSource.PROPOSAL,
    )  # fmt: skip
    Mentorship.objects.filter(pk=mentorship.pk).update(started_at=_ago(days_ago))
    mentorship.refresh_from_db()
    return mentorship


def _agree(m: Mentorship, *, days_ago: int, link: str, confirm: bool = True) -> None:
    """The mentor drafts, the mentee fills in what both want and confirms, the mentor too."""
    agreement_draft(mentorship=m, by=m.mentor)
    latest = agreement_state(m).latest
    assert latest is not None
    terms = dataclasses.replace(
        AgreementTerms.of(latest),
        mentee_hopes=f"{latest.mentee_hopes} I'd like honest feedback on my drafts.",
        mentor_hopes="Practise coaching without jumping to answers.",
        video_link=link,
    )
    agreement_change(mentorship=m, by=m.mentee, terms=terms, note="What I hope for, and our link")
    if confirm:
        for person in (m.mentee, m.mentor):
            agreement_confirm(mentorship=m, by=person, number=2)
    AgreementVersion.objects.filter(mentorship=m, number=1).update(created_at=_ago(days_ago))
    AgreementVersion.objects.filter(mentorship=m, number=2).update(created_at=_ago(days_ago - 1))
    AgreementConfirmation.objects.filter(version__mentorship=m).update(
        confirmed_at=_ago(days_ago - 2)
    )


def _goals(m: Mentorship, *, days_ago: int, ticks: int) -> list[Goal]:
    """Two goals with milestones; the first ``ticks`` milestones reached a week apart."""
    today = timezone.localdate()
    first = goal_create(
        mentorship=m, by=m.mentee, description=f"Get visibly better at “{m.focus_area.title}”",
        why="It is what my next review will look at, and what I enjoy most.",
        target_date=today + datetime.timedelta(weeks=10),
        milestones=["Write down where I stand today", "Try it once with my mentor's notes",
                    "Do it on my own in a real project", "Show the result to my team"],
    )  # fmt: skip
    second = goal_create(
        mentorship=m, by=m.mentor, description="Build a network beyond my own team",
        why="Most of the chances I had came through people outside my team.",
        target_date=today + datetime.timedelta(weeks=14),
        milestones=["Coffee with three people from other departments", "Join a guild"],
    )  # fmt: skip
    for weeks_back, milestone in zip(
        range(ticks, 0, -1), list(first.milestones.order_by("pk"))[:ticks], strict=False
    ):
        milestone_tick(
            milestone=milestone, by=m.mentee,
            done_on=today - datetime.timedelta(weeks=weeks_back),
        )  # fmt: skip
    GoalEvent.objects.filter(goal__mentorship=m).update(at=_ago(days_ago))
    Goal.objects.filter(mentorship=m).update(created_at=_ago(days_ago), updated_at=_ago(days_ago))
    return [first, second]


@transaction.atomic
def seed_workspaces(program: Program) -> int:
    """Mentorships in several stages in the program; returns how many were started (0 when
    the program already has mentorships)."""
    if Mentorship.objects.filter(program=program).exists():
        return 0
    if not hasattr(program, "agreement_template"):
        agreement_template_update(program=program, points=TEMPLATE_POINTS, meeting_minutes=45)
    maria = Person.objects.get(user__email=f"maria.keller@{COMPANY_DOMAIN}")
    pairs = _pairs(program, maria, 5)
    stages = [_lived_in, _just_started, _awaiting_mentee, _review_due, _ended]
    for stage, (mentor, area) in zip(stages, pairs, strict=False):
        stage(program, mentor, area)
    return Mentorship.objects.filter(program=program).count()


def _lived_in(program: Program, mentor: Person, area: FocusArea) -> None:
    m = _start(program, mentor, area, 100)
    _agree(m, days_ago=96, link="https://meet.larkfield.example/maria-1on1")
    first, second = _goals(m, days_ago=90, ticks=2)
    review = goal_review_record(
        mentorship=m, by=m.mentee, summary="Halfway: good pace on the first goal.",
        decisions=[
            GoalDecision(goal_id=first.pk, decision="kept", note="Two of four steps done."),
            GoalDecision(
                goal_id=second.pk, decision="changed", note="Three coffees felt like a lot.",
                description="Meet two people from other departments each month",
            ),
        ],
    )  # fmt: skip
    GoalReview.objects.filter(pk=review.pk).update(held_at=_ago(9))
    GoalEvent.objects.filter(review=review).update(at=_ago(9))


def _just_started(program: Program, mentor: Person, area: FocusArea) -> None:
    _start(program, mentor, area, 2)


def _awaiting_mentee(program: Program, mentor: Person, area: FocusArea) -> None:
    m = _start(program, mentor, area, 8)
    agreement_draft(mentorship=m, by=m.mentor)


def _review_due(program: Program, mentor: Person, area: FocusArea) -> None:
    m = _start(program, mentor, area, 7 * 15)
    _agree(m, days_ago=7 * 14, link="https://meet.larkfield.example/growth-pair")
    _goals(m, days_ago=7 * 13, ticks=1)


def _ended(program: Program, mentor: Person, area: FocusArea) -> None:
    m = _start(program, mentor, area, 7 * 27)
    _agree(m, days_ago=7 * 26, link="https://meet.larkfield.example/done-pair")
    goals = _goals(m, days_ago=7 * 25, ticks=4)
    review = goal_review_record(
        mentorship=m, by=m.mentee, summary="Last meeting: both goals reached.",
        decisions=[GoalDecision(goal_id=g.pk, decision="achieved", note="Done!") for g in goals],
    )  # fmt: skip
    GoalReview.objects.filter(pk=review.pk).update(held_at=_ago(8))
    GoalEvent.objects.filter(review=review).update(at=_ago(8))
    mentorship_end(mentorship=m, by=m.mentee, reason="We reached what we set out to do.")
    Mentorship.objects.filter(pk=m.pk).update(ended_at=_ago(7))
