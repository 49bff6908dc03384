"""The end of a mentorship and what may happen on the way: introductions to colleagues and the
closure survey."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class IntroductionStatus(models.TextChoices):
    ASKED = "asked", "Waiting for the colleague"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Introduction(models.Model):
    """A mentor introduces a mentee (in a group, one of them) to a colleague. The colleague
    answers first (double opt-in); only an accepted introduction connects the two by email.
    The colleague sees the note, the two names and nothing of the mentorship."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="introductions"
    )
    by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="introductions_of_me")
    colleague = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="introductions_to_me"
    )
    note = models.TextField("why you two should talk", max_length=2000)
    status = models.CharField(
        max_length=10, choices=IntroductionStatus, default=IntroductionStatus.ASKED
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "mentee", "colleague"],
                name="one_introduction_per_mentee_and_colleague",
            )
        ]

    def __str__(self) -> str:
        return f"{self.by} introduces mentorship {self.mentorship_id} to {self.colleague}"


class GoalsReached(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Recommend(models.TextChoices):
    YES = "yes", "Yes"
    NOT_SURE = "not_sure", "Not sure"
    NO = "no", "No"


def _who() -> models.CharField:
    from mentorbridge.mentorships.checkins.models import Visibility

    return models.CharField(max_length=10, choices=Visibility, default=Visibility.TEAM)


class ClosureSurvey(models.Model):
    """Each person's look back when the mentorship closes (MENTOR's Elements of Effective
    Practice: closure). Each answer carries who reads it, as in check-ins: the other person
    (and the program team), only the program team, or the statistics alone. The program's
    closure page lists answers shared with the team and counts every answer in its figures."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="closure_surveys"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    goals_reached = models.CharField(max_length=10, choices=GoalsReached)
    what_helped = models.TextField(blank=True, max_length=2000)
    would_recommend = models.CharField(max_length=10, choices=Recommend)
    overall = models.PositiveSmallIntegerField(
        "overall (1–5)", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    stay_in_touch = models.BooleanField("I'd like to stay in touch", default=False)
    submitted_at = models.DateTimeField(default=timezone.now)
    goals_reached_visibility = _who()
    what_helped_visibility = _who()
    would_recommend_visibility = _who()
    overall_visibility = _who()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "person"], name="one_closure_survey_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Closure survey of {self.person} for mentorship {self.mentorship_id}"
