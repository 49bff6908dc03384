"""Check-ins (how is it going, on the program's schedule and after meetings) and feedback
notes between the two people."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class Working(models.TextChoices):
    YES = "yes", "Yes"
    NOT_SURE = "not_sure", "Not sure"
    NO = "no", "No"


class Visibility(models.TextChoices):
    OTHER = "other", "Shared with the other person (and the program team)"
    TEAM = "team", "Only the program team"
    STATS = "stats", "Kept for the statistics alone"


def _scale(name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        name, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class CheckIn(models.Model):
    """One person's answers for one occasion: a scheduled check-in (``scheduled-2``), a held
    meeting (``meeting-17``) or one they chose to give (``extra-2026-12-03``). Each answer
    carries who may read it."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="checkins"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    occasion = models.CharField(max_length=40)
    submitted_at = models.DateTimeField(default=timezone.now)
    satisfaction = _scale("satisfaction (1–5)")
    satisfaction_visibility = models.CharField(
        max_length=10, choices=Visibility, default=Visibility.OTHER
    )
    progress = _scale("progress toward the goals (1–5)")
    progress_visibility = models.CharField(
        max_length=10, choices=Visibility, default=Visibility.OTHER
    )
    working = models.CharField("is this working for you?", max_length=10, choices=Working)
    working_visibility = models.CharField(
        max_length=10, choices=Visibility, default=Visibility.TEAM
    )
    text = models.TextField("anything else", blank=True, max_length=2000)
    text_visibility = models.CharField(max_length=10, choices=Visibility, default=Visibility.TEAM)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "person", "occasion"], name="one_checkin_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["mentorship", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.person} checked in on mentorship {self.mentorship_id} ({self.occasion})"


class FeedbackNote(models.Model):
    """“What's going well / what could be better”, from one person to the other."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="feedback_notes"
    )
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    going_well = models.TextField("what's going well", blank=True, max_length=2000)
    could_be_better = models.TextField("what could be better", blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Feedback from {self.author} on mentorship {self.mentorship_id}"
