"""A person's private calendar feed: a secret token in the URL, which they can replace."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class CalendarFeed(models.Model):
    """The secret behind ``/calendar/<token>.ics``. Replacing the token kills the old URL."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"
