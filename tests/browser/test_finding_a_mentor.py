"""Finding a mentor in a real browser: a request accepted, and an admin's matching round."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentorbridge.matching.models import Proposal
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills
from mentorbridge.programs.models import FocusArea, Program
from tests.browser.conftest import shoot, sign_in
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def focus_area(mentee: Person, program: Program, mentor: Person) -> FocusArea:
    from mentorbridge.people.services import skill_for_name

    person_set_skills(person=mentor, skills=[SkillEntry("System design", 5)])
    area = mentee.enrollments.get(program=program).focus_areas.get()
    area.skills.set([skill_for_name("System design")])
    return area


def test_a_mentee_finds_and_requests_a_mentor_who_accepts(
    page: Page, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    sign_in(page, mentee)
    page.goto("/programs/engineering-growth/")
    page.get_by_role("link", name="Find a mentor →").click()
    card = page.locator("#mentor-" + mentor.employee_id)
    expect(card.locator(".why")).to_contain_text("knows System design (5/5)")
    shoot(page, "20-find-a-mentor")
    card.get_by_text("Ask Max to mentor you…").click()
    card.get_by_label("Message to Max").fill(
        "Your design reviews are legendary; I'd love to learn."
    )
    card.get_by_role("button", name="Send request to Max").click()
    expect(card.get_by_text("Request sent to Max Mentor")).to_be_visible()
    expect(page.locator("#my-requests-link")).to_have_text("Your requests (1/3 open)")
    page.context.clear_cookies()

    sign_in(page, mentor)
    page.get_by_role("link", name="My mentoring 1 waiting for you").click()
    expect(page.get_by_text("Request from Mia Mentee")).to_be_visible()
    shoot(page, "21-my-mentoring-as-mentor")
    page.get_by_role("button", name="Answer").click()
    expect(page.get_by_text("Your design reviews are legendary")).to_be_visible()
    shoot(page, "21-mentor-inbox")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You're now mentoring Mia Mentee")).to_be_visible()
    assert Mentorship.objects.get().mentor == mentor


def test_a_request_the_server_refuses_says_why_and_keeps_what_was_typed(
    page: Page, mentee: Person, mentor: Person, focus_area: FocusArea
) -> None:
    """htmx 2 swaps no 4xx answer by default: a message of only spaces (422, the form with
    its error) and one with a NUL byte (400, refused before any view) used to change
    nothing on the page."""
    sign_in(page, mentee)
    page.goto(f"/programs/engineering-growth/find/{focus_area.pk}/")
    card = page.locator("#mentor-" + mentor.employee_id)
    card.get_by_text("Ask Max to mentor you…").click()
    card.get_by_label("Message to Max").fill("   ")
    card.get_by_role("button", name="Send request to Max").click()
    expect(card.get_by_role("alert")).to_contain_text("Tell Max Mentor why")
    shoot(page, "20-request-refused")

    card.get_by_label("Message to Max").fill("Hello\x00there")
    card.get_by_role("button", name="Send request to Max").click()
    expect(card.get_by_role("alert")).to_contain_text("must not contain a NUL byte")
    expect(card.get_by_label("Message to Max")).to_have_value("Hello\x00there")
    card.get_by_label("Message to Max").fill("Your design reviews are legendary.")
    card.get_by_role("button", name="Send request to Max").click()
    expect(card.get_by_text("Request sent to Max Mentor")).to_be_visible()
    expect(card.get_by_role("alert")).to_have_count(0)


def test_an_admin_runs_pins_forbids_resolves_and_publishes_a_round(
    page: Page,
    program: Program,
    program_admin: Person,
    mentee: Person,
    mentor: Person,
    focus_area: FocusArea,
) -> None:
    other = PersonFactory(first_name="Olu", last_name="Other", level=5)
    EnrollmentFactory(program=program, person=other, role="mentor", mentor_capacity=2)
    second = FocusAreaFactory(
        enrollment=EnrollmentFactory(
            program=program, role="mentee", person=PersonFactory(first_name="Nia")
        ),
        title="Run better retros",
    )
    sign_in(page, program_admin)
    page.goto("/programs/engineering-growth/rounds/")
    shoot(page, "22-rounds")
    page.get_by_role("button", name="Match the cohort").click()
    expect(page.get_by_role("heading", name="Proposed pairs (2)")).to_be_visible()
    shoot(page, "23-round-preview")

    # Pin Olu for Mia, then forbid that same pair, then re-solve with the fair objective.
    page.get_by_text("Pin a pair").click()
    page.get_by_label("Mentee's focus area").fill(
        f"Mia Mentee: {focus_area.title} [#{focus_area.pk}]"
    )
    page.get_by_label("Mentor", exact=True).fill(f"Olu Other [{other.employee_id}]")
    page.get_by_role("button", name="Pin and re-solve").last.click()
    row = page.locator("tr", has_text="Mia Mentee")
    expect(row.get_by_text("pinned")).to_be_visible()
    expect(row.get_by_role("link", name="Olu Other")).to_be_visible()
    row.get_by_text("Change…").click()
    row.get_by_role("button", name="Forbid and re-solve").click()
    mia = page.locator("tr", has_text="Mia Mentee")
    expect(mia.get_by_role("link", name="Olu Other")).to_have_count(0)
    page.get_by_text("Change the settings").click()
    page.get_by_label("Objective").select_option("fair")
    page.get_by_role("button", name="Re-solve", exact=True).click()
    expect(page.locator(".lede")).to_contain_text(
        "Fairest (raise the weakest match first) · 1 forbidden"
    )
    shoot(page, "24-round-resolved")
    page.get_by_text("Publish 2 proposals…").click()
    page.get_by_role("button", name="Yes, send 2 proposals").click()
    expect(page.get_by_text("Published: 2 proposals sent")).to_be_visible()
    assert Proposal.objects.filter(status="sent").count() == 2
    assert Proposal.objects.filter(status="sent", focus_area=second).exists()
