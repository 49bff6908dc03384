"""The agenda reminder: the day before a planned meeting, each participant is told it is
tomorrow and asked to put their questions on the agenda (the mentee first of all). Sent
through notifications (kind ``meeting_tomorrow``), so each person's choice applies."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from mentorbridge.mentorships.access import names, participants
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus
from mentorbridge.mentorships.meetings.selectors import local
from mentorbridge.mentorships.models import members_prefetch
from mentorbridge.notifications.models import Notification
from mentorbridge.notifications.services import Note, notify_many

#: A meeting starting within this window from now gets its reminder.
AHEAD = datetime.timedelta(hours=24)


def reminder_key(meeting: Meeting) -> str:
    """One reminder per meeting and start time: a moved meeting is reminded again."""
    return f"meeting_tomorrow:{meeting.pk}:{meeting.starts_at:%Y%m%dT%H%M}"


def agenda_reminders_send(*, now: datetime.datetime | None = None) -> list[Notification]:
    """Remind both people of every planned meeting of a live mentorship starting in the
    next 24 hours. Running again sends nothing twice (the key names the occasion)."""
    now = now or timezone.now()
    rows = (
        Meeting.objects.filter(
            status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + AHEAD,
            mentorship__status__in=["active", "paused"],
        )
        .select_related("mentorship__mentee__user", "mentorship__mentor__user")
        .prefetch_related(members_prefetch("mentorship__members"))
        .order_by("starts_at", "pk")
    )  # fmt: skip
    notes = []
    for meeting in rows:
        m = meeting.mentorship
        url = reverse("mentorships-meeting", args=[m.pk, meeting.pk]) + "#agenda"
        people = participants(m)
        for person in people:
            other = names([p for p in people if p.pk != person.pk])
            ask = (
                "Look at the agenda and add what you want to bring up"
                if person.pk == m.mentor_id
                else "Put your questions, challenges and wins on the agenda"
            )
            start = local(meeting.starts_at, person)
            notes.append(
                Note(
                    user=person.user,
                    kind="meeting_tomorrow",
                    key=reminder_key(meeting),
                    title=f"Tomorrow at {start:%H:%M}: mentoring meeting with {other}"[:200],
                    body=f"{start:%A %-d %b, %H:%M} ({person.timezone or 'UTC'}), "
                    f"{meeting.get_channel_display().lower()}. {ask}.",
                    url=url,
                    action="Prepare the agenda",
                    name=person.first_name,
                )
            )
    return notify_many(notes)
