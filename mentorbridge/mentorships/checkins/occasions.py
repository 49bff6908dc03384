"""When check-ins are due: on the program's schedule (default day 30, then every 60 days) and
after each held meeting. Meetings register the meeting occasions here once they exist."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from mentorbridge.mentorships.health.models import CareSettings
from mentorbridge.mentorships.meetings.models import Meeting, MeetingStatus


def held_meeting_on(mentorship: Any, meeting_id: int) -> datetime.date | None:
    """When the meeting was held, if it is a held meeting of this mentorship."""
    starts_at = (
        Meeting.objects.filter(pk=meeting_id, mentorship=mentorship, status=MeetingStatus.HELD)
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(starts_at) if starts_at else None


#: ``(mentorship, meeting id) → when it was held`` (``None`` if it is not a held meeting of
#: that mentorship): held meetings are occasions for a one-tap rating.
MEETING_LOOKUPS: list[Callable[[object, int], datetime.date | None]] = [held_meeting_on]


@dataclasses.dataclass(frozen=True)
class Occasion:
    name: str  # scheduled-2, meeting-17, extra-2026-12-03
    due_on: datetime.date
    label: str


def scheduled_dates(
    care: CareSettings, started: datetime.date, until: datetime.date
) -> list[datetime.date]:
    """Every scheduled check-in date from the start up to ``until`` (inclusive)."""
    if not care.checkin_first_day:
        return []
    dates = []
    due = started + datetime.timedelta(days=care.checkin_first_day)
    while due <= until:
        dates.append(due)
        if not care.checkin_every_days:
            break
        due += datetime.timedelta(days=care.checkin_every_days)
    return dates


def next_scheduled(
    care: CareSettings, started: datetime.date, today: datetime.date
) -> datetime.date | None:
    """The first scheduled check-in after today."""
    upcoming = scheduled_dates(care, started, today + datetime.timedelta(days=400))
    return next((d for d in upcoming if d > today), None)


def latest_scheduled(
    care: CareSettings, started: datetime.date, today: datetime.date
) -> Occasion | None:
    """The scheduled check-in that is due now (the latest one not after today)."""
    dates = scheduled_dates(care, started, today)
    if not dates:
        return None
    number = len(dates)
    return Occasion(f"scheduled-{number}", dates[-1], f"Check-in {number}")


def meeting_occasion(mentorship: object, meeting_id: int) -> Occasion | None:
    for lookup in MEETING_LOOKUPS:
        held = lookup(mentorship, meeting_id)
        if held is not None:
            return Occasion(f"meeting-{meeting_id}", held, f"After the meeting of {held:%-d %b}")
    return None
