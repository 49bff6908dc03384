"""Forms for goals, milestones and goal reviews."""

from __future__ import annotations

from typing import Any

from django import forms

from mentorbridge.core.forms import LongTextField
from mentorbridge.core.limits import (
    GOAL_DESCRIPTION_MAX_CHARS,
    GOAL_WHY_MAX_CHARS,
    MILESTONE_TITLE_MAX_CHARS,
    NOTE_MAX_CHARS,
    REVIEW_SUMMARY_MAX_CHARS,
)
from mentorbridge.mentorships.goals.models import Goal, GoalStatus, ReviewDecision
from mentorbridge.mentorships.goals.services import TITLE_NEEDED, GoalDecision

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GoalForm(forms.Form):
    """A new goal, with the milestones you already know."""

    description = forms.CharField(
        label="Goal",
        max_length=GOAL_DESCRIPTION_MAX_CHARS,
        help_text="What should be different when you're done?",
    )
    why = LongTextField(
        label="Why it matters", required=False, rows=2, max_length=GOAL_WHY_MAX_CHARS
    )
    target_date = forms.DateField(label="Target date", required=False, widget=DATE)
    milestones = LongTextField(
        label="Milestones", required=False, rows=3, max_length=MILESTONE_TITLE_MAX_CHARS * 10,
        help_text="One step per line; add more later.",
    )  # fmt: skip

    def milestone_titles(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["milestones"].splitlines() if t.strip()]


class GoalEditForm(forms.Form):
    """Change a goal's wording, date or status; the history keeps what it was."""

    description = GoalForm.base_fields["description"]
    why = GoalForm.base_fields["why"]
    target_date = GoalForm.base_fields["target_date"]
    status = forms.ChoiceField(choices=GoalStatus.choices)
    note = LongTextField(
        label="Note for the history (optional)", required=False, rows=2,
        max_length=NOTE_MAX_CHARS,
    )  # fmt: skip


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label="Milestone", max_length=MILESTONE_TITLE_MAX_CHARS,
        error_messages={"required": TITLE_NEEDED},
    )  # fmt: skip


class TickForm(forms.Form):
    done_on = forms.DateField(label="Reached on", required=False, widget=DATE)


class GoalReviewForm(forms.Form):
    """One block of fields per open goal: the decision, a note, and (for a change) the new
    wording and date."""

    summary = LongTextField(
        label="What you agreed overall (optional)", required=False, rows=2,
        max_length=REVIEW_SUMMARY_MAX_CHARS,
    )  # fmt: skip

    def __init__(self, *args: Any, goals: list[Goal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        for goal in goals:
            self.fields[f"decision_{goal.pk}"] = forms.ChoiceField(
                label=f"What happens to “{goal.description}”?",
                choices=ReviewDecision.choices, widget=forms.RadioSelect,
                initial=ReviewDecision.KEPT,
            )  # fmt: skip
            self.fields[f"note_{goal.pk}"] = LongTextField(
                label="Note", required=False, rows=2, max_length=NOTE_MAX_CHARS
            )
            self.fields[f"description_{goal.pk}"] = forms.CharField(
                label="New wording",
                max_length=GOAL_DESCRIPTION_MAX_CHARS,
                required=False,
                initial=goal.description,
            )
            self.fields[f"target_date_{goal.pk}"] = forms.DateField(
                label="New target date", required=False, widget=DATE, initial=goal.target_date
            )

    def blocks(self) -> list[tuple[Goal, list[forms.BoundField]]]:
        """The fields of each goal, for the template."""
        names = ("decision", "note", "description", "target_date")
        return [(g, [self[f"{n}_{g.pk}"] for n in names]) for g in self.goals]

    def decisions(self) -> list[GoalDecision]:
        data = self.cleaned_data
        return [
            GoalDecision(
                goal_id=g.pk,
                decision=data[f"decision_{g.pk}"],
                note=data[f"note_{g.pk}"],
                description=data[f"description_{g.pk}"] or None,
                target_date=data[f"target_date_{g.pk}"],
            )
            for g in self.goals
        ]
