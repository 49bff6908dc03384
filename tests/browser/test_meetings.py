"""Meetings in a real browser, across two timezones: Max (New York) plans a weekly series,
Mia (Berlin) prepares the agenda, the meeting is held with shared and private notes and an
action item, the next meeting carries the item over, and the calendar feed lists every
meeting. Every page is shot at 1280 and 390 px and must fit 390 px."""

from __future__ import annotations

import dataclasses
import datetime

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorbridge.mentorships.agreements import services as agreements
from mentorbridge.mentorships.agreements.selectors import agreement_state
from mentorbridge.mentorships.goals.services import goal_create
from mentorbridge.mentorships.meetings.models import Meeting
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.browser.conftest import sign_in
from tests.browser.test_workspace import shoot_both

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _agreed(program: Program, mentee: Person, mentor: Person) -> Mentorship:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    m = mentorship_start(
        program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
    )
    agreements.agreement_draft(mentorship=m, by=mentee)
    latest = agreement_state(m).latest
    assert latest is not None
    terms = dataclasses.replace(
        agreements.AgreementTerms.of(latest), cadence="weekly", channel="video",
        video_link="https://meet.example.com/mia-max",
    )  # fmt: skip
    agreements.agreement_change(mentorship=m, by=mentor, terms=terms)
    for person in (mentee, mentor):
        agreements.agreement_confirm(mentorship=m, by=person, number=2)
    goal_create(mentorship=m, by=mentee, description="Lead a design review", milestones=["One"])
    return m


def test_a_pair_plans_prepares_holds_a_meeting_and_carries_over_its_action_items(
    page: Page, program: Program, mentee: Person, mentor: Person
) -> None:
    mentee.timezone, mentor.timezone = "Europe/Berlin", "America/New_York"
    mentee.save()
    mentor.save()
    m = _agreed(program, mentee, mentor)

    # Max plans three weekly meetings at 09:00 his time.
    sign_in(page, mentor)
    page.goto(f"/mentorships/{m.pk}/")
    expect(page.get_by_role("heading", name="Plan your first meeting")).to_be_visible()
    page.get_by_role("button", name="Plan a meeting").first.click()
    day = timezone.localdate() + datetime.timedelta(days=3)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Time").fill("09:00")
    page.get_by_label("How many meetings").fill("3")
    shoot_both(page, "50-meeting-plan")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.get_by_text("3 meetings planned; Mia got an invitation")).to_be_visible()
    expect(page.get_by_text("for Mia (Europe/Berlin)")).to_be_visible()
    shoot_both(page, "51-meeting-planned")
    page.context.clear_cookies()

    # Mia prepares the first meeting's agenda from her next step.
    sign_in(page, mentee)
    page.goto(f"/mentorships/{m.pk}/")
    expect(page.get_by_role("heading", name="meeting", exact=False).first).to_be_visible()
    expect(page.get_by_text("Prepare for")).to_be_visible()
    page.get_by_role("button", name="Prepare the agenda").click()
    page.get_by_label("Kind").select_option("question")
    page.get_by_label("Agenda item").fill("How do I run my first design review?")
    page.get_by_role("button", name="Add to agenda").click()
    expect(page.get_by_text("How do I run my first design review?")).to_be_visible()
    shoot_both(page, "52-meeting-agenda")
    page.context.clear_cookies()

    # The first meeting's time comes; Max marks it held, writes notes and an action item.
    first, second, _third = Meeting.objects.order_by("starts_at")
    Meeting.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    sign_in(page, mentor)
    page.goto(f"/mentorships/{m.pk}/")
    expect(page.get_by_role("heading", name="Say how the meeting went")).to_be_visible()
    page.get_by_role("button", name="Open the meeting").click()
    page.get_by_role("button", name="Mark held").click()
    expect(page.get_by_text("Marked held")).to_be_visible()
    page.get_by_label("Add a shared note").fill("Walked through a review checklist.")
    page.get_by_role("button", name="Add shared note").click()
    page.get_by_label("My private notes").fill("Mia is more ready than she thinks.")
    page.get_by_role("button", name="Save private notes").click()
    expect(page.get_by_text("Private notes saved")).to_be_visible()
    page.get_by_role("textbox", name="Action item").fill("Draft the review checklist")
    page.get_by_label("Who").select_option(label="Mia Mentee")
    page.get_by_label("Due").fill((timezone.localdate() + datetime.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Add action item").click()
    expect(page.get_by_text("Action item added")).to_be_visible()
    shoot_both(page, "53-meeting-held")
    page.context.clear_cookies()

    # Mia sees the shared note, not Max's private one; the next meeting carries the item.
    sign_in(page, mentee)
    page.goto(f"/mentorships/{m.pk}/meetings/{first.pk}/")
    expect(page.get_by_text("Walked through a review checklist.")).to_be_visible()
    expect(page.get_by_text("Mia is more ready than she thinks.")).to_have_count(0)
    page.goto(f"/mentorships/{m.pk}/meetings/{second.pk}/")
    expect(page.locator(".carried")).to_contain_text("Draft the review checklist")
    shoot_both(page, "54-meeting-carried-over")

    # Her calendar feed lists all three meetings.
    page.goto("/calendar/")
    url = page.get_by_label("Your private feed address").input_value()
    shoot_both(page, "55-calendar")
    path = "/calendar/" + url.rsplit("/calendar/", 1)[1]  # SITE_URL is not the live server's
    feed = icalendar.Calendar.from_ical(page.request.get(path).body())
    assert len(feed.walk("VEVENT")) == 3
