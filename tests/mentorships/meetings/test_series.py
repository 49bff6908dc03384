"""A series moves together: moving one of its meetings offers "this meeting only" or "this
and the following ones" (each shifted by the same time on the planner's clock, each with its
SEQUENCE raised, one email with every moved meeting); cancelling offers "this one" or "the
rest of the series". The calendar feed is read back with ``icalendar``."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.calendar.ics import feed_ics
from mentorbridge.mentorships.calendar.selectors import feed_meetings
from mentorbridge.mentorships.meetings import services
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.outbox.models import OutboxMessage
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture
def series(mentorship: Mentorship, mentee: Person) -> list[Meeting]:
    """Four weekly meetings at 10:00 Berlin time, starting next week."""
    mentee.timezone = "Europe/Berlin"
    mentee.save()
    day = (timezone.now() + datetime.timedelta(days=7)).astimezone(BERLIN).date()
    first = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=BERLIN)
    meetings = services.meeting_plan_series(
        mentorship=mentorship, by=mentee, first_starts_at=first, count=4, cadence="weekly"
    )
    OutboxMessage.objects.all().delete()
    return meetings


def _events(person: Person) -> dict[int, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(feed_ics(person, feed_meetings(person)))
    return {
        int(str(e["uid"]).split("@")[0].removeprefix("meeting-")): e
        for e in calendar.walk("VEVENT")
    }


def _berlin(meeting: Meeting) -> datetime.datetime:
    return meeting.starts_at.astimezone(BERLIN)


def test_a_planned_series_shares_one_series_and_a_single_meeting_has_none(
    series: list[Meeting], mentorship: Mentorship, mentee: Person
) -> None:
    assert len({m.series for m in series}) == 1 and series[0].series is not None
    alone = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    assert alone.series is None


def test_moving_this_and_the_following_shifts_each_by_the_same_time_and_raises_each_sequence(
    series: list[Meeting], mentee: Person, mentor: Person
) -> None:
    second = series[1]
    new_start = _berlin(second) + datetime.timedelta(hours=1, minutes=30)
    services.meeting_reschedule(
        meeting=second, by=mentee, starts_at=new_start, minutes=30, channel="phone",
        scope="following",
    )  # fmt: skip
    fresh = [Meeting.objects.get(pk=m.pk) for m in series]
    assert [(_berlin(m).hour, _berlin(m).minute) for m in fresh] == [
        (10, 0), (11, 30), (11, 30), (11, 30),
    ]  # fmt: skip
    assert [m.sequence for m in fresh] == [0, 1, 1, 1]
    assert [m.minutes for m in fresh[1:]] == [30, 30, 30] and fresh[0].minutes != 30
    assert {m.channel for m in fresh[1:]} == {"phone"} and fresh[0].channel != "phone"
    events = _events(mentor)
    for m in fresh:
        event = events[m.pk]
        assert event.decoded("dtstart") == m.starts_at
        assert int(event["sequence"]) == m.sequence
        assert str(event["status"]) == "CONFIRMED"


def test_the_others_get_one_email_with_every_moved_meeting_in_its_invitation(
    series: list[Meeting], mentee: Person, mentor: Person
) -> None:
    services.meeting_reschedule(
        meeting=series[1], by=mentee, starts_at=_berlin(series[1]) + datetime.timedelta(days=1),
        minutes=60, channel=series[1].channel, place=series[1].place,
        video_link=series[1].video_link, scope="following",
    )  # fmt: skip
    (email,) = OutboxMessage.objects.all()
    assert email.to == mentor.email
    assert email.subject.startswith("Mia Mentee moved 3 mentoring meetings")
    invite = icalendar.Calendar.from_ical(email.attachments[0]["content"])
    assert str(invite["method"]) == "REQUEST"
    moved = invite.walk("VEVENT")
    assert [int(str(e["uid"]).split("@")[0].removeprefix("meeting-")) for e in moved] == [
        m.pk for m in series[1:]
    ]
    assert {int(e["sequence"]) for e in moved} == {1}


def test_moving_this_meeting_only_leaves_the_rest_of_the_series_alone(
    series: list[Meeting], mentee: Person
) -> None:
    services.meeting_reschedule(
        meeting=series[1], by=mentee, starts_at=_berlin(series[1]) + datetime.timedelta(hours=2),
        minutes=60, channel=series[1].channel, place=series[1].place,
        video_link=series[1].video_link,
    )  # fmt: skip
    fresh = [Meeting.objects.get(pk=m.pk) for m in series]
    assert [_berlin(m).hour for m in fresh] == [10, 12, 10, 10]
    assert [m.sequence for m in fresh] == [0, 1, 0, 0]


def test_a_move_keeps_the_planners_wall_clock_time_across_daylight_saving(
    mentorship: Mentorship, mentee: Person
) -> None:
    mentee.timezone = "Europe/Berlin"
    mentee.save()
    year = timezone.now().year + 1
    first = datetime.datetime(year, 3, 16, 10, 0, tzinfo=BERLIN)  # DST starts late March
    meetings = services.meeting_plan_series(
        mentorship=mentorship, by=mentee, first_starts_at=first, count=4, cadence="biweekly"
    )
    services.meeting_reschedule(
        meeting=meetings[0], by=mentee, starts_at=first + datetime.timedelta(hours=1),
        minutes=60, channel=meetings[0].channel, place=meetings[0].place,
        video_link=meetings[0].video_link, scope="following",
    )  # fmt: skip
    fresh = [Meeting.objects.get(pk=m.pk) for m in meetings]
    assert {_berlin(m).hour for m in fresh} == {11}
    assert {m.starts_at.astimezone(datetime.UTC).hour for m in fresh} == {10, 9}


def test_cancelling_the_rest_of_the_series_cancels_this_and_the_following_ones(
    series: list[Meeting], mentee: Person, mentor: Person
) -> None:
    services.meeting_cancel(meeting=series[1], by=mentor, note="Parental leave", scope="following")
    fresh = [Meeting.objects.get(pk=m.pk) for m in series]
    assert [m.status for m in fresh] == ["planned", "cancelled", "cancelled", "cancelled"]
    events = _events(mentee)
    assert [str(events[m.pk]["status"]) for m in fresh] == [
        "CONFIRMED", "CANCELLED", "CANCELLED", "CANCELLED",
    ]  # fmt: skip
    assert [int(events[m.pk]["sequence"]) for m in fresh] == [0, 1, 1, 1]
    (email,) = OutboxMessage.objects.all()
    assert email.to == mentee.email and "cancelled 3 mentoring meetings" in email.subject
    invite = icalendar.Calendar.from_ical(email.attachments[0]["content"])
    assert str(invite["method"]) == "CANCEL" and len(invite.walk("VEVENT")) == 3


def test_cancelling_one_meeting_of_a_series_leaves_the_others_planned(
    series: list[Meeting], mentee: Person
) -> None:
    services.meeting_cancel(meeting=series[2], by=mentee)
    assert [Meeting.objects.get(pk=m.pk).status for m in series] == [
        "planned", "planned", "cancelled", "planned",
    ]  # fmt: skip


def test_a_bad_scope_or_following_without_a_series_is_refused_and_nothing_changes(
    series: list[Meeting], mentorship: Mentorship, mentee: Person
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.meeting_cancel(meeting=series[0], by=mentee, scope="all")
    assert "scope" in caught.value.message_dict
    alone = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    with pytest.raises(ValidationError, match="not part of a series"):
        services.meeting_cancel(meeting=alone, by=mentee, scope="following")
    assert not Meeting.objects.filter(status="cancelled").exists()


def test_the_meeting_page_offers_the_rest_of_the_series_and_the_move_form_the_following(
    client_for: Callable[[Person | None], Client], series: list[Meeting], mentee: Person,
) -> None:  # fmt: skip
    client = client_for(mentee)
    base = f"/mentorships/{series[0].mentorship_id}/meetings/{series[1].pk}/"
    page = client.get(base).content.decode()
    assert "The rest of the series (this one and the 2 after it)" in page
    form = client.get(base + "move/").content.decode()
    assert "This and the following meetings of the series" in form
    start = _berlin(series[1]) + datetime.timedelta(hours=1)
    response = client.post(
        base + "move/",
        {
            "date": start.date().isoformat(), "time": "11:00", "minutes": 60,
            "channel": series[1].channel, "place": series[1].place,
            "video_link": series[1].video_link, "scope": "following",
        },
        follow=True,
    )  # fmt: skip
    assert "This meeting and the 2 after it moved" in response.content.decode()
    assert [_berlin(Meeting.objects.get(pk=m.pk)).hour for m in series] == [10, 11, 11, 11]
    response = client.post(base + "cancel/", {"scope": "following"}, follow=True)
    assert "This meeting and the 2 after it are cancelled" in response.content.decode()
    last = series[-1]
    assert (
        "part of a series"
        not in client.get(f"/mentorships/{last.mentorship_id}/meetings/{last.pk}/").content.decode()
    )


def test_the_api_moves_and_cancels_the_following_meetings(
    client_for: Callable[[Person | None], Client], series: list[Meeting], mentor: Person,
) -> None:  # fmt: skip
    client = client_for(mentor)
    base = f"/api/v1/mentorships/{series[0].mentorship_id}/meetings/{series[2].pk}"
    start = series[2].starts_at + datetime.timedelta(minutes=30)
    moved = client.put(
        base,
        {
            "starts_at": start.isoformat(), "minutes": 60, "channel": series[2].channel,
            "place": series[2].place, "video_link": series[2].video_link, "scope": "following",
        },
        content_type="application/json",
    )  # fmt: skip
    assert moved.status_code == 200, moved.content
    assert moved.json()["series"] == str(series[0].series)
    assert Meeting.objects.get(pk=series[3].pk).starts_at == series[3].starts_at + (
        datetime.timedelta(minutes=30)
    )
    cancelled = client.post(
        base + "/cancel", {"scope": "following"}, content_type="application/json"
    )
    assert cancelled.status_code == 200
    assert Meeting.objects.filter(status="cancelled").count() == 2
    refused = client.post(
        f"/api/v1/mentorships/{series[0].mentorship_id}/meetings/{series[0].pk}/cancel",
        {"scope": "everything"}, content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 422 and "scope" in refused.json()["errors"]
