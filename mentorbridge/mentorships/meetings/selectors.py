"""Reading meetings: the terms a new meeting starts from, the next and last meetings, how
many were missed in a row, one meeting with everything on it, and the page's section."""

from __future__ import annotations

import dataclasses
import datetime
import zoneinfo

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from mentorbridge.mentorships.agreements.selectors import agreement_state
from mentorbridge.mentorships.meetings.models import AgendaItem, Meeting, MeetingStatus
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Cadence, MeetingChannel, ProgramAgreementTemplate


@dataclasses.dataclass(frozen=True)
class MeetingTerms:
    """What a new meeting starts from: the agreement in force, else its latest draft, else
    the program's template."""

    cadence: str
    minutes: int
    channel: str
    place: str
    video_link: str
    source: str


def meeting_terms(mentorship: Mentorship) -> MeetingTerms:
    """The length, channel, place, link and cadence a new meeting takes unless told."""
    state = agreement_state(mentorship)
    version = state.in_force or state.latest
    if version is not None:
        source = "the agreement" if version is state.in_force else "the agreement's draft"
        return MeetingTerms(
            version.cadence, version.meeting_minutes, version.channel, version.place,
            version.video_link, source,
        )  # fmt: skip
    template = ProgramAgreementTemplate.objects.filter(program=mentorship.program).first()
    return MeetingTerms(
        mentorship.program.default_cadence or Cadence.BIWEEKLY,
        template.meeting_minutes if template else 45,
        template.channel if template else MeetingChannel.VIDEO,
        "", "", "the program's template",
    )  # fmt: skip


def local(moment: datetime.datetime, person: Person) -> datetime.datetime:
    """The moment on the person's own clock."""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(person.timezone or "UTC"))


def meetings_of(mentorship: Mentorship) -> QuerySet[Meeting]:
    """Every meeting, oldest first."""
    return Meeting.objects.filter(mentorship=mentorship).order_by("starts_at", "pk")


def next_meeting(mentorship: Mentorship, *, now: datetime.datetime | None = None) -> Meeting | None:
    """The first planned meeting that has not ended yet (one query)."""
    now = now or timezone.now()
    planned = meetings_of(mentorship).filter(status=MeetingStatus.PLANNED)
    # A meeting stays "next" while it runs; the longest meeting lasts 240 minutes.
    for meeting in planned.filter(starts_at__gte=now - datetime.timedelta(minutes=240))[:5]:
        if meeting.ends_at > now:
            return meeting
    return None


def last_held_meeting(mentorship: Mentorship) -> Meeting | None:
    """The latest meeting marked held (or logged), or ``None`` if none was."""
    return (
        Meeting.objects.filter(mentorship=mentorship, status=MeetingStatus.HELD)
        .order_by("-starts_at", "-pk")
        .first()
    )


def missed_in_a_row(mentorship: Mentorship) -> int:
    """How many of the latest meetings that took place or should have were missed, counting
    back from the latest until one was held (cancelled and planned meetings don't count)."""
    statuses = (
        Meeting.objects.filter(
            mentorship=mentorship, status__in=[MeetingStatus.HELD, MeetingStatus.MISSED]
        )
        .order_by("-starts_at", "-pk")
        .values_list("status", flat=True)[:50]
    )
    count = 0
    for status in statuses:
        if status != MeetingStatus.MISSED:
            break
        count += 1
    return count


def overdue_planned_meetings(
    mentorship: Mentorship, *, now: datetime.datetime | None = None
) -> QuerySet[Meeting]:
    """Planned meetings whose time has passed: someone should mark them held or missed."""
    now = now or timezone.now()
    return meetings_of(mentorship).filter(status=MeetingStatus.PLANNED, starts_at__lt=now)


def meeting_with_agenda(meeting: Meeting) -> Meeting:
    """The meeting with its agenda items and their authors prefetched (two queries)."""
    return (
        Meeting.objects.select_related("mentorship", "planned_by")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("author"))
        )
        .get(pk=meeting.pk)
    )


@dataclasses.dataclass(frozen=True)
class MeetingCounts:
    planned: int
    held: int
    missed: int
    cancelled: int


def meeting_counts(mentorship: Mentorship) -> MeetingCounts:
    """How many meetings are in each state (one query); what program admins may see."""
    counts = Meeting.objects.filter(mentorship=mentorship).aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in MeetingStatus.values}
    )
    return MeetingCounts(**counts)


WORKDAY = (9, 17)  # local hours a meeting may start in: 9:00 to 16:00, ending by 17:00


@dataclasses.dataclass(frozen=True)
class Slot:
    """An hour on a given day and how far outside someone's working day it falls (hours)."""

    starts_at: datetime.datetime
    outside: int


def _outside(hour: int) -> int:
    first, end = WORKDAY
    if first <= hour <= end - 1:
        return 0
    return min((first - hour) % 24, (hour - (end - 1)) % 24)


def proposed_slots(
    people: list[Person], day: datetime.date, *, most: int = 4
) -> tuple[list[Slot], bool]:
    """Hourly starts on ``day`` (on the first person's clock) inside everyone's working day
    (9:00-17:00 local); when there is none, the least bad hours (fewest hours outside
    anyone's day). Returns the slots and whether they are inside everyone's day."""
    zone = zoneinfo.ZoneInfo(people[0].timezone or "UTC")
    midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)
    slots = []
    for h in range(24):
        start = (midnight + datetime.timedelta(hours=h)).astimezone(datetime.UTC)
        outside = sum(_outside(local(start, p).hour) for p in people)
        slots.append(Slot(start, outside))
    inside = [s for s in slots if s.outside == 0]
    if inside:
        return inside[:most], True
    return sorted(slots, key=lambda s: (s.outside, s.starts_at))[:most], False


def following_in_series(meeting: Meeting, *, lock: bool = False) -> list[Meeting]:
    """The planned meetings of the meeting's series that come after it, in order."""
    if meeting.series is None:
        return []
    rows = Meeting.objects.filter(
        series=meeting.series, mentorship_id=meeting.mentorship_id,
        status=MeetingStatus.PLANNED, starts_at__gt=meeting.starts_at,
    ).exclude(pk=meeting.pk)  # fmt: skip
    if lock:
        rows = rows.select_for_update()
    return list(rows.order_by("starts_at", "pk"))
