"""Goals with milestones and progress, goal reviews, and a history that keeps every change."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentorbridge.mentorships.goals import services
from mentorbridge.mentorships.goals.models import Goal, GoalEvent, GoalReview
from mentorbridge.mentorships.goals.selectors import goal_cards, goal_history, review_prompt
from mentorbridge.mentorships.goals.services import GoalDecision
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _goal(mentorship: Mentorship, by: Person, description: str = "Lead a design review") -> Goal:
    return services.goal_create(
        mentorship=mentorship, by=by, description=description, why="To grow into staff",
        target_date=datetime.date(2030, 3, 1), milestones=["Shadow one", "Co-lead one", " "],
    )  # fmt: skip


def test_a_goal_is_set_with_its_milestones_and_starts_at_zero(
    mentorship: Mentorship, mentee: Person
) -> None:
    goal = _goal(mentorship, mentee)
    [card] = goal_cards(mentorship)
    assert [m.title for m in card.milestones] == ["Shadow one", "Co-lead one"]
    assert (card.goal.status, card.done, card.percent) == ("not_started", 0, 0)
    assert [e.kind for e in goal_history(goal)] == ["created", "milestone_added", "milestone_added"]


def test_ticking_a_milestone_dates_it_moves_the_goal_on_and_fills_the_bar(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    goal = _goal(mentorship, mentee)
    first = goal.milestones.first()
    assert first is not None
    yesterday = TODAY() - datetime.timedelta(days=1)
    services.milestone_tick(milestone=first, by=mentor, done_on=yesterday)
    [card] = goal_cards(mentorship)
    assert (card.goal.status, card.done, card.percent) == ("in_progress", 1, 50)
    assert card.milestones[0].done_on == yesterday
    texts = [e.text for e in goal_history(goal)]
    assert f"Milestone reached on {yesterday:%-d %b %Y}: “Shadow one”." in texts
    assert "Status Not started → In progress." in texts


def test_a_milestone_cannot_be_ticked_in_the_future_or_twice(
    mentorship: Mentorship, mentee: Person
) -> None:
    milestone = _goal(mentorship, mentee).milestones.first()
    assert milestone is not None
    with pytest.raises(ValidationError, match="not later than today"):
        services.milestone_tick(
            milestone=milestone, by=mentee, done_on=TODAY() + datetime.timedelta(days=1)
        )
    services.milestone_tick(milestone=milestone, by=mentee)
    with pytest.raises(ValidationError, match="already reached"):
        services.milestone_tick(milestone=milestone, by=mentee)
    services.milestone_reopen(milestone=milestone, by=mentee)
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_an_achieved_goal_shows_a_full_bar(mentorship: Mentorship, mentee: Person) -> None:
    goal = _goal(mentorship, mentee)
    services.goal_update(
        goal=goal, by=mentee, description=goal.description, why=goal.why,
        target_date=goal.target_date, status="achieved",
    )  # fmt: skip
    assert goal_cards(mentorship)[0].percent == 100


def test_a_change_says_what_it_changed_from_and_to(mentorship: Mentorship, mentee: Person) -> None:
    goal = _goal(mentorship, mentee)
    services.goal_update(
        goal=goal, by=mentee, description="Lead two design reviews", why=goal.why,
        target_date=datetime.date(2030, 6, 1), status=goal.status, note="More ambitious",
    )  # fmt: skip
    last = goal_history(goal)[-1]
    assert last.text == (
        "Changed: description “Lead a design review” → “Lead two design reviews”; "
        "target date 1 Mar 2030 → 1 Jun 2030."
    )
    assert last.note == "More ambitious"
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.goal_update(
            goal=goal, by=mentee, description="Lead two design reviews", why=goal.why,
            target_date=datetime.date(2030, 6, 1), status=goal.status,
        )  # fmt: skip


def test_a_review_decides_for_every_open_goal_and_each_decision_joins_its_history(
    mentorship: Mentorship, mentee: Person, mentor: Person
) -> None:
    keep = _goal(mentorship, mentee, "Lead a design review")
    change = _goal(mentorship, mentee, "Write an RFC")
    done = _goal(mentorship, mentee, "Give a talk")
    drop = _goal(mentorship, mentee, "Learn Rust")
    review = services.goal_review_record(
        mentorship=mentorship, by=mentor, summary="Good half",
        decisions=[
            GoalDecision(goal_id=keep.pk, decision="kept", note="On track"),
            GoalDecision(
                goal_id=change.pk, decision="changed", note="Smaller first",
                description="Write a one-page proposal", target_date=datetime.date(2030, 1, 1),
            ),
            GoalDecision(goal_id=done.pk, decision="achieved", note="Great talk"),
            GoalDecision(goal_id=drop.pk, decision="dropped", note="Not needed in this team"),
        ],
    )  # fmt: skip
    statuses = dict(Goal.objects.values_list("pk", "status"))
    assert statuses == {
        keep.pk: "not_started", change.pk: "not_started", done.pk: "achieved",
        drop.pk: "dropped",
    }  # fmt: skip
    change.refresh_from_db()
    assert (change.description, change.target_date) == (
        "Write a one-page proposal", datetime.date(2030, 1, 1),
    )  # fmt: skip
    changed_line = goal_history(change)[-1]
    assert (changed_line.review_id, changed_line.decision) == (review.pk, "changed")
    assert "“Write an RFC” → “Write a one-page proposal”" in changed_line.text
    assert goal_history(drop)[-1].note == "Not needed in this team"
    # A second review only asks about what is still open; the first stays readable.
    services.goal_review_record(
        mentorship=mentorship, by=mentee,
        decisions=[
            GoalDecision(goal_id=keep.pk, decision="achieved", note=""),
            GoalDecision(goal_id=change.pk, decision="kept", note=""),
        ],
    )  # fmt: skip
    assert GoalReview.objects.count() == 2
    assert [e.decision for e in goal_history(keep) if e.review_id] == ["kept", "achieved"]


def test_a_review_that_forgets_a_goal_or_drops_one_silently_writes_nothing(
    mentorship: Mentorship, mentee: Person
) -> None:
    first = _goal(mentorship, mentee, "Lead a design review")
    second = _goal(mentorship, mentee, "Write an RFC")
    events = GoalEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.goal_review_record(
            mentorship=mentorship, by=mentee,
            decisions=[GoalDecision(goal_id=first.pk, decision="dropped", note=" ")],
        )  # fmt: skip
    assert caught.value.messages == [
        services.DROP_NEEDS_NOTE.format(goal=first),
        services.REVIEW_MISSING.format(goals=f"“{second}”"),
    ]
    assert (GoalReview.objects.count(), GoalEvent.objects.count()) == (0, events)


def test_a_review_is_due_from_the_midpoint_until_one_is_held(
    mentorship: Mentorship, mentee: Person
) -> None:
    _goal(mentorship, mentee)
    start = timezone.localdate(mentorship.started_at)
    ends_on = start + datetime.timedelta(days=100)
    cards = goal_cards(mentorship)
    before = review_prompt(mentorship, ends_on=ends_on, cards=cards, reviews=[], today=start)
    assert (before.midpoint, before.due) == (start + datetime.timedelta(days=50), False)
    at_midpoint = start + datetime.timedelta(days=50)
    assert review_prompt(
        mentorship, ends_on=ends_on, cards=cards, reviews=[], today=at_midpoint
    ).due
    held = GoalReview(mentorship=mentorship, by=mentee, held_at=timezone.now())
    later = review_prompt(mentorship, ends_on=start, cards=cards, reviews=[held], today=at_midpoint)
    assert not later.due


def test_only_its_people_set_goals(
    mentorship: Mentorship, outsider: Person, program_admin: Person, site_admin: Person
) -> None:
    for person in (outsider, program_admin, site_admin):
        with pytest.raises(PermissionDenied):
            _goal(mentorship, person)
    assert not Goal.objects.exists()


def test_a_review_that_rewords_a_goal_too_long_writes_nothing(
    mentorship: Mentorship, mentee: Person
) -> None:
    goal = _goal(mentorship, mentee)
    with pytest.raises(ValidationError):
        services.goal_review_record(
            mentorship=mentorship, by=mentee,
            decisions=[GoalDecision(goal_id=goal.pk, decision="changed", description="x" * 301)],
        )  # fmt: skip
    goal.refresh_from_db()
    assert (goal.description, GoalReview.objects.count()) == ("Lead a design review", 0)
