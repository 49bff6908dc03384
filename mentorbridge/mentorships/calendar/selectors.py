"""What goes into a person's feed: every meeting of every mentorship they are in (ended
ones too, group mentorships too), with each meeting's people, in a fixed number of queries
whatever the history's size."""

from __future__ import annotations

from mentorbridge.mentorships.access import in_mentorships_of, participants
from mentorbridge.mentorships.calendar.models import CalendarFeed
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import members_prefetch
from mentorbridge.people.models import Person


def feed_owner(token: str) -> Person | None:
    """The person whose feed has this token, or ``None``."""
    feed = CalendarFeed.objects.select_related("person__user").filter(token=token).first()
    return feed.person if feed else None


def feed_meetings(person: Person) -> list[tuple[Meeting, list[Person]]]:
    """Every meeting of the person's mentorships, oldest first, with its people."""
    meetings = (
        Meeting.objects.filter(in_mentorships_of(person))
        .select_related("mentorship__mentee__user", "mentorship__mentor__user")
        .prefetch_related(members_prefetch("mentorship__members"))
        .order_by("starts_at", "pk")
    )
    return [(m, participants(m.mentorship)) for m in meetings]
