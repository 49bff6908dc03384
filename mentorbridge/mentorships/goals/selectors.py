"""Reading goals: with their milestones and progress, their history, and whether a goal
review is due."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import Prefetch
from django.utils import timezone

from mentorbridge.mentorships.agreements.selectors import agreement_state
from mentorbridge.mentorships.goals.models import Goal, GoalEvent, GoalReview, GoalStatus, Milestone
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.workspace.sections import Section
from mentorbridge.people.models import Person


@dataclasses.dataclass(frozen=True)
class GoalCard:
    """A goal as the page shows it."""

    goal: Goal
    milestones: list[Milestone]
    done: int
    percent: int

    @property
    def total(self) -> int:
        return len(self.milestones)


def progress_of(goal: Goal, milestones: list[Milestone]) -> tuple[int, int]:
    """Milestones reached and the progress in percent (an achieved goal is 100%)."""
    done = sum(1 for m in milestones if m.done_on is not None)
    if goal.status == GoalStatus.ACHIEVED:
        return done, 100
    return done, round(100 * done / len(milestones)) if milestones else 0


def goal_cards(mentorship: Mentorship) -> list[GoalCard]:
    """Every goal with its milestones and progress: open goals first (two queries)."""
    goals = Goal.objects.filter(mentorship=mentorship).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("created_at", "pk"))
    )
    cards = []
    for goal in goals:
        milestones = list(goal.milestones.all())
        done, percent = progress_of(goal, milestones)
        cards.append(GoalCard(goal, milestones, done, percent))
    cards.sort(key=lambda c: (not c.goal.is_open, c.goal.created_at, c.goal.pk))
    return cards


def goal_history(goal: Goal) -> list[GoalEvent]:
    """Every line of the goal's history, oldest first."""
    return list(GoalEvent.objects.filter(goal=goal).select_related("by", "review"))


def goal_reviews(mentorship: Mentorship) -> list[GoalReview]:
    """Every goal review, newest first, with its decisions."""
    return list(
        GoalReview.objects.filter(mentorship=mentorship)
        .select_related("by")
        .prefetch_related(
            Prefetch("events", queryset=GoalEvent.objects.select_related("goal").order_by("pk"))
        )
    )


def mentorship_midpoint(mentorship: Mentorship, ends_on: datetime.date | None) -> datetime.date:
    """Halfway between the start and the agreed end (or the program's default duration)."""
    start = timezone.localdate(mentorship.started_at)
    end = ends_on or start + datetime.timedelta(weeks=mentorship.program.default_duration_weeks)
    return start + (end - start) / 2


@dataclasses.dataclass(frozen=True)
class ReviewPrompt:
    midpoint: datetime.date
    due: bool
    last_review: GoalReview | None


def review_prompt(
    mentorship: Mentorship,
    *,
    ends_on: datetime.date | None,
    cards: list[GoalCard],
    reviews: list[GoalReview],
    today: datetime.date | None = None,
) -> ReviewPrompt:
    """A goal review is due from the midpoint on, while goals are open and none was held
    since the midpoint."""
    today = today or timezone.localdate()
    midpoint = mentorship_midpoint(mentorship, ends_on)
    last = reviews[0] if reviews else None
    reviewed_since = last is not None and timezone.localdate(last.held_at) >= midpoint
    due = (
        mentorship.is_live
        and today >= midpoint
        and any(c.goal.is_open for c in cards)
        and not reviewed_since
    )
    return ReviewPrompt(midpoint, due, last)


def goals_section(mentorship: Mentorship, viewer: Person) -> Section:
    """The goals part of the mentorship page, with the review prompt."""
    cards = goal_cards(mentorship)
    reviews = list(GoalReview.objects.filter(mentorship=mentorship).order_by("-held_at")[:1])
    in_force = agreement_state(mentorship).in_force
    prompt = review_prompt(
        mentorship, ends_on=in_force.ends_on if in_force else None, cards=cards, reviews=reviews
    )
    return Section(
        "goals",
        "Goals",
        "mentorships/goals/_section.html",
        {"cards": cards, "review_prompt": prompt, "live": mentorship.is_live},
    )
