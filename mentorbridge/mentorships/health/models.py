"""How a program looks after its mentorships: the check-in schedule and the thresholds of the
health rules, which the program's admins change."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program


def _days(default: int, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        default=default, validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=help_text,
    )  # fmt: skip


class CareSettings(models.Model):
    """One row per program (made with the defaults when first needed). 0 turns a rule off."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="care")
    checkin_first_day = _days(30, "Day of the mentorship when the first check-in is due.")
    checkin_every_days = _days(60, "Days between later check-ins.")
    no_meeting_days = _days(45, "At risk: no meeting held for this many days.")
    missed_in_a_row = _days(2, "At risk: this many missed meetings in a row.")
    low_satisfaction = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text="At risk: a check-in rated satisfaction at or below this (or said “no”).",
    )  # fmt: skip
    no_goals_days = _days(30, "Needs attention: no goals this many days after the start.")
    overdue_action_items = _days(1, "Needs attention: this many action items overdue.")
    agreement_days = _days(14, "Needs attention: agreement not confirmed after this many days.")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Care settings of {self.program}"


class ReachOut(models.Model):
    """A program admin's email to someone in an at-risk mentorship, sent through the app and
    kept here."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="reach_outs"
    )
    by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    to = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    message = models.TextField(max_length=4000)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.by} reached out to {self.to} ({self.sent_at:%Y-%m-%d})"


class MentorshipHealth(models.Model):
    """A live mentorship's health as last computed: by the daily sweep for every active
    mentorship, and again whenever something it depends on changes (a meeting held or missed,
    a check-in, a goal, an action item, the agreement, a pause or resume). The admins' list
    and the API read these rows instead of evaluating thousands of mentorships per request.

    ``level`` is the rules' level (0 on track, 1 needs attention, 2 at risk); ``reasons`` the
    rules that fired, in words; ``facts`` what they read. ``since_on`` (the last meeting, or
    the start without one) orders the list: the longest without a meeting first."""

    mentorship = models.OneToOneField(
        "mentorships.Mentorship", on_delete=models.CASCADE, primary_key=True,
        related_name="stored_health",
    )  # fmt: skip
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    last_meeting_on = models.DateField(null=True, blank=True)
    since_on = models.DateField()
    computed_on = models.DateField(help_text="The day the rules were evaluated for.")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(
                fields=["program", "-level", "since_on", "mentorship"],
                name="health_program_worst_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Health of mentorship {self.mentorship_id}: {self.level}"
