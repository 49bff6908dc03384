"""The mentorship agreement: how the two people will work together, kept version by version.

Every saved change is a new version; a version is in force once every participant confirmed
that version, so a later change needs everyone to confirm again.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Cadence, MeetingChannel


class AgreementVersion(models.Model):
    """One version of a mentorship's agreement. Never changed once saved."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField()
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    change_note = models.CharField(max_length=300, blank=True)

    mentee_hopes = models.TextField("what the mentee wants from the mentorship", blank=True)
    mentor_hopes = models.TextField("what the mentor wants from the mentorship", blank=True)
    cadence = models.CharField("how often we meet", max_length=20, choices=Cadence)
    meeting_minutes = models.PositiveSmallIntegerField(
        "meeting length (minutes)", validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    channel = models.CharField("where we meet", max_length=10, choices=MeetingChannel)
    place = models.CharField("place", max_length=200, blank=True)
    video_link = models.URLField("video link", max_length=500, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        "duration (weeks)", validators=[MinValueValidator(1), MaxValueValidator(260)]
    )
    ends_on = models.DateField("end date")
    confidentiality = models.TextField(blank=True)
    feedback = models.TextField("how we give each other feedback", blank=True)
    points = models.TextField("other points", blank=True)

    class Meta:
        ordering = ["mentorship", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "number"], name="one_agreement_version_number_per_mentorship"
            )
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.number} of mentorship {self.mentorship_id}"

    @property
    def point_list(self) -> list[str]:
        return [line.strip() for line in self.points.splitlines() if line.strip()]


class AgreementConfirmation(models.Model):
    """A participant confirms one version of the agreement."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="confirmations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "person"], name="one_confirmation_per_person_and_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} confirmed {self.version}"


#: The fields a version carries, in the order the page and the comparison show them.
AGREEMENT_FIELDS = [
    "mentee_hopes", "mentor_hopes", "cadence", "meeting_minutes", "channel", "place",
    "video_link", "duration_weeks", "ends_on", "confidentiality", "feedback", "points",
]  # fmt: skip
