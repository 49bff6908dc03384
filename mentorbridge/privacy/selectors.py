"""What an erasure would touch, for the confirmation page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from mentorbridge.matching.models import MentorRequest
from mentorbridge.mentorships.models import HOLDS_CAPACITY, Mentorship
from mentorbridge.people.models import Person


@dataclass(frozen=True)
class ErasurePreview:
    """Figures the site admin sees before confirming."""

    enrollments: int
    mentorships: int
    live_mentorships: int
    requests: int
    tokens: int


def erasure_preview(person: Person) -> ErasurePreview:
    """How much of the person's data is where (a handful of counts)."""
    mentorships = Mentorship.objects.filter(Q(mentee=person) | Q(mentor=person))
    return ErasurePreview(
        enrollments=person.enrollments.count(),
        mentorships=mentorships.count(),
        live_mentorships=mentorships.filter(status__in=HOLDS_CAPACITY).count(),
        requests=MentorRequest.objects.filter(Q(mentee=person) | Q(mentor=person)).count(),
        tokens=person.user.api_tokens.count(),
    )
