"""Group mentorships: one mentor and several mentees sharing one workspace.

A mentorship starts as a pair (its ``mentee`` and ``mentor``). The mentor or a program admin
can add more mentees; each is a ``MentorshipMember`` and from then on a participant like the
first mentee: the agreement needs their confirmation, they share the meetings, agendas, shared
notes and action items, their private notes stay theirs, and each takes one of the mentor's
places. Who is a participant is decided in one place: ``mentorships/access.py``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from mentorbridge.people.models import Person


class MentorshipMember(models.Model):
    """A mentee who joined a mentorship after it started, making it a group mentorship."""

    mentorship = models.ForeignKey(
        "mentorships.Mentorship", on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_memberships")
    added_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentorship", "person"], name="one_membership_per_mentorship"
            )
        ]
        indexes = [models.Index(fields=["person", "mentorship"])]

    def __str__(self) -> str:
        return f"{self.person} in mentorship {self.mentorship_id}"
