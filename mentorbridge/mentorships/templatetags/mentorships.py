"""``{{ mentorship|headline:person }}``: “Mentoring Ana and Ben”, “Mentored by Maria, with
Ben” — the one way a mentorship is named for one of its people (see ``access.headline``)."""

from __future__ import annotations

from django import template

from mentorbridge.mentorships.access import headline as headline_of
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

register = template.Library()


@register.filter
def headline(mentorship: Mentorship, person: Person | int) -> str:
    return headline_of(mentorship, person)
