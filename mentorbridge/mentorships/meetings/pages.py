"""What the meeting pages and the workspace's meetings section show, put together from the
meetings, actions and notes selectors."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo
from typing import Any

from django.urls import reverse
from django.utils import timezone

from mentorbridge.mentorships.access import others_of, participants
from mentorbridge.mentorships.actions.forms import ActionItemForm
from mentorbridge.mentorships.actions.models import ActionItem
from mentorbridge.mentorships.actions.selectors import (
    carried_over_items,
    open_action_items,
    overdue_ids,
)
from mentorbridge.mentorships.meetings.models import AgendaKind, Meeting, MeetingStatus
from mentorbridge.mentorships.meetings.selectors import (
    following_in_series,
    local,
    meeting_terms,
    meeting_with_agenda,
    meetings_of,
    next_meeting,
    overdue_planned_meetings,
    proposed_slots,
)
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.notes.selectors import (
    private_note_text,
    recent_shared_notes,
    shared_notes_of,
)
from mentorbridge.mentorships.notes.services import NOTE_MOST
from mentorbridge.mentorships.workspace.sections import NextStep, Section
from mentorbridge.people.models import Person


def people_of(mentorship: Mentorship) -> list[Person]:
    """Everyone in the mentorship, mentees first."""
    return participants(mentorship)


def others(mentorship: Mentorship, viewer: Person) -> list[Person]:
    return others_of(mentorship, viewer)


@dataclasses.dataclass(frozen=True)
class Clock:
    """A meeting's time on one person's clock."""

    person: Person
    starts: datetime.datetime
    ends: datetime.datetime


def clocks(meeting: Meeting, viewer: Person) -> list[Clock]:
    """The meeting's time for the viewer first, then for the others (if their timezone
    differs)."""
    found = [Clock(viewer, local(meeting.starts_at, viewer), local(meeting.ends_at, viewer))]
    for person in others(meeting.mentorship, viewer):
        if person.timezone != viewer.timezone:
            found.append(
                Clock(person, local(meeting.starts_at, person), local(meeting.ends_at, person))
            )
    return found


def both_clocks(mentorship: Mentorship, viewer: Person) -> list[tuple[Person, str]]:
    """Each person and their timezone, the viewer first (for the planning form)."""
    return [(p, p.timezone or "UTC") for p in [viewer, *others(mentorship, viewer)]]


def slot_hint(mentorship: Mentorship, viewer: Person) -> dict[str, Any]:
    """Hours tomorrow inside everyone's working day, on each person's clock (or the least
    bad hours when there is none), for the planning form."""
    people = [viewer, *others(mentorship, viewer)]
    day = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo(viewer.timezone or "UTC")).date()
    slots, shared = proposed_slots(people, day + datetime.timedelta(days=1))
    rows = [[(p, local(s.starts_at, p)) for p in people] for s in slots]
    return {"rows": rows, "shared": shared, "people": people}


def day_word(moment: datetime.datetime, today: datetime.date) -> str:
    """ "today", "tomorrow", "Thursday's" (within a week) or "the 14 Jan" meeting."""
    days = (moment.date() - today).days
    if days == 0:
        return "today's"
    if days == 1:
        return "tomorrow's"
    if 1 < days < 7:
        return f"{moment:%A}'s"
    return f"the {moment:%-d %b}"


def meeting_list(mentorship: Mentorship, viewer: Person) -> dict[str, Any]:
    """Coming meetings (soonest first) and past ones (latest first), each on the viewer's
    clock."""
    now = timezone.now()
    rows = [(m, local(m.starts_at, viewer)) for m in meetings_of(mentorship)]
    coming = [r for r in rows if r[0].status == MeetingStatus.PLANNED and r[0].ends_at > now]
    past = [r for r in reversed(rows) if r not in coming]
    return {
        "coming": coming, "past": past, "live": mentorship.is_live,
        "zone": viewer.timezone or "UTC",
    }  # fmt: skip


def meeting_page(
    meeting: Meeting, viewer: Person, action_form: ActionItemForm | None = None
) -> dict[str, Any]:
    """One meeting for a participant: times on both clocks, the agenda by kind, the
    carried-over action items (overdue ones marked), the items agreed at it with the form to
    add one (``action_form``: a refused one, to show again with its errors), shared notes and
    the viewer's own private note."""
    meeting = meeting_with_agenda(meeting)
    mentorship = meeting.mentorship
    items = list(meeting.agenda_items.all())
    now = timezone.now()
    times = clocks(meeting, viewer)
    carried_over = list(carried_over_items(meeting))
    if action_form is None:
        action_form = ActionItemForm(
            mentorship=mentorship, initial={"owner": viewer.pk, "meeting": meeting.pk}
        )
    return {
        "meeting": meeting,
        "heading": f"Meeting of {times[0].starts:%A %-d %b %Y}",
        "clocks": times,
        "agenda": items,
        "agenda_kinds": AgendaKind.choices,
        "carried_over": carried_over,
        "carried_over_overdue_ids": overdue_ids(carried_over),
        "actions": list(
            ActionItem.objects.filter(meeting=meeting).select_related("owner").order_by("pk")
        ),
        "action_form": action_form,
        "shared_notes": list(shared_notes_of(meeting)),
        "note_most": NOTE_MOST,  # each note's longest, counted as it is typed
        "private_note": private_note_text(meeting, viewer),
        "people": people_of(mentorship),
        "viewer": viewer,
        "live": mentorship.is_live,
        "planned": meeting.status == MeetingStatus.PLANNED,
        "started": meeting.starts_at <= now,
        "agenda_open": meeting.status == MeetingStatus.PLANNED and mentorship.is_live,
        "following": len(following_in_series(meeting)) if meeting.series else 0,
    }


def meetings_section(mentorship: Mentorship, viewer: Person) -> Section:
    """The meetings part of the mentorship page: the next meeting with its agenda count,
    meetings to mark, open action items and the latest shared notes."""
    upcoming = next_meeting(mentorship)
    agenda_count = upcoming.agenda_items.count() if upcoming else 0
    to_mark = list(overdue_planned_meetings(mentorship)[:3])
    actions = list(open_action_items(mentorship)[:6])
    return Section(
        "meetings",
        "Meetings",
        "mentorships/meetings/_section.html",
        {
            "next": upcoming,
            "next_clocks": clocks(upcoming, viewer) if upcoming else [],
            "agenda_count": agenda_count,
            "to_mark": [(m, local(m.starts_at, viewer)) for m in to_mark],
            "actions": actions,
            "overdue_ids": overdue_ids(actions),
            "notes": recent_shared_notes(mentorship.pk),
            "held_any": mentorship.meetings.filter(status=MeetingStatus.HELD).exists(),
            "live": mentorship.is_live,
            "terms": meeting_terms(mentorship),
        },
    )


def _meeting_url(meeting: Meeting) -> str:
    return reverse("mentorships-meeting", args=[meeting.mentorship_id, meeting.pk])


def meeting_next_step(
    m: Mentorship, viewer: Person, sections: dict[str, Section]
) -> NextStep | None:
    """Mark a past meeting, prepare for the next one, or plan the first (or next) one."""
    c = sections["meetings"].context
    if c["to_mark"]:
        meeting, start = c["to_mark"][0]
        return NextStep(
            "Say how the meeting went",
            f"The meeting of {start:%A %-d %b} has passed: mark it held (then add notes and "
            "action items) or missed.",
            _meeting_url(meeting),
            "Open the meeting",
        )
    if c["next"] is not None:
        start = c["next_clocks"][0].starts
        word = day_word(start, timezone.localtime(timezone.now(), start.tzinfo).date())
        items = c["agenda_count"]
        agenda = (
            f"The agenda has {items} item{'s' if items != 1 else ''}"
            if items
            else ("The agenda is empty")
        )
        return NextStep(
            f"Prepare for {word} meeting",
            f"{start:%A %-d %b, %H:%M} ({viewer.timezone or 'UTC'}). {agenda}: add your "
            "questions, challenges and wins.",
            _meeting_url(c["next"]) + "#agenda",
            "Prepare the agenda",
        )
    return None


def plan_next_step(m: Mentorship, viewer: Person, sections: dict[str, Section]) -> NextStep | None:
    """With nothing planned: plan the first meeting, or the next one."""
    c = sections["meetings"].context
    first = not c["held_any"]
    return NextStep(
        "Plan your first meeting" if first else "Plan your next meeting",
        f"You agreed to meet {c['terms'].cadence.replace('biweekly', 'every two weeks')} for "
        f"{c['terms'].minutes} minutes: pick a time that suits you both.",
        reverse("mentorships-meeting-plan", args=[m.pk]),
        "Plan a meeting",
    )
