"""Planning meetings (one or a series from the agreed cadence), rescheduling, cancelling,
marking them held or missed, logging one that was not planned, and preparing the agenda.

Every change the other people should know about sends them an email with an ``.ics``
invitation (see :mod:`.notifications`); every change raises the meeting's ``sequence`` so
calendars replace their copy.
"""

from __future__ import annotations

import calendar as _calendar
import datetime
import uuid
import zoneinfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentorbridge.core.clock import on_clock, zone_of
from mentorbridge.mentorships.access import check_can_change
from mentorbridge.mentorships.meetings import notifications
from mentorbridge.mentorships.meetings.models import (
    AgendaItem,
    AgendaKind,
    Meeting,
    MeetingStatus,
)
from mentorbridge.mentorships.meetings.selectors import following_in_series, meeting_terms
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.once import lock_mentorship, refuse_twin
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Cadence, MeetingChannel

NAIVE_TIME = "Give the meeting's time with its timezone."
PAST_PLAN = "{when} has passed: plan a meeting in the future, or log one that already happened."
FUTURE_LOG = "{when} is still to come: plan the meeting instead of logging it."
NOT_PLANNED = "This meeting is {status}: only a planned meeting can be {verb}."
NOT_STARTED = "This meeting starts on {when}: mark it held or missed once it has started."
ALREADY = "This meeting is already marked {status}."
NOTHING_CHANGED = "Nothing changed: give the meeting a new time, length or place."
SERIES_SIZE = "Plan between 1 and {most} meetings at once (asked for {count})."
BAD_CHANNEL = "Choose in person, video call or phone (got “{channel}”)."
BAD_STATUS = "A meeting is marked held or missed (got “{status}”)."
AGENDA_TEXT_NEEDED = "Write the agenda item in a few words."
BAD_KIND = "Choose topic, question, challenge or win (got “{kind}”)."
MEETING_TWICE = "This meeting is already planned: it was planned a moment ago."
AGENDA_TWICE = "“{item}” is already on the agenda: it was added a moment ago."
AGENDA_CLOSED = "This meeting is {status}: its agenda no longer changes."
AGENDA_NOT_YOURS = "Only {name}, who added it, can remove this agenda item."

SERIES_MOST = 26

#: What a move or a cancellation applies to: the meeting alone, or it and the planned
#: meetings after it in its series.
THIS_ONE = "this"
FOLLOWING = "following"
SCOPES = (THIS_ONE, FOLLOWING)
BAD_SCOPE = (
    "Choose “this” (this meeting only) or “following” (this and the following ones), got “{scope}”."
)
NOT_IN_SERIES = "This meeting is not part of a series: move or cancel it alone."


def _check_scope(meeting: Meeting, scope: str) -> None:
    if scope not in SCOPES:
        raise ValidationError({"scope": BAD_SCOPE.format(scope=str(scope)[:20])})
    if scope == FOLLOWING and meeting.series is None:
        raise ValidationError({"scope": NOT_IN_SERIES})


def _utc(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        raise ValidationError({"starts_at": NAIVE_TIME})
    return value.astimezone(datetime.UTC).replace(microsecond=0)


def _when(value: datetime.datetime, reader: Person) -> str:
    """The moment on the clock of the person who reads the message (their profile's zone)."""
    return on_clock(value, zone_of(reader))


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(
            "mentorship__program", "mentorship__mentee__user", "mentorship__mentor__user"
        )
        .get(pk=meeting.pk)
    )


def _check_channel(channel: str) -> None:
    if channel not in MeetingChannel.values:
        raise ValidationError({"channel": BAD_CHANNEL.format(channel=channel)})


def _build(
    mentorship: Mentorship,
    by: Person,
    starts_at: datetime.datetime,
    minutes: int | None,
    channel: str | None,
    place: str | None,
    video_link: str | None,
) -> Meeting:
    terms = meeting_terms(mentorship)
    channel = channel or terms.channel
    _check_channel(channel)
    meeting = Meeting(
        mentorship=mentorship, starts_at=starts_at, minutes=minutes or terms.minutes,
        channel=channel,
        place=(place if place is not None else terms.place).strip(),
        video_link=(video_link if video_link is not None else terms.video_link).strip(),
        planned_by=by,
    )  # fmt: skip
    meeting.full_clean(exclude=["mentorship", "planned_by"])
    return meeting


@transaction.atomic
def meeting_plan(
    *,
    mentorship: Mentorship,
    by: Person,
    starts_at: datetime.datetime,
    minutes: int | None = None,
    channel: str | None = None,
    place: str | None = None,
    video_link: str | None = None,
) -> Meeting:
    """Plan one meeting; what is not given comes from the agreement. The other people get an
    invitation with an ``.ics`` file."""
    check_can_change(mentorship, by)
    starts_at = _utc(starts_at)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": PAST_PLAN.format(when=_when(starts_at, by))})
    lock_mentorship(mentorship)
    refuse_twin(
        Meeting.objects.filter(
            mentorship=mentorship, planned_by=by, starts_at=starts_at, status=MeetingStatus.PLANNED
        ),
        MEETING_TWICE,
    )
    meeting = _build(mentorship, by, starts_at, minutes, channel, place, video_link)
    meeting.save()
    notifications.meeting_notify(meeting, by=by, change="planned")
    return meeting


def cadence_step(start: datetime.datetime, cadence: str, n: int) -> datetime.datetime:
    """The ``n``-th meeting after ``start`` at the cadence, on the same wall-clock time in
    ``start``'s timezone (so a weekly 10:00 stays 10:00 across daylight saving)."""
    if cadence == Cadence.WEEKLY:
        return _same_clock(start, start.date() + datetime.timedelta(weeks=n))
    if cadence == Cadence.BIWEEKLY:
        return _same_clock(start, start.date() + datetime.timedelta(weeks=2 * n))
    month_index = start.month - 1 + n
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return _same_clock(start, datetime.date(year, month, day))


def _same_clock(start: datetime.datetime, day: datetime.date) -> datetime.datetime:
    naive = datetime.datetime.combine(day, start.time().replace(tzinfo=None))
    return naive.replace(tzinfo=start.tzinfo, fold=0)


@transaction.atomic
def meeting_plan_series(
    *,
    mentorship: Mentorship,
    by: Person,
    first_starts_at: datetime.datetime,
    count: int,
    cadence: str | None = None,
    minutes: int | None = None,
    channel: str | None = None,
    place: str | None = None,
    video_link: str | None = None,
) -> list[Meeting]:
    """Plan ``count`` meetings from the first one at the agreed cadence (or the one given),
    keeping the planner's wall-clock time. One email carries the whole series."""
    check_can_change(mentorship, by)
    if not 1 <= count <= SERIES_MOST:
        raise ValidationError({"count": SERIES_SIZE.format(most=SERIES_MOST, count=count)})
    cadence = cadence or meeting_terms(mentorship).cadence
    if cadence not in Cadence.values:
        raise ValidationError({"cadence": f"Unknown cadence “{cadence}”."})
    if timezone.is_naive(first_starts_at):
        raise ValidationError({"starts_at": NAIVE_TIME})
    zone = first_starts_at.tzinfo
    if not isinstance(zone, zoneinfo.ZoneInfo):
        zone = zone_of(by)
    first = first_starts_at.astimezone(zone)
    if _utc(first) <= timezone.now():
        raise ValidationError({"starts_at": PAST_PLAN.format(when=_when(_utc(first), by))})
    meetings = []
    series = uuid.uuid4() if count > 1 else None
    for n in range(count):
        starts_at = _utc(cadence_step(first, cadence, n))
        meeting = _build(mentorship, by, starts_at, minutes, channel, place, video_link)
        meeting.series = series
        meeting.save()
        meetings.append(meeting)
    notifications.series_notify(meetings, by=by)
    return meetings


@transaction.atomic
def meeting_reschedule(
    *,
    meeting: Meeting,
    by: Person,
    starts_at: datetime.datetime,
    minutes: int,
    channel: str,
    place: str = "",
    video_link: str = "",
    scope: str = THIS_ONE,
) -> Meeting:
    """Move a planned meeting or change where it happens; calendars get the new version.

    ``scope="following"`` moves the planned meetings after it in its series too: each by the
    same shift on the planner's clock (a weekly 10:00 moved to 11:00 stays 11:00 across
    daylight saving) and with the same length and place; each raises its SEQUENCE, and one
    email per other person carries every moved meeting."""
    meeting = _lock(meeting)
    check_can_change(meeting.mentorship, by)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(NOT_PLANNED.format(status=meeting.status, verb="rescheduled"))
    _check_scope(meeting, scope)
    following = following_in_series(meeting, lock=True) if scope == FOLLOWING else []
    zone = zone_of(by)
    old_local = meeting.starts_at.astimezone(zone)
    starts_at = _utc(starts_at)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": PAST_PLAN.format(when=_when(starts_at, by))})
    _check_channel(channel)
    new = (starts_at, minutes, channel, place.strip(), video_link.strip())
    if new == (
        meeting.starts_at,
        meeting.minutes,
        meeting.channel,
        meeting.place,
        meeting.video_link,
    ):
        raise ValidationError(NOTHING_CHANGED)
    (meeting.starts_at, meeting.minutes, meeting.channel, meeting.place, meeting.video_link) = new
    meeting.full_clean(exclude=["mentorship", "planned_by"])
    meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.save()
    if not following:
        notifications.meeting_notify(meeting, by=by, change="moved")
        return meeting
    # The shift on the planner's clock: aware arithmetic in a ZoneInfo zone keeps wall time.
    shift = starts_at.astimezone(zone).replace(tzinfo=None) - old_local.replace(tzinfo=None)
    for later in following:
        local_start = later.starts_at.astimezone(zone)
        later.starts_at = _utc((local_start.replace(tzinfo=None) + shift).replace(tzinfo=zone))
        later.minutes, later.channel = meeting.minutes, meeting.channel
        later.place, later.video_link = meeting.place, meeting.video_link
        later.sequence += 1
        later.updated_at = meeting.updated_at
        later.save()
    notifications.series_change_notify([meeting, *following], by=by, change="moved")
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, by: Person, note: str = "", scope: str = THIS_ONE
) -> Meeting:
    """Cancel a planned meeting; calendars mark it cancelled. ``scope="following"`` cancels
    the rest of its series too (the planned meetings after it), in one email per person."""
    meeting = _lock(meeting)
    check_can_change(meeting.mentorship, by)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(NOT_PLANNED.format(status=meeting.status, verb="cancelled"))
    _check_scope(meeting, scope)
    following = following_in_series(meeting, lock=True) if scope == FOLLOWING else []
    now = timezone.now()
    for one in (meeting, *following):
        one.status = MeetingStatus.CANCELLED
        one.status_note = note.strip()[:300]
        one.sequence += 1
        one.updated_at = now
        one.save(update_fields=["status", "status_note", "sequence", "updated_at"])
    if following:
        notifications.series_change_notify([meeting, *following], by=by, change="cancelled")
    else:
        notifications.meeting_notify(meeting, by=by, change="cancelled")
    return meeting


@transaction.atomic
def meeting_mark(*, meeting: Meeting, by: Person, status: str, note: str = "") -> Meeting:
    """Mark a meeting that has started as held or missed (a wrong mark can be corrected)."""
    meeting = _lock(meeting)
    check_can_change(meeting.mentorship, by)
    if status not in (MeetingStatus.HELD, MeetingStatus.MISSED):
        raise ValidationError({"status": BAD_STATUS.format(status=status)})
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(NOT_PLANNED.format(status=meeting.status, verb=f"marked {status}"))
    if meeting.status == status:
        raise ValidationError(ALREADY.format(status=status))
    if meeting.starts_at > timezone.now():
        raise ValidationError(NOT_STARTED.format(when=_when(meeting.starts_at, by)))
    meeting.status = status
    meeting.status_note = note.strip()[:300]
    meeting.sequence += 1
    meeting.updated_at = timezone.now()
    meeting.save(update_fields=["status", "status_note", "sequence", "updated_at"])
    return meeting


@transaction.atomic
def meeting_log(
    *,
    mentorship: Mentorship,
    by: Person,
    starts_at: datetime.datetime,
    minutes: int | None = None,
    channel: str | None = None,
    place: str | None = None,
    video_link: str | None = None,
) -> Meeting:
    """Record a meeting that happened without being planned; it counts as held."""
    check_can_change(mentorship, by)
    starts_at = _utc(starts_at)
    if starts_at > timezone.now():
        raise ValidationError({"starts_at": FUTURE_LOG.format(when=_when(starts_at, by))})
    meeting = _build(mentorship, by, starts_at, minutes, channel, place, video_link)
    meeting.status = MeetingStatus.HELD
    meeting.logged = True
    meeting.save()
    return meeting


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(AGENDA_CLOSED.format(status=meeting.status))


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, by: Person, text: str, kind: str = AgendaKind.TOPIC
) -> AgendaItem:
    """Put a topic, question, challenge or win on a planned meeting's agenda."""
    meeting = _lock(meeting)
    check_can_change(meeting.mentorship, by)
    _check_agenda_open(meeting)
    if kind not in AgendaKind.values:
        raise ValidationError({"kind": BAD_KIND.format(kind=kind)})
    if not text.strip():
        raise ValidationError({"text": AGENDA_TEXT_NEEDED})
    refuse_twin(  # the meeting's row is locked above
        AgendaItem.objects.filter(meeting=meeting, author=by, kind=kind, text=text.strip()),
        AGENDA_TWICE.format(item=text.strip()),
    )
    item = AgendaItem(meeting=meeting, author=by, kind=kind, text=text.strip())
    item.full_clean(exclude=["meeting", "author"])
    item.save()
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: Person) -> None:
    """Take an item off the agenda: only its author can."""
    meeting = _lock(item.meeting)
    check_can_change(meeting.mentorship, by)
    _check_agenda_open(meeting)
    item = AgendaItem.objects.select_related("author").get(pk=item.pk)
    if item.author_id != by.pk:
        raise PermissionDenied(AGENDA_NOT_YOURS.format(name=item.author.full_name))
    item.delete()
