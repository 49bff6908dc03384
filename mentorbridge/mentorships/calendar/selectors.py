"""What goes into a person's feed: every meeting of every mentorship they are in (ended
ones too, group mentorships too), with each meeting's people, in a fixed number of queries
whatever the history's size."""

from __future__ import annotations

from django.db.models import Count, Max

from mentorbridge.mentorships.access import in_mentorships_of, mentorships_of, participants
from mentorbridge.mentorships.calendar.models import CalendarFeed
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import MentorshipMember, members_prefetch
from mentorbridge.people.models import Person


def feed_owner(token: str) -> Person | None:
    """The person whose feed has this token, or ``None``."""
    feed = CalendarFeed.objects.select_related("person__user").filter(token=token).first()
    return feed.person if feed else None


def feed_stamp(person: Person) -> str:
    """Changes whenever the person's feed would: a meeting planned, moved, cancelled or marked
    (each raises ``updated_at``), a mentorship or meeting gone, a member joining or leaving a
    group. Two small aggregate queries, whatever the history's size."""
    meetings = Meeting.objects.filter(in_mentorships_of(person)).aggregate(
        n=Count("pk"), top=Max("pk"), changed=Max("updated_at")
    )
    members = MentorshipMember.objects.filter(
        mentorship__in=mentorships_of(person).values("pk")
    ).aggregate(n=Count("pk"), top=Max("pk"))
    changed = meetings["changed"].isoformat() if meetings["changed"] else "-"
    return f"{meetings['n']}.{meetings['top']}.{changed}.{members['n']}.{members['top']}"


def feed_meetings(person: Person) -> list[tuple[Meeting, list[Person]]]:
    """Every meeting of the person's mentorships, oldest first, with its people."""
    meetings = (
        Meeting.objects.filter(in_mentorships_of(person))
        .select_related("mentorship__mentee__user", "mentorship__mentor__user")
        .prefetch_related(members_prefetch("mentorship__members"))
        .order_by("starts_at", "pk")
    )
    return [(m, participants(m.mentorship)) for m in meetings]
