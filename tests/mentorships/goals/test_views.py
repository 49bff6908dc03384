"""Goal pages: set, change, milestones ticked off, history and the goal review."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.mentorships.goals.models import Goal, GoalReview
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def mia(client_for: Callable[[Person | None], Client], mentee: Person) -> Client:
    return client_for(mentee)


def test_a_goal_with_milestones_shows_its_progress_bar_as_milestones_are_ticked(
    mia: Client, mentorship: Mentorship
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    response = mia.post(
        base + "/goals/new/",
        {"description": "Lead a design review", "why": "Staff promotion",
         "target_date": "2030-03-01", "milestones": "Shadow one\nCo-lead one\nLead one"},
    )  # fmt: skip
    goal = Goal.objects.get()
    assert response["Location"] == f"{base}/#goal-{goal.pk}"
    page = mia.get(base + "/").content.decode()
    assert 'progress value="0" max="100"' in page and "0 of 3 milestones reached" in page
    first = goal.milestones.order_by("pk").first()
    assert first is not None
    page = mia.post(
        f"{base}/goals/{goal.pk}/milestones/{first.pk}/tick/", {"done_on": ""}, follow=True
    ).content.decode()
    assert "Ticked off: “Shadow one”. Well done!" in page
    assert 'progress value="33" max="100"' in page and "1 of 3 milestones reached" in page
    assert "In progress" in page


def test_a_future_tick_is_refused_with_the_reason(mia: Client, mentorship: Mentorship) -> None:
    base = f"/mentorships/{mentorship.pk}"
    mia.post(base + "/goals/new/", {"description": "Speak up", "milestones": "Once"})
    goal = Goal.objects.get()
    milestone = goal.milestones.get()
    page = mia.post(
        f"{base}/goals/{goal.pk}/milestones/{milestone.pk}/tick/", {"done_on": "2999-01-01"},
        follow=True,
    ).content.decode()  # fmt: skip
    assert "not later than today" in page
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_a_goal_without_a_description_is_refused_and_keeps_what_was_typed(
    mia: Client, mentorship: Mentorship
) -> None:
    response = mia.post(
        f"/mentorships/{mentorship.pk}/goals/new/", {"description": "", "why": "Because"}
    )
    assert response.status_code == 400
    assert "Because" in response.content.decode()
    assert not Goal.objects.exists()


def test_a_changed_goal_keeps_its_history_readable(mia: Client, mentorship: Mentorship) -> None:
    base = f"/mentorships/{mentorship.pk}"
    mia.post(base + "/goals/new/", {"description": "Speak up", "milestones": "Once"})
    goal = Goal.objects.get()
    mia.post(
        f"{base}/goals/{goal.pk}/edit/",
        {"description": "Speak up in planning", "status": "in_progress", "note": "Narrower"},
    )
    history = mia.get(f"{base}/goals/{goal.pk}/").content.decode()
    assert "Mia Mentee set the goal “Speak up”." in history
    assert "Changed: description “Speak up” → “Speak up in planning”." in history
    assert "Status Not started → In progress." in history
    assert "“Narrower”" in history


def test_the_goal_review_decides_for_each_open_goal(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentor: Person,
    mia: Client,
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    mia.post(base + "/goals/new/", {"description": "Speak up", "milestones": "Once"})
    mia.post(base + "/goals/new/", {"description": "Learn Rust"})
    keep, drop = Goal.objects.order_by("pk")
    max_ = client_for(mentor)
    form = max_.get(base + "/goals/review/").content.decode()
    assert "<legend><strong>Speak up</strong>" in form and "<strong>Learn Rust</strong>" in form
    refused = max_.post(
        base + "/goals/review/", {f"decision_{keep.pk}": "kept", f"decision_{drop.pk}": "dropped"}
    )
    assert refused.status_code == 400
    assert "Say in a few words why you drop “Learn Rust”." in refused.content.decode()
    page = max_.post(
        base + "/goals/review/",
        {f"decision_{keep.pk}": "changed", f"description_{keep.pk}": "Speak up twice",
         f"note_{keep.pk}": "Going well", f"decision_{drop.pk}": "dropped",
         f"note_{drop.pk}": "Not for this team", "summary": "Halfway"},
        follow=True,
    ).content.decode()  # fmt: skip
    assert "Goal review saved" in page
    assert GoalReview.objects.count() == 1
    reviews = max_.get(base + "/goals/review/").content.decode()
    assert "Past reviews" in reviews and "Not for this team" in reviews
    history = max_.get(f"{base}/goals/{keep.pk}/").content.decode()
    assert "Goal review: changed description “Speak up” → “Speak up twice”." in history


def test_a_milestone_title_too_long_is_refused_naming_the_field_and_its_limit(
    mia: Client, mentorship: Mentorship
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    mia.post(base + "/goals/new/", {"description": "Speak up"})
    goal = Goal.objects.get()
    page = mia.post(
        f"{base}/goals/{goal.pk}/milestones/", {"title": "x" * 5_000_000}, follow=True
    ).content.decode()
    assert "Milestone: Ensure this value has at most" in page
    assert "(it has 5000000)" in page
    assert not goal.milestones.exists()


def test_a_tick_on_a_day_that_does_not_exist_is_refused_naming_the_field(
    mia: Client, mentorship: Mentorship
) -> None:
    base = f"/mentorships/{mentorship.pk}"
    mia.post(base + "/goals/new/", {"description": "Speak up", "milestones": "Once"})
    milestone = Goal.objects.get().milestones.get()
    page = mia.post(
        f"{base}/goals/{milestone.goal_id}/milestones/{milestone.pk}/tick/",
        {"done_on": "2026-02-31"}, follow=True,
    ).content.decode()  # fmt: skip
    assert "Reached on: give a real date as YYYY-MM-DD" in page
    milestone.refresh_from_db()
    assert milestone.done_on is None
