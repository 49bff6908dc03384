"""Thank-you notes between the two people of a mentorship."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class ThankYouNote(models.Model):
    """A thank-you from one person to the other. The receiver chooses whether it shows on
    their profile, and (mentors) whether their manager may read it."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="thank_you_notes"
    )
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="thanks_given")
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="thanks_received")
    message = models.TextField(max_length=2000)
    occasion = models.CharField(max_length=40, blank=True, help_text="meeting-17 after a meeting")
    created_at = models.DateTimeField(default=timezone.now)
    on_profile = models.BooleanField("show on my profile", default=False)
    manager_can_see = models.BooleanField("let my manager see it", default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "on_profile"])]

    def __str__(self) -> str:
        return f"Thanks from {self.author} to {self.recipient}"
