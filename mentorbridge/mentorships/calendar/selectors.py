"""What goes into a person's feed: every meeting of every mentorship they are in (ended
ones too), with each meeting's people, in three queries whatever the history's size."""

from __future__ import annotations

from django.db.models import Q

from mentorbridge.mentorships.calendar.models import CalendarFeed
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.people.models import Person


def feed_owner(token: str) -> Person | None:
    """The person whose feed has this token, or ``None``."""
    feed = CalendarFeed.objects.select_related("person__user").filter(token=token).first()
    return feed.person if feed else None


def feed_meetings(person: Person) -> list[tuple[Meeting, list[Person]]]:
    """Every meeting of the person's mentorships, oldest first, with its people."""
    meetings = (
        Meeting.objects.filter(Q(mentorship__mentee=person) | Q(mentorship__mentor=person))
        .select_related("mentorship__mentee__user", "mentorship__mentor__user")
        .order_by("starts_at", "pk")
    )
    return [(m, [m.mentorship.mentee, m.mentorship.mentor]) for m in meetings]
