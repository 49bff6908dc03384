"""Notes on a meeting: shared notes both people read and write, and private notes that only
their author can ever read, stored encrypted (see :mod:`.crypto`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class SharedNote(models.Model):
    """A note on a meeting that every participant reads."""

    meeting = models.ForeignKey(
        "mentorships.Meeting", on_delete=models.CASCADE, related_name="shared_notes"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Shared note {self.pk} on meeting {self.meeting_id}"


class PrivateNote(models.Model):
    """A note only its author reads. The text is stored encrypted (a Fernet token); there is
    no plaintext field, and the model is not in Django admin."""

    meeting = models.ForeignKey(
        "mentorships.Meeting", on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    ciphertext = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="one_private_note_per_person_and_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"Private note {self.pk}"
