"""Keeping a mentorship alive in a real browser: the mentee checks in (“no”), the program
admin sees it at risk with the reason on the Health page, the mentee pauses and, asked on the
resume date by email, resumes in one click; the mentorship completes, the mentee answers the
closure survey, the admin reads it on the closure page, and the mentee, invited to mentor,
enrolls as a mentor. Pages are shot at 1280 and 390 px and must fit 390 px."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorbridge.mentorships.lifecycle.nudges import nudges_sweep
from mentorbridge.mentorships.lifecycle.services import mentorship_complete
from mentorbridge.mentorships.models import Mentorship, MentorshipStatus
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program
from tests.browser.conftest import shoot, sign_in
from tests.factories import ProgramFactory
from tests.outbox.helpers import send_outbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot_both(page: Page, name: str) -> None:
    """Screenshots at desktop and phone width; the phone page must not scroll sideways."""
    shoot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, f"{name}-390")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow} px too wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def mentorship(program: Program, mentee: Person, mentor: Person) -> Mentorship:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    return mentorship_start(
        program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
    )


def test_check_in_at_risk_pause_resume_closure_and_paying_it_forward(
    page: Page, mentorship: Mentorship, mentee: Person, mentor: Person, program_admin: Person
) -> None:
    ProgramFactory(name="Reverse Mentoring", slug="reverse-mentoring", status="enrolling")

    # Mia checks in: it isn't working.
    sign_in(page, mentee)
    page.goto(mentorship.get_absolute_url())
    page.get_by_role("link", name="Check in", exact=True).click()
    page.get_by_label("2", exact=True).first.check()
    page.locator("input[name=progress][value='2']").check()
    page.locator("input[name=working][value='no']").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("At risk").first).to_be_visible()
    shoot_both(page, "70-workspace-at-risk")
    page.context.clear_cookies()

    # Ada (program admin) sees it at risk with the reason and the last meeting.
    sign_in(page, program_admin)
    page.goto("/programs/engineering-growth/health/")
    row = page.get_by_role("row").filter(has_text="Mia Mentee with Max Mentor")
    expect(row.get_by_text("At risk")).to_be_visible()
    expect(
        row.get_by_text("A check-in answered “no” to “Is this working for you?”.")
    ).to_be_visible()
    expect(row.get_by_text("none yet")).to_be_visible()
    shoot_both(page, "71-health-at-risk")
    page.context.clear_cookies()

    # Mia pauses until next week; the page shows the pause and that the place is held.
    resume_on = timezone.localdate() + datetime.timedelta(days=7)
    sign_in(page, mentee)
    page.goto(mentorship.get_absolute_url())
    page.get_by_role("link", name="Pause", exact=True).click()
    page.get_by_label("Why pause?").fill("Two weeks of conference travel")
    page.get_by_label("Resume on").fill(resume_on.isoformat())
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_text(f"Paused until {resume_on:%-d %b %Y}", exact=True)).to_be_visible()
    expect(page.get_by_text("The mentor's place is still held")).to_be_visible()
    shoot_both(page, "72-workspace-paused")
    page.context.clear_cookies()

    # On the resume date the daily sweep asks Mia by email; she resumes in one click.
    nudges_sweep(today=resume_on)
    send_outbox()
    [asked] = [e for e in mail.outbox if "resume now" in e.subject]
    assert asked.to == [mentee.email]
    link = re.search(r"^Resume now: \S*?(/mentorships/pause-answer/\S+)$", asked.body, re.M)
    assert link is not None
    page.goto(link.group(1))
    shoot_both(page, "73-pause-answer")
    page.get_by_role("button", name="Resume now").click()
    expect(page.get_by_text("Resumed: welcome back.")).to_be_visible()
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE

    # The end date passes: the mentorship completes; Mia answers the closure survey.
    mentorship_complete(mentorship=mentorship, ends_on=timezone.localdate())
    sign_in(page, mentee)
    page.goto(f"/mentorships/{mentorship.pk}/closure/")
    page.locator("input[name=goals_reached][value='partly']").check()
    page.get_by_label("What helped most?").fill("Honest feedback on my design docs")
    page.get_by_label("Who reads this answer").nth(1).select_option("team")
    page.locator("input[name=would_recommend][value='yes']").check()
    page.locator("input[name=overall][value='4']").check()
    page.get_by_label("Who reads this answer").nth(3).select_option("stats")
    shoot_both(page, "74-closure-survey")
    page.get_by_role("button", name="Send closure survey").click()
    expect(page.get_by_text("Thank you for looking back")).to_be_visible()

    # Invited to mentor: from the bell to the join form, set to mentor.
    page.goto("/notifications/")
    page.get_by_text("Pay it forward: mentor someone in Reverse Mentoring").click()
    expect(page.get_by_role("heading", name="Join Reverse Mentoring")).to_be_visible()
    expect(page.get_by_label("Mentor", exact=True)).to_be_checked()
    shoot_both(page, "75-join-as-mentor")
    page.get_by_role("button", name="Join program").click()
    expect(page.get_by_text("Welcome to Reverse Mentoring!")).to_be_visible()
    joined = Enrollment.objects.get(person=mentee, program__slug="reverse-mentoring")
    assert joined.role == "mentor"
    page.context.clear_cookies()

    # Ada reads the survey: what Mia shared with the team, not what she kept for statistics.
    sign_in(page, program_admin)
    page.goto("/programs/engineering-growth/health/")
    page.get_by_role("button", name="Closure surveys").click()
    expect(page.get_by_text("Honest feedback on my design docs")).to_be_visible()
    expect(page.get_by_text("kept for the statistics").first).to_be_visible()
    shoot_both(page, "76-closure-results")
    assert Program.objects.get(slug="engineering-growth").mentorships.get().status == "ended"
