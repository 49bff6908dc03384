"""Every main page fits a 390 px wide phone without sideways scrolling, and the header's
links and user menu show where the keyboard focus is and open with the keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentorbridge.matching.services import requests as request_services
from mentorbridge.matching.services import rounds
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills, skill_for_name
from mentorbridge.programs.models import Program
from tests.browser.conftest import shoot, sign_in
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
P = "/programs/engineering-growth"


@pytest.fixture
def busy_program(
    program: Program, mentee: Person, mentor: Person, program_admin: Person
) -> dict[str, str]:
    """A program with long names, requests, a mentorship and a round: what makes tables wide."""
    person_set_skills(person=mentor, skills=[SkillEntry("System design", 5)])
    area = mentee.enrollments.get(program=program).focus_areas.get()
    area.skills.set([skill_for_name("System design")])
    for n in range(4):
        person = PersonFactory(
            first_name=f"Maximiliana{n}", last_name="Schwarzenberger-Oyelaran",
            job_title="Principal Site Reliability Engineering Manager", level=6,
        )  # fmt: skip
        EnrollmentFactory(program=program, person=person, role="mentor", mentor_capacity=2)
        other = FocusAreaFactory(
            enrollment=EnrollmentFactory(program=program, role="mentee"),
            title="Get better at cross-functional stakeholder communication",
        )
        request_services.request_create(
            mentee=other.enrollment.person, mentor=mentor, focus_area=other, message="Hello!"
        )
    matching_round = rounds.round_start(program=program, by=program_admin)
    return {"area": str(area.pk), "round": str(matching_round.pk)}


def fits(page: Page, url: str, name: str) -> None:
    page.goto(url)
    expect(page.locator("main")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    shoot(page, f"40-{name}-390")
    assert width <= 390, f"{url} is {width} px wide at 390 px"


def test_every_main_page_fits_390_px(
    page: Page, busy_program: dict[str, str], mentee: Person, mentor: Person,
    program_admin: Person,
) -> None:  # fmt: skip
    page.set_viewport_size(PHONE)
    sign_in(page, mentee)
    for url, name in [
        ("/", "home"), ("/people/", "people"), (mentor.get_absolute_url(), "profile"),
        ("/people/me/edit/", "edit-profile"), ("/programs/", "programs"), (P + "/", "program"),
        (f"{P}/find/{busy_program['area']}/", "find"), ("/mentoring/mine/", "my-mentoring"),
        ("/accounts/tokens/", "tokens"),
    ]:  # fmt: skip
        fits(page, url, f"mentee-{name}")
    page.context.clear_cookies()
    sign_in(page, mentor)
    fits(page, "/mentoring/inbox/", "mentor-inbox")
    fits(page, "/mentoring/mine/", "mentor-my-mentoring")
    page.context.clear_cookies()
    sign_in(page, program_admin)
    for url, name in [
        (P + "/enrollments/", "enrollments"), (P + "/rounds/", "rounds"),
        (f"{P}/rounds/{busy_program['round']}/", "round"), ("/people/import/", "import"),
    ]:  # fmt: skip
        fits(page, url, f"admin-{name}")


def test_the_header_is_compact_on_a_phone_and_its_menu_opens_with_the_keyboard(
    page: Page, mentee: Person
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, mentee)
    header = page.locator("header.site").bounding_box()
    assert header is not None and header["height"] <= 64
    links = page.get_by_role("link", name="People")
    expect(links).to_be_hidden()
    menu = page.locator("details.site-menu > summary")
    menu.focus()
    page.keyboard.press("Enter")
    expect(links).to_be_visible()
    shoot(page, "41-phone-menu-open")
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()


def focus_ring(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {style: s.outlineStyle, width: s.outlineWidth, tag: document.activeElement.tagName,"
        " text: document.activeElement.textContent.trim()}; }"
    )


def test_navigation_links_and_the_user_menu_show_keyboard_focus(page: Page, mentee: Person) -> None:
    sign_in(page, mentee)
    expect(page.get_by_role("link", name="My mentoring", exact=True)).to_be_visible()
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        ring = focus_ring(page)
        seen.append(ring["text"])
        if ring["tag"] in ("A", "SUMMARY") and ring["text"] != "Skip to content":
            assert ring["style"] != "none" and ring["width"] != "0px", ring
        if ring["tag"] == "SUMMARY":
            break
    assert "People" in seen and "My mentoring" in seen and seen[-1] == "Mia", seen
    shoot(page, "42-focus-on-user-menu")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="My profile")).to_be_visible()
    page.keyboard.press("Tab")
    assert focus_ring(page)["text"] == "My profile"
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="My profile")).to_be_hidden()
    assert focus_ring(page)["tag"] == "SUMMARY"


def test_a_short_page_keeps_its_colour_down_to_the_bottom_of_the_screen(
    page: Page, mentee: Person
) -> None:
    sign_in(page, mentee)
    page.set_viewport_size(PHONE)
    page.goto("/notifications/")
    colours = page.evaluate(
        """() => [document.documentElement, document.body].map(
            e => getComputedStyle(e).backgroundColor)"""
    )
    assert colours == ["rgb(248, 250, 252)", "rgb(248, 250, 252)"]
