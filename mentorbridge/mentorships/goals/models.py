"""Goals of a mentorship, their milestones, goal reviews, and the history of every goal."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Dropped"


#: Goals still being worked on: a goal review asks about each of them.
OPEN_GOAL_STATUSES = (GoalStatus.NOT_STARTED, GoalStatus.IN_PROGRESS)


class Goal(models.Model):
    """Something the mentee wants to reach within the mentorship."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="goals"
    )
    description = models.CharField(max_length=300)
    why = models.TextField("why it matters", blank=True)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=GoalStatus, default=GoalStatus.NOT_STARTED)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["mentorship", "created_at", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_GOAL_STATUSES


class Milestone(models.Model):
    """A step towards a goal, ticked off with the date it was reached."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["goal", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class GoalReview(models.Model):
    """The pair looks at every open goal together: keep, change, achieved or drop."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="goal_reviews"
    )
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    held_at = models.DateTimeField(default=timezone.now)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["mentorship", "-held_at"]

    def __str__(self) -> str:
        return f"Goal review of mentorship {self.mentorship_id} on {self.held_at:%Y-%m-%d}"


class ReviewDecision(models.TextChoices):
    KEPT = "kept", "Keep as it is"
    CHANGED = "changed", "Change it"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "Drop it"


class GoalEventKind(models.TextChoices):
    CREATED = "created", "Set"
    EDITED = "edited", "Edited"
    STATUS = "status", "Status changed"
    MILESTONE_ADDED = "milestone_added", "Milestone added"
    MILESTONE_DONE = "milestone_done", "Milestone reached"
    MILESTONE_REOPENED = "milestone_reopened", "Milestone reopened"
    REVIEWED = "reviewed", "Reviewed"


class GoalEvent(models.Model):
    """One line of a goal's history. Rows are only ever added."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=GoalEventKind)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    review = models.ForeignKey(
        GoalReview, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    decision = models.CharField(max_length=10, choices=ReviewDecision, blank=True)
    text = models.CharField(max_length=600, help_text="What happened, in words.")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["goal", "at", "pk"]

    def __str__(self) -> str:
        return self.text
