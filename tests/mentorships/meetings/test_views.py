"""Meeting pages: plan on your own clock, the next meeting and its next step on the
mentorship page, the agenda with carried-over action items, marking and notes."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from mentorbridge.mentorships.actions import services as actions
from mentorbridge.mentorships.meetings import services
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.meetings.pages import day_word
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_planning_takes_the_time_on_the_planners_clock(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    mentee.timezone = "America/New_York"
    mentee.save()
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client_for(mentee).post(
        f"/mentorships/{mentorship.pk}/meetings/plan/",
        {"date": day.isoformat(), "time": "09:30", "minutes": "45", "channel": "phone",
         "count": "1", "cadence": "weekly"},
    )  # fmt: skip
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    local = meeting.starts_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.date(), local.hour, local.minute) == (day, 9, 30)


def test_a_plan_in_the_past_is_refused_with_the_reason_and_writes_nothing(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    response = client_for(mentee).post(
        f"/mentorships/{mentorship.pk}/meetings/plan/",
        {"date": "2020-01-01", "time": "09:30", "minutes": "45", "channel": "phone",
         "count": "1", "cadence": "weekly"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "has passed" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_mentorship_page_shows_the_next_meeting_and_says_prepare_for_it(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    page = _page(client_for(mentee), f"/mentorships/{mentorship.pk}/")
    assert "No meeting planned" in page
    start = timezone.now() + datetime.timedelta(days=3)
    services.meeting_plan(mentorship=mentorship, by=mentor, starts_at=start)
    page = _page(client_for(mentee), f"/mentorships/{mentorship.pk}/")
    assert "Next meeting" in page
    # the weekday on the mentee's clock (near midnight UTC it is already the next one there)
    day = start.astimezone(zoneinfo.ZoneInfo(mentee.timezone or "UTC"))
    assert f"Prepare for {day:%A}&#x27;s meeting" in page


def test_day_words_say_today_tomorrow_a_weekday_or_a_date() -> None:
    today = datetime.date(2030, 1, 7)  # a Monday
    at = lambda d: datetime.datetime.combine(today + datetime.timedelta(days=d), datetime.time(9))  # noqa: E731
    assert [day_word(at(d), today) for d in (0, 1, 3, 9)] == [
        "today's", "tomorrow's", "Thursday's", "the 16 Jan",
    ]  # fmt: skip


def test_a_past_planned_meeting_asks_to_be_marked(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    meeting = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    client = client_for(mentee)
    assert "Say how the meeting went" in _page(client, f"/mentorships/{mentorship.pk}/")
    client.post(f"/mentorships/{mentorship.pk}/meetings/{meeting.pk}/held/")
    meeting.refresh_from_db()
    assert meeting.status == "held"
    assert "Say how the meeting went" not in _page(client, f"/mentorships/{mentorship.pk}/")


def test_the_next_meetings_agenda_shows_the_carried_over_action_items(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    held = services.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    client = client_for(mentor)
    client.post(
        f"/mentorships/{mentorship.pk}/actions/",
        {"title": "Write the RFC draft", "owner": mentee.pk, "meeting": held.pk},
    )
    coming = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    client.post(
        f"/mentorships/{mentorship.pk}/meetings/{coming.pk}/agenda/",
        {"kind": "question", "text": "How do I run the review?"},
    )
    page = _page(client_for(mentee), f"/mentorships/{mentorship.pk}/meetings/{coming.pk}/")
    assert "Carried over" in page and "Write the RFC draft" in page
    assert "How do I run the review?" in page
    actions.action_item_done(item=mentorship.action_items.get(), by=mentee)
    page = _page(client_for(mentee), f"/mentorships/{mentorship.pk}/meetings/{coming.pk}/")
    assert "Write the RFC draft" not in page


def test_an_action_item_for_an_outsider_is_refused_and_writes_nothing(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    outsider: Person,
) -> None:
    response = client_for(mentee).post(
        f"/mentorships/{mentorship.pk}/actions/", {"title": "x", "owner": outsider.pk}, follow=True
    )
    assert "Who: Select a valid choice" in response.content.decode()
    assert not mentorship.action_items.exists()


def test_the_meetings_list_shows_coming_and_past(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    page = _page(client_for(mentee), f"/mentorships/{mentorship.pk}/meetings/")
    assert "Nothing planned" in page
    services.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    assert "Held" in _page(client_for(mentee), f"/mentorships/{mentorship.pk}/meetings/")


@pytest.mark.parametrize(
    ("posted", "said"),
    [
        (
            {"kind": "question", "text": "é" * 1_000_000},
            "Agenda item: Ensure this value has at most 500",
        ),
        ({"kind": "question", "text": ""}, "Agenda item: Write the agenda item in a few words."),
        ({"kind": "riddle", "text": "How do I run the review?"}, "Kind: Select a valid choice."),
    ],
)
def test_a_refused_agenda_item_says_which_field_is_wrong_and_why_and_writes_nothing(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person,
    posted: dict[str, str], said: str,
) -> None:  # fmt: skip
    coming = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    page = (
        client_for(mentee)
        .post(f"/mentorships/{mentorship.pk}/meetings/{coming.pk}/agenda/", posted, follow=True)
        .content.decode()
    )
    assert said in page
    assert not coming.agenda_items.exists()


def test_the_planning_hint_gives_each_hour_on_each_persons_own_clock(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person,
    mentor: Person,
) -> None:  # fmt: skip
    mentor.timezone, mentee.timezone = "Asia/Singapore", "Europe/London"
    mentor.save()
    mentee.save()
    page = _page(client_for(mentor), f"/mentorships/{mentorship.pk}/meetings/plan/")
    hint = page[page.index('<article class="slot-hint') : page.index("</article>")]
    pairs = re.findall(r"(\d\d):00 your time · (\d\d):00 for " + mentee.first_name, hint)
    assert pairs, hint
    # Singapore is 8 hours ahead of London in every season (neither moves in December)
    assert all((int(mine) - int(theirs)) % 24 == 8 for mine, theirs in pairs), pairs


def test_meeting_times_are_shown_on_each_persons_own_clock(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person,
    mentor: Person,
) -> None:  # fmt: skip
    mentor.timezone, mentee.timezone = "Asia/Singapore", "Europe/London"
    mentor.save()
    mentee.save()
    start = datetime.datetime(2031, 3, 4, 10, 0, tzinfo=datetime.UTC)  # 18:00 in Singapore
    meeting = services.meeting_plan(mentorship=mentorship, by=mentor, starts_at=start)
    as_mentor = client_for(mentor)
    listed = _page(as_mentor, f"/mentorships/{mentorship.pk}/meetings/")
    assert "Tuesday 4 Mar 2031, 18:00" in listed
    detail = _page(as_mentor, f"/mentorships/{mentorship.pk}/meetings/{meeting.pk}/")
    assert "18:00–18:45 (Asia/Singapore)" in detail
    assert f"Tue 10:00–10:45 for {mentee.first_name} (Europe/London)" in detail
    workspace = _page(client_for(mentee), f"/mentorships/{mentorship.pk}/")
    assert "Tuesday 4 Mar, 10:00–10:45" in workspace
    assert f"Tuesday 18:00–18:45 for {mentor.first_name} (Asia/Singapore)" in workspace


def _line(page: str, title: str) -> str:
    """The list item of the action item ``title`` in ``page`` (the first one)."""
    found = re.search(rf"<li>{re.escape(title)} .*?</li>", page, re.S)
    assert found, f"no line for {title!r}"
    return found[0]


def _since(mentorship: Mentorship, start: datetime.datetime) -> None:
    mentorship.started_at = start
    mentorship.save(update_fields=["started_at"])


def test_the_meeting_page_marks_overdue_carried_over_items_like_the_mentorship_page(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    _since(mentorship, timezone.now() - datetime.timedelta(days=60))
    held = services.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(days=10)
    )
    today = timezone.localdate()
    for title, days in (("Say no once", -3), ("Read the design doc", 3)):
        actions.action_item_add(
            mentorship=mentorship, by=mentor, title=title, owner=mentee, meeting=held,
            due_on=today + datetime.timedelta(days=days),
        )  # fmt: skip
    coming = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    client = client_for(mentee)
    for url in (f"/mentorships/{mentorship.pk}/meetings/{coming.pk}/",
                f"/mentorships/{mentorship.pk}/"):  # fmt: skip
        page = _page(client, url)
        assert "Overdue" in _line(page, "Say no once"), url
        assert "Overdue" not in _line(page, "Read the design doc"), url


def test_a_due_date_shows_its_year_when_it_is_not_this_year(
    client_for: Callable[[Person | None], Client],
    mentorship: Mentorship,
    mentee: Person,
    mentor: Person,
) -> None:
    _since(mentorship, datetime.datetime(1998, 6, 1, tzinfo=datetime.UTC))
    held = services.meeting_log(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() - datetime.timedelta(days=10)
    )
    today = timezone.localdate()
    for title, due in (("Draft the RFC", datetime.date(1999, 1, 1)), ("Read", today)):
        actions.action_item_add(
            mentorship=mentorship, by=mentor, title=title, owner=mentee, meeting=held, due_on=due
        )
    coming = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=5)
    )
    client = client_for(mentee)
    for url in (f"/mentorships/{mentorship.pk}/",
                f"/mentorships/{mentorship.pk}/meetings/{coming.pk}/",
                f"/mentorships/{mentorship.pk}/meetings/{held.pk}/"):  # fmt: skip
        page = _page(client, url)
        assert "· due 1 Jan 1999</span>" in page, url
        assert f"· due {today.day} {today:%b}</span>" in page, url


def test_the_note_boxes_count_up_to_the_longest_note_the_server_keeps(
    client_for: Callable[[Person | None], Client], mentorship: Mentorship, mentee: Person
) -> None:
    """A walk typed 20,000 characters into a note with no limit or counter in sight."""
    from mentorbridge.mentorships.notes.services import NOTE_MOST

    meeting = services.meeting_plan(
        mentorship=mentorship, by=mentee, starts_at=timezone.now() + datetime.timedelta(days=2)
    )
    page = client_for(mentee).get(f"/mentorships/{mentorship.pk}/meetings/{meeting.pk}/")
    text = page.content.decode()
    limit = f'maxlength="{NOTE_MOST}" data-maxlength="{NOTE_MOST}"'
    assert f'id="shared-text" name="text" rows="3" required {limit}' in text
    assert f'id="private-text" name="text" rows="4" {limit}' in text
