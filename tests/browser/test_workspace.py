"""The mentorship workspace in a real browser: a request accepted, the mentorship page, the
agreement drafted by one, changed and confirmed by the other, confirmed by the first, goals
with milestones, one ticked off, and a goal review. Every page is shot at 1280 and 390 px and
must fit 390 px without scrolling sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentorbridge.matching.services.requests import request_create
from mentorbridge.mentorships.appreciation.models import ThankYouNote
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.browser.conftest import shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shoot_both(page: Page, name: str) -> None:
    """Screenshots at desktop and phone width; the phone page must not scroll sideways."""
    shoot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, f"{name}-390")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow} px too wide at 390 px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_pair_agrees_sets_goals_ticks_a_milestone_and_reviews_goals(
    page: Page, program: Program, mentee: Person, mentor: Person, program_admin: Person
) -> None:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    request_create(mentee=mentee, mentor=mentor, focus_area=area, message="Would you mentor me?")

    # Max accepts and opens the new mentorship from the message.
    sign_in(page, mentor)
    page.goto("/mentoring/inbox/")
    page.get_by_role("button", name="Accept").click()
    page.get_by_role("link", name="Open your mentorship").click()
    expect(page.get_by_role("heading", name="Mentoring Mia Mentee")).to_be_visible()
    expect(page.get_by_role("heading", name="Agree on how you'll work together")).to_be_visible()
    shoot_both(page, "40-workspace-new")

    # Max drafts the agreement from the program's template.
    page.get_by_role("button", name="Draft the agreement").click()
    expect(page.get_by_role("heading", name="Change the agreement")).to_be_visible()
    page.get_by_label("What Max wants from it").fill("Practise coaching someone new.")
    page.get_by_label("What you changed").fill("My hopes")
    page.get_by_role("button", name="Save as version 2").click()
    expect(page.get_by_text("Saved as version 2")).to_be_visible()
    page.context.clear_cookies()

    # Mia changes it (adds the video link) and confirms her version.
    sign_in(page, mentee)
    page.goto("/programs/engineering-growth/")
    page.get_by_role("link", name="Open the mentorship").click()
    expect(page.get_by_role("heading", name="Read and confirm the agreement")).to_be_visible()
    page.get_by_role("button", name="Change the agreement").click()
    page.get_by_label("How often we meet").select_option("weekly")
    page.get_by_label("Video link").fill("https://meet.example.com/mia-max")
    page.get_by_label("What you changed").fill("Weekly, with our link")
    shoot_both(page, "41-agreement-edit")
    page.get_by_role("button", name="Save as version 3").click()
    page.get_by_role("button", name="Confirm version 3").click()
    expect(page.get_by_text("It is in force once Max confirms too.")).to_be_visible()
    page.context.clear_cookies()

    # Max reads what changed and confirms too.
    sign_in(page, mentor)
    mentorship = Mentorship.objects.get()
    page.goto(f"/mentorships/{mentorship.pk}/")
    page.get_by_role("link", name="All 3 versions and what changed").click()
    page.get_by_role("link", name="What changed from version 2").click()
    expect(page.locator("del", has_text="Every two weeks")).to_be_visible()
    expect(page.locator("ins", has_text="Weekly")).to_be_visible()
    shoot_both(page, "42-agreement-compare")
    page.get_by_role("link", name="Back to the mentorship").click()
    page.get_by_role("button", name="Confirm version 3").click()
    expect(page.get_by_text("Confirmed by both of you")).to_be_visible()
    expect(page.get_by_text("In force · version 3")).to_be_visible()
    page.context.clear_cookies()

    # Mia sets two goals with milestones and ticks one off.
    sign_in(page, mentee)
    page.goto(f"/mentorships/{mentorship.pk}/")
    expect(page.get_by_role("heading", name="Set your first goals")).to_be_visible()
    page.get_by_role("button", name="Add a goal").first.click()
    page.get_by_role("textbox", name="Goal", exact=True).fill("Lead a design review")
    page.get_by_label("Why it matters").fill("It is what the next level asks for.")
    page.get_by_label("Milestones").fill("Shadow a review\nCo-lead a review\nLead one alone")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_role("textbox", name="Goal", exact=True).fill("Learn Rust")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_role("button", name="Tick off “Shadow a review”").click()
    expect(page.get_by_text("Ticked off: “Shadow a review”. Well done!")).to_be_visible()
    expect(page.get_by_text("1 of 3 milestones reached")).to_be_visible()
    shoot_both(page, "43-workspace-goals")

    # The goal review: keep the first, drop the second with a note.
    page.get_by_role("link", name="Goal review").click()
    review = page.locator(".review-goal", has_text="Learn Rust")
    review.get_by_label("Drop it").check()
    review.get_by_label("Note on “Learn Rust”").fill("Not what my team needs now.")
    page.locator(".review-goal", has_text="Lead a design review").get_by_label(
        "Note on “Lead a design review”"
    ).fill("On track.")
    shoot_both(page, "44-goal-review")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Goal review saved")).to_be_visible()
    expect(page.locator(".goal-card", has_text="Learn Rust")).to_contain_text("Dropped")
    page.locator(".goal-card", has_text="Learn Rust").get_by_role("link", name="History").click()
    expect(page.get_by_text("Goal review: dropped.")).to_be_visible()
    expect(page.get_by_text("“Not what my team needs now.”")).to_be_visible()
    shoot_both(page, "45-goal-history")
    page.context.clear_cookies()

    # The program admin sees the state and dates, and is told why not more.
    sign_in(page, program_admin)
    page.goto(f"/mentorships/{mentorship.pk}/")
    expect(page.get_by_text("never shown to program admins or site admins")).to_be_visible()
    expect(page.get_by_text("In force since")).to_be_visible()
    expect(page.get_by_text("Lead a design review")).to_have_count(0)
    shoot_both(page, "46-mentorship-state-for-admins")


def test_a_thank_you_sent_twice_is_one_note_and_the_notice_shows_where_the_page_opens(
    page: Page, program: Program, mentee: Person, mentor: Person
) -> None:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    mentorship = mentorship_start(
        program=program, mentee=mentee, mentor=mentor, focus_area=area, source="request"
    )
    sign_in(page, mentee)
    page.set_viewport_size({"width": 390, "height": 844})
    for notice in ("Your thank-you note is on its way.", "You already sent"):
        page.goto(f"{mentorship.get_absolute_url()}thanks/")
        page.get_by_label("Your thank-you note").fill("Thank you for the roadmap review.")
        page.get_by_role("button", name="Send thanks").click()
        page.wait_for_url("**#feedback")
        page.wait_for_load_state("load")
        # the page opens at the feedback section, and the notice is there, in sight
        expect(page.get_by_role("status").filter(has_text=notice)).to_be_in_viewport()
    # "already sent" is information, not a second success: it does not look like one
    already = page.get_by_role("status").locator("li", has_text="You already sent")
    success = "rgb(220, 252, 231)"
    assert already.evaluate("li => getComputedStyle(li).backgroundColor") != success
    shoot_both(page, "thanks-sent-twice")
    assert ThankYouNote.objects.filter(mentorship=mentorship).count() == 1
