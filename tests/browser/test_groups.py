"""A group in the browser, on a 390 px phone: the mentor adds a mentee from the mentorship's
people panel, the page shows the group at once and fits the screen; the new member sees the
group's workspace and leaves it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentorbridge.mentorships.services import mentorship_start
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.browser.conftest import shoot, sign_in
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_the_mentor_makes_a_group_and_the_new_member_leaves_it_on_a_phone(
    page: Page, mentee: Person, mentor: Person, program: Program
) -> None:
    mentorship = mentorship_start(
        program=program, mentee=mentee, mentor=mentor, source="request",
        focus_area=mentee.enrollments.get(program=program).focus_areas.get(),
    )  # fmt: skip
    gus = PersonFactory(
        first_name="Gustavo", last_name="Oyelaran-Schwarzenberger", user__email="gus@example.com",
        job_title="Principal Site Reliability Engineering Manager",
    )  # fmt: skip
    FocusAreaFactory(enrollment=EnrollmentFactory(program=program, person=gus, role="mentee"))
    page.set_viewport_size(PHONE)
    sign_in(page, mentor)
    page.goto(f"/mentorships/{mentorship.pk}/")
    page.get_by_text("Add a mentee to this mentorship (make it a group)").click()
    page.get_by_label("Work email or employee ID").fill("nobody@example.com")
    page.get_by_role("button", name="Add to the group").click()
    expect(page.get_by_text("No one in the directory has the work email")).to_be_visible()
    page.get_by_label("Work email or employee ID").fill("gus@example.com")
    page.get_by_role("button", name="Add to the group").click()
    expect(page.get_by_role("heading", name="The group (3 people)")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mentoring Mia Mentee and")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot(page, "60-group-mentor-390")
    page.context.clear_cookies()
    sign_in(page, gus)
    page.goto(f"/mentorships/{mentorship.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Mentored by Max Mentor, with Mia Mentee"
    )
    shoot(page, "61-group-member-390")
    page.locator("summary", has_text="Leave this group").click()
    expect(page.get_by_text("Your private notes stay yours")).to_be_visible()
    page.get_by_role("button", name="Leave this group").click()
    expect(page.get_by_text("You left the group of Max Mentor.")).to_be_visible()
