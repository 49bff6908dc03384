"""Setting goals, ticking off milestones and reviewing goals together. Every change adds a
line to the goal's history, so how a goal came to be what it is stays readable."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorbridge.mentorships.access import check_can_change
from mentorbridge.mentorships.goals.models import (
    Goal,
    GoalEvent,
    GoalEventKind,
    GoalReview,
    GoalStatus,
    Milestone,
    ReviewDecision,
)
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import lock_mentorship, refuse_twin
from mentorbridge.people.models import Person

DESCRIPTION_NEEDED = "Describe the goal in a few words."
TITLE_NEEDED = "Name the milestone in a few words."
MILESTONE_TWICE = "“{milestone}” is already a milestone: it was added a moment ago."
ALREADY_SET = "“{goal}” is already set: it was added a moment ago."
NOT_IN_MENTORSHIP = "Goal {goal} is not part of this mentorship."
FUTURE_TICK = "A milestone is ticked off on the day it was reached, not later than today."
ALREADY_DONE = "“{milestone}” was already reached on {done_on:%-d %b %Y}."
NOT_DONE = "“{milestone}” is not ticked off."
NOTHING_CHANGED = "Nothing changed in “{goal}”."
GOAL_CLOSED = "“{goal}” is {status}: reopen it by changing its status first."
REVIEW_EMPTY = "There are no open goals to review: set a goal first."
REVIEW_MISSING = "Say what happens to every open goal; missing: {goals}."
REVIEW_CLOSED_GOAL = "“{goal}” is {status} and is not part of a review."
REVIEW_TWICE = "“{goal}” appears twice in the review."
BAD_DECISION = "Choose keep, change, achieved or drop for “{goal}”."
DROP_NEEDS_NOTE = "Say in a few words why you drop “{goal}”."
CHANGE_NEEDS_CHANGE = "“{goal}” is marked as changed: change its description, reason or date."

DECISION_STATUS = {
    ReviewDecision.ACHIEVED: GoalStatus.ACHIEVED,
    ReviewDecision.DROPPED: GoalStatus.DROPPED,
}


def _date(value: datetime.date | None) -> str:
    return value.strftime("%-d %b %Y") if value else "no date"


def _event(goal: Goal, by: Person, kind: str, text: str, **extra: object) -> GoalEvent:
    return GoalEvent.objects.create(goal=goal, by=by, kind=kind, text=text[:600], **extra)


def _lock_goal(goal: Goal) -> Goal:
    return (
        Goal.objects.select_for_update(of=("self",))
        .select_related("mentorship__program")
        .get(pk=goal.pk)
    )


@transaction.atomic
def goal_create(
    *,
    mentorship: Mentorship,
    by: Person,
    description: str,
    why: str = "",
    target_date: datetime.date | None = None,
    milestones: list[str] | None = None,
) -> Goal:
    """A participant sets a goal, with milestones if they already know the steps."""
    check_can_change(mentorship, by)
    if not description.strip():
        raise ValidationError({"description": DESCRIPTION_NEEDED})
    lock_mentorship(mentorship)
    refuse_twin(
        Goal.objects.filter(mentorship=mentorship, created_by=by, description=description.strip()),
        ALREADY_SET.format(goal=description.strip()),
    )
    goal = Goal(
        mentorship=mentorship, description=description.strip(), why=why.strip(),
        target_date=target_date, created_by=by,
    )  # fmt: skip
    goal.full_clean(exclude=["mentorship", "created_by"])
    goal.save()
    _event(goal, by, GoalEventKind.CREATED, f"{by.full_name} set the goal “{goal.description}”.")
    for title in milestones or []:
        if title.strip():
            _milestone_add(goal, by, title)
    return goal


def _milestone_add(goal: Goal, by: Person, title: str) -> Milestone:
    milestone = Milestone(goal=goal, title=title.strip())
    if not milestone.title:
        raise ValidationError({"title": TITLE_NEEDED})
    milestone.full_clean(exclude=["goal"])
    milestone.save()
    _event(goal, by, GoalEventKind.MILESTONE_ADDED, f"Milestone added: “{milestone.title}”.")
    return milestone


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    by: Person,
    description: str,
    why: str,
    target_date: datetime.date | None,
    status: str,
    note: str = "",
) -> Goal:
    """Change a goal; the history says what changed from what to what."""
    goal = _lock_goal(goal)
    check_can_change(goal.mentorship, by)
    if not description.strip():
        raise ValidationError({"description": DESCRIPTION_NEEDED})
    if status not in GoalStatus.values:
        raise ValidationError({"status": f"Unknown status “{status}”."})
    changes = []
    if description.strip() != goal.description:
        changes.append(f"description “{goal.description}” → “{description.strip()}”")
    if why.strip() != goal.why:
        changes.append("why it matters rewritten")
    if target_date != goal.target_date:
        changes.append(f"target date {_date(goal.target_date)} → {_date(target_date)}")
    old_status = goal.get_status_display()
    status_changed = status != goal.status
    if not changes and not status_changed:
        raise ValidationError(NOTHING_CHANGED.format(goal=goal))
    goal.description, goal.why, goal.target_date = description.strip(), why.strip(), target_date
    goal.status = status
    goal.updated_at = timezone.now()
    goal.full_clean(exclude=["mentorship", "created_by"])
    goal.save()
    if changes:
        _event(goal, by, GoalEventKind.EDITED, "Changed: " + "; ".join(changes) + ".", note=note)
    if status_changed:
        _event(
            goal, by, GoalEventKind.STATUS,
            f"Status {old_status} → {goal.get_status_display()}.", note=note,
        )  # fmt: skip
    return goal


@transaction.atomic
def milestone_add(*, goal: Goal, by: Person, title: str) -> Milestone:
    """Add a step towards the goal."""
    goal = _lock_goal(goal)
    check_can_change(goal.mentorship, by)
    refuse_twin(  # the goal's row is locked above
        Milestone.objects.filter(goal=goal, title=title.strip()),
        MILESTONE_TWICE.format(milestone=title.strip()),
    )
    return _milestone_add(goal, by, title)


@transaction.atomic
def milestone_tick(
    *, milestone: Milestone, by: Person, done_on: datetime.date | None = None
) -> Milestone:
    """Tick a milestone off on the day it was reached (today unless said); a goal not yet
    started is now in progress."""
    goal = _lock_goal(milestone.goal)
    check_can_change(goal.mentorship, by)
    milestone = Milestone.objects.get(pk=milestone.pk)
    today = timezone.localdate()
    done_on = done_on or today
    if milestone.done_on is not None:
        raise ValidationError(ALREADY_DONE.format(milestone=milestone, done_on=milestone.done_on))
    if done_on > today:
        raise ValidationError({"done_on": FUTURE_TICK})
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    _event(
        goal, by, GoalEventKind.MILESTONE_DONE,
        f"Milestone reached on {_date(done_on)}: “{milestone.title}”.",
    )  # fmt: skip
    if goal.status == GoalStatus.NOT_STARTED:
        goal.status = GoalStatus.IN_PROGRESS
        goal.updated_at = timezone.now()
        goal.save(update_fields=["status", "updated_at"])
        _event(goal, by, GoalEventKind.STATUS, "Status Not started → In progress.")
    return milestone


@transaction.atomic
def milestone_reopen(*, milestone: Milestone, by: Person) -> Milestone:
    """Untick a milestone ticked by mistake; the history keeps both lines."""
    goal = _lock_goal(milestone.goal)
    check_can_change(goal.mentorship, by)
    milestone = Milestone.objects.get(pk=milestone.pk)
    if milestone.done_on is None:
        raise ValidationError(NOT_DONE.format(milestone=milestone))
    milestone.done_on = None
    milestone.save(update_fields=["done_on"])
    _event(goal, by, GoalEventKind.MILESTONE_REOPENED, f"Milestone reopened: “{milestone.title}”.")
    return milestone


@dataclasses.dataclass(frozen=True, kw_only=True)
class GoalDecision:
    """What a review decides for one goal; for ``changed``, the goal's new wording or date
    (``None`` keeps what the goal says now)."""

    goal_id: int
    decision: str
    note: str = ""
    description: str | None = None
    why: str | None = None
    target_date: datetime.date | None = None


@transaction.atomic
def goal_review_record(
    *, mentorship: Mentorship, by: Person, decisions: list[GoalDecision], summary: str = ""
) -> GoalReview:
    """The pair reviews every open goal: each is kept, changed, achieved or dropped, with a
    note; each decision becomes a line of that goal's history."""
    check_can_change(mentorship, by)
    open_goals = {
        g.pk: g
        for g in Goal.objects.select_for_update().filter(mentorship=mentorship).order_by("pk")
    }
    errors: list[str] = []
    seen: set[int] = set()
    for d in decisions:
        goal = open_goals.get(d.goal_id)
        if goal is None:
            raise ValidationError(NOT_IN_MENTORSHIP.format(goal=d.goal_id))
        if d.goal_id in seen:
            errors.append(REVIEW_TWICE.format(goal=goal))
        seen.add(d.goal_id)
        if not goal.is_open:
            errors.append(
                REVIEW_CLOSED_GOAL.format(goal=goal, status=goal.get_status_display().lower())
            )
        if d.decision not in ReviewDecision.values:
            errors.append(BAD_DECISION.format(goal=goal))
        if d.decision == ReviewDecision.DROPPED and not d.note.strip():
            errors.append(DROP_NEEDS_NOTE.format(goal=goal))
        if d.decision == ReviewDecision.CHANGED and not _review_changes(goal, d):
            errors.append(CHANGE_NEEDS_CHANGE.format(goal=goal))
        if (
            d.decision == ReviewDecision.CHANGED
            and d.description is not None
            and not d.description.strip()
        ):
            errors.append(DESCRIPTION_NEEDED)
    still_open = [g for g in open_goals.values() if g.is_open]
    if not still_open:
        raise ValidationError(REVIEW_EMPTY)
    missing = [f"“{g}”" for g in still_open if g.pk not in seen]
    if missing:
        errors.append(REVIEW_MISSING.format(goals=", ".join(missing)))
    if errors:
        raise ValidationError(errors)
    review = GoalReview.objects.create(mentorship=mentorship, by=by, summary=summary.strip())
    for d in decisions:
        goal = open_goals[d.goal_id]
        text = f"Goal review: {d.decision}."  # kept, achieved, dropped
        if d.decision == ReviewDecision.CHANGED:
            text = "Goal review: changed " + "; ".join(_review_changes(goal, d)) + "."
            if d.description is not None:
                goal.description = d.description.strip()
            if d.why is not None:
                goal.why = d.why.strip()
            if d.target_date is not None:
                goal.target_date = d.target_date
        if d.decision in DECISION_STATUS:
            goal.status = DECISION_STATUS[ReviewDecision(d.decision)]
        goal.updated_at = timezone.now()
        goal.full_clean(exclude=["mentorship", "created_by"])
        goal.save()
        _event(
            goal, by, GoalEventKind.REVIEWED, text, review=review, decision=d.decision,
            note=d.note.strip(),
        )  # fmt: skip
    return review


def _review_changes(goal: Goal, d: GoalDecision) -> list[str]:
    changes = []
    if d.description is not None and d.description.strip() != goal.description:
        changes.append(f"description “{goal.description}” → “{d.description.strip()}”")
    if d.why is not None and d.why.strip() != goal.why:
        changes.append("why it matters rewritten")
    if d.target_date is not None and d.target_date != goal.target_date:
        changes.append(f"target date {_date(goal.target_date)} → {_date(d.target_date)}")
    return changes
