"""Emails about meetings, stored in the outbox in the transaction that changes the meeting:
invitations and changes with an ``.ics`` file, and the agenda reminder the day before."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from mentorbridge.mentorships import access
from mentorbridge.mentorships.calendar.ics import invitation_ics, meeting_uid
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.meetings.selectors import local
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.outbox.services import Attachment, message_queue
from mentorbridge.people.models import Person

SUBJECTS = {
    "planned": "{by} planned a mentoring meeting: {when}",
    "moved": "Meeting moved to {when}",
    "cancelled": "Meeting cancelled: {when}",
}


def participants(meeting: Meeting) -> list[Person]:
    """Everyone in the meeting's mentorship (every member of a group), mentees first."""
    return access.participants(meeting.mentorship)


def _when(meeting: Meeting, person: Person) -> str:
    start = local(meeting.starts_at, person)
    end = local(meeting.ends_at, person)
    return f"{start:%A %-d %b %Y, %H:%M}–{end:%H:%M} ({person.timezone or 'UTC'})"


def _page(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse(
        "mentorships-meeting", args=[meeting.mentorship_id, meeting.pk]
    )


def meeting_notify(meeting: Meeting, *, by: Person, change: str) -> list[OutboxMessage]:
    """Tell the other people a meeting was planned, moved or cancelled, with the ``.ics``."""
    people = participants(meeting)
    sent = []
    for person in people:
        if person.pk == by.pk:
            continue
        when = _when(meeting, person)
        context = {
            "person": person, "by": by, "meeting": meeting, "change": change, "when": when,
            "url": _page(meeting), "meetings": [(meeting, when)],
        }  # fmt: skip
        sent.append(
            message_queue(
                key=f"meeting:{meeting.pk}:{meeting.sequence}:{change}:{person.pk}",
                to=person.email,
                subject=SUBJECTS[change].format(by=by.full_name, when=when),
                body=render_to_string("mentorships/meetings/email/change.txt", context),
                attachments=[
                    Attachment(
                        "cancel.ics" if change == "cancelled" else "invite.ics",
                        invitation_ics(
                            [meeting],
                            recipient=person,
                            people=people,
                            cancel=change == "cancelled",
                        ),
                        "text/calendar; method="
                        + ("CANCEL" if change == "cancelled" else "REQUEST"),
                    )
                ],
            )
        )
    return sent


SERIES_SUBJECTS = {
    "moved": "{by} moved {n} mentoring meetings, from {when}",
    "cancelled": "{by} cancelled {n} mentoring meetings, from {when}",
}


def series_change_notify(
    meetings: list[Meeting], *, by: Person, change: str
) -> list[OutboxMessage]:
    """One email per other person when a meeting and the following ones of its series were
    moved or cancelled together, with every changed meeting in the ``.ics`` (METHOD:REQUEST
    with the raised SEQUENCEs, or METHOD:CANCEL)."""
    people = participants(meetings[0])
    cancel = change == "cancelled"
    sent = []
    for person in people:
        if person.pk == by.pk:
            continue
        when = _when(meetings[0], person)
        context = {
            "person": person, "by": by, "meeting": meetings[0], "change": f"series-{change}",
            "url": _page(meetings[0]), "meetings": [(m, _when(m, person)) for m in meetings],
        }  # fmt: skip
        sent.append(
            message_queue(
                key=f"meeting-series-{change}:{meetings[0].pk}:{meetings[0].sequence}:{person.pk}",
                to=person.email,
                subject=SERIES_SUBJECTS[change].format(by=by.full_name, n=len(meetings), when=when),
                body=render_to_string("mentorships/meetings/email/change.txt", context),
                attachments=[
                    Attachment(
                        "cancel.ics" if cancel else "invite.ics",
                        invitation_ics(meetings, recipient=person, people=people, cancel=cancel),
                        "text/calendar; method=" + ("CANCEL" if cancel else "REQUEST"),
                    )
                ],
            )
        )
    return sent


def series_notify(meetings: list[Meeting], *, by: Person) -> list[OutboxMessage]:
    """One email per other person for a whole series, with every meeting in the ``.ics``."""
    if len(meetings) == 1:
        return meeting_notify(meetings[0], by=by, change="planned")
    people = participants(meetings[0])
    sent = []
    for person in people:
        if person.pk == by.pk:
            continue
        context = {
            "person": person, "by": by, "meeting": meetings[0], "change": "series",
            "url": _page(meetings[0]), "meetings": [(m, _when(m, person)) for m in meetings],
        }  # fmt: skip
        sent.append(
            message_queue(
                key=f"meeting-series:{meeting_uid(meetings[0])}:{person.pk}",
                to=person.email,
                subject=f"{by.full_name} planned {len(meetings)} mentoring meetings",
                body=render_to_string("mentorships/meetings/email/change.txt", context),
                attachments=[
                    Attachment(
                        "invite.ics",
                        invitation_ics(meetings, recipient=person, people=people),
                        "text/calendar; method=REQUEST",
                    )
                ],
            )
        )
    return sent
