"""Thank-you notes on a person's profile: those they chose to show, those their manager may
read, and all of them for themselves."""

from __future__ import annotations

from django.db.models import Q

from mentorbridge.mentorships.appreciation.models import ThankYouNote
from mentorbridge.people.models import Person


def thanks_on_profile(person: Person, viewer: Person | None) -> list[ThankYouNote]:
    """The notes ``viewer`` may read on ``person``'s profile, newest first."""
    notes = ThankYouNote.objects.filter(recipient=person).select_related("author")
    if viewer is not None and viewer.pk == person.pk:
        return list(notes)
    shown = Q(on_profile=True)
    if viewer is not None and person.manager_id == viewer.pk:
        shown |= Q(manager_can_see=True)
    return list(notes.filter(shown))
