"""Action items: what someone agreed to do, by when. Open items carry over to the next
meeting's agenda until they are done."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class ActionItem(models.Model):
    """One thing to do, owned by one participant, usually agreed at a meeting."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="action_items"
    )
    meeting = models.ForeignKey(
        "mentorships.Meeting", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="action_items",
    )  # fmt: skip
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["mentorship", "done_at", "due_on", "pk"]
        indexes = [models.Index(fields=["mentorship", "done_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.done_at is None
