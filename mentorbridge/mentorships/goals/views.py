"""Goal pages: set a goal, change it, add and tick off milestones, read its history, and
review every open goal together."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorbridge.core.views import current_person
from mentorbridge.mentorships.access import mentorship_content_for
from mentorbridge.mentorships.forms import field_errors
from mentorbridge.mentorships.goals import selectors, services
from mentorbridge.mentorships.goals.forms import (
    GoalEditForm,
    GoalForm,
    GoalReviewForm,
    MilestoneForm,
    TickForm,
)
from mentorbridge.mentorships.goals.models import Goal, Milestone
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import AlreadySent


def _goal(mentorship: Mentorship, goal_id: int) -> Goal:
    return get_object_or_404(Goal, pk=goal_id, mentorship=mentorship)


def _back(mentorship: Mentorship, anchor: str) -> HttpResponse:
    return redirect(f"{mentorship.get_absolute_url()}#{anchor}")


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a goal with its first milestones."""
    mentorship = mentorship_content_for(request.user, pk)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(
                mentorship=mentorship, by=current_person(request),
                description=form.cleaned_data["description"], why=form.cleaned_data["why"],
                target_date=form.cleaned_data["target_date"],
                milestones=form.milestone_titles(),
            )  # fmt: skip
        except AlreadySent as already:
            messages.info(request, " ".join(already.messages))
            return _back(mentorship, f"goal-{already.existing.pk}")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Goal set: “{goal.description}”.")
            return _back(mentorship, f"goal-{goal.pk}")
    return render(
        request,
        "mentorships/goals/form.html",
        {"mentorship": mentorship, "form": form, "goal": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    """Change a goal's wording, date or status."""
    mentorship = mentorship_content_for(request.user, pk)
    goal = _goal(mentorship, goal_id)
    initial = {
        "description": goal.description, "why": goal.why, "target_date": goal.target_date,
        "status": goal.status,
    }  # fmt: skip
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(goal=goal, by=current_person(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Goal saved; its history shows what changed.")
            return _back(mentorship, f"goal-{goal.pk}")
    return render(
        request,
        "mentorships/goals/form.html",
        {"mentorship": mentorship, "form": form, "goal": goal},
        status=400 if form.errors else 200,
    )


@require_GET
def history(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    """A goal with its milestones and every line of its history."""
    mentorship = mentorship_content_for(request.user, pk)
    goal = _goal(mentorship, goal_id)
    card = next(c for c in selectors.goal_cards(mentorship) if c.goal.pk == goal.pk)
    return render(
        request,
        "mentorships/goals/history.html",
        {"mentorship": mentorship, "card": card, "events": selectors.goal_history(goal)},
    )


@require_POST
def add_milestone(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    """Add a step towards a goal."""
    mentorship = mentorship_content_for(request.user, pk)
    goal = _goal(mentorship, goal_id)
    form = MilestoneForm(request.POST)
    try:
        if not form.is_valid():
            raise field_errors(form)
        services.milestone_add(goal=goal, by=current_person(request), **form.cleaned_data)
    except AlreadySent as already:
        messages.info(request, " ".join(already.messages))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Milestone added.")
    return _back(mentorship, f"goal-{goal.pk}")


@require_POST
def tick(request: HttpRequest, pk: int, goal_id: int, milestone_id: int) -> HttpResponse:
    """Tick a milestone off (today, or the day given)."""
    mentorship = mentorship_content_for(request.user, pk)
    goal = _goal(mentorship, goal_id)
    milestone = get_object_or_404(Milestone, pk=milestone_id, goal=goal)
    form = TickForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                "Reached on: give a real date as YYYY-MM-DD, or leave it empty for today."
            )
        services.milestone_tick(
            milestone=milestone, by=current_person(request), done_on=form.cleaned_data["done_on"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Ticked off: “{milestone.title}”. Well done!")
    return _back(mentorship, f"goal-{goal.pk}")


@require_POST
def reopen(request: HttpRequest, pk: int, goal_id: int, milestone_id: int) -> HttpResponse:
    """Untick a milestone ticked by mistake."""
    mentorship = mentorship_content_for(request.user, pk)
    goal = _goal(mentorship, goal_id)
    milestone = get_object_or_404(Milestone, pk=milestone_id, goal=goal)
    try:
        services.milestone_reopen(milestone=milestone, by=current_person(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Reopened: “{milestone.title}”.")
    return _back(mentorship, f"goal-{goal.pk}")


@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Review every open goal together; past reviews below."""
    mentorship = mentorship_content_for(request.user, pk)
    open_goals = [c.goal for c in selectors.goal_cards(mentorship) if c.goal.is_open]
    form = GoalReviewForm(request.POST or None, goals=open_goals)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_review_record(
                mentorship=mentorship, by=current_person(request), decisions=form.decisions(),
                summary=form.cleaned_data["summary"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Goal review saved: each goal's history shows the decision.")
            return _back(mentorship, "goals")
    return render(
        request,
        "mentorships/goals/review.html",
        {
            "mentorship": mentorship,
            "form": form,
            "open_goals": open_goals,
            "reviews": selectors.goal_reviews(mentorship),
        },
        status=400 if form.errors else 200,
    )
