"""Meetings of a mentorship and the agenda both people prepare for them.

A meeting is planned (with its time, length and where it happens, taken from the agreement),
then held, missed or cancelled. ``sequence`` rises on every change so calendars that imported
the meeting replace their copy (iCalendar's SEQUENCE).
"""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person
from mentorbridge.programs.models import MeetingChannel


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    MISSED = "missed", "Missed"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """One meeting of a mentorship, at a moment in time (stored in UTC)."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="meetings"
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        "length (minutes)", validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    channel = models.CharField("where we meet", max_length=10, choices=MeetingChannel)
    place = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=MeetingStatus, default=MeetingStatus.PLANNED)
    logged = models.BooleanField(
        default=False, help_text="Recorded after it happened, without being planned."
    )
    planned_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    status_note = models.CharField(
        max_length=300, blank=True, help_text="Why it was cancelled or missed, if said."
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="Raised on every change, so calendars replace their copy."
    )
    series = models.UUIDField(
        null=True, blank=True, editable=False,
        help_text="The series it was planned in: moved or cancelled with the ones after it.",
    )  # fmt: skip

    class Meta:
        ordering = ["mentorship", "starts_at", "pk"]
        indexes = [
            models.Index(fields=["mentorship", "status", "starts_at"]),
            models.Index(fields=["series", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"Meeting of mentorship {self.mentorship_id} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)

    @property
    def where(self) -> str:
        """Where it happens, in words: the place, the link, or the phone."""
        if self.channel == MeetingChannel.IN_PERSON:
            return self.place or "In person"
        if self.channel == MeetingChannel.VIDEO:
            return self.video_link or "Video call"
        return "Phone"


class AgendaKind(models.TextChoices):
    TOPIC = "topic", "Topic"
    QUESTION = "question", "Question"
    CHALLENGE = "challenge", "Challenge"
    WIN = "win", "Win to celebrate"


class AgendaItem(models.Model):
    """Something one person wants to talk about at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AgendaKind, default=AgendaKind.TOPIC)
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text
