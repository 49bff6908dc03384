"""That a person was erased, when and by whom (the person's row stays, anonymised)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class ErasureRecord(models.Model):
    """One erasure: the anonymised person, the site admin, and what each step did."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="erasure")
    erased_at = models.DateTimeField(default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    figures = models.JSONField(default=dict, help_text="What each kind of data's step did.")

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"{self.person} erased {self.erased_at:%Y-%m-%d}"
