"""The profile form's helpers and the API docs, in a real browser (issue 9)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.browser.conftest import shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sao_paulo_page(browser: Browser, live_server: object) -> Iterator[Page]:
    """A browser whose own timezone is America/Sao_Paulo."""
    context = browser.new_context(
        base_url=str(live_server), viewport={"width": 1280, "height": 900},
        timezone_id="America/Sao_Paulo",
    )  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# The page's own content, not the site header (the navigation's width is its own test).
WIDEST_IN_MAIN = """Math.max(...[...document.querySelectorAll('main *')]
    .map(e => e.getBoundingClientRect().right))"""


def fits(page: Page, width: int) -> None:
    """Nothing in the page's main content reaches past ``width`` pixels."""
    page.set_viewport_size({"width": width, "height": 900})
    widest = page.evaluate(WIDEST_IN_MAIN)
    assert widest <= width, f"{page.url}: content reaches {widest}px at {width}px"


def test_the_api_docs_load_without_internet(page: Page, mentee: Person) -> None:
    outside: list[str] = []

    def only_this_server(route: Route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("localhost", "127.0.0.1"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    sign_in(page, mentee)
    page.goto("/api/v1/docs")
    # A 1.7 MB script on a busy machine: allow it time to start.
    expect(page.locator(".info .title")).to_contain_text("MentorBridge API", timeout=30_000)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    shoot(page, "60-api-docs-offline")
    assert outside == []


def test_the_profile_form_counts_offers_timezone_and_asks_about_new_skills(
    sao_paulo_page: Page, mentee: Person
) -> None:
    page = sao_paulo_page
    Person.objects.filter(pk=mentee.pk).update(timezone="UTC")
    sign_in(page, mentee)
    page.goto("/people/me/edit/")
    timezone = page.get_by_label("Timezone")
    expect(timezone).to_have_value("America/Sao_Paulo")
    expect(page.get_by_text("Filled in from your browser: America/Sao_Paulo.")).to_be_visible()

    page.get_by_label("Bio").fill("I build APIs.")
    expect(page.locator("#id_bio-counter")).to_contain_text("13 / 4000")
    expect(page.locator("#id_bio-counter [aria-live=polite]")).to_have_text(
        "13 of 4000 characters used"
    )

    skill = page.get_by_label("Skill name").last
    skill.fill("k8s")
    expect(page.locator("#skill-options option[value=Kubernetes]")).to_have_count(1)
    skill.fill("Underwater basket weaving")
    page.get_by_label("Level").last.select_option("2")
    page.get_by_role("button", name="Save profile").click()
    expect(
        page.get_by_text("“Underwater basket weaving” is not in the skills catalogue.")
    ).to_be_visible()
    shoot(page, "61-profile-new-skill-question")
    fits(page, 390)
    shoot(page, "61-profile-new-skill-question-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Keep “Underwater basket weaving” as my own skill").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    mentee.refresh_from_db()
    assert mentee.timezone == "America/Sao_Paulo"
    assert [ps.skill.name for ps in mentee.person_skills.all()] == ["Underwater basket weaving"]


def test_focus_area_skills_complete_the_last_skill_typed(
    page: Page, outsider: Person, program: Program
) -> None:
    sign_in(page, outsider)
    page.goto("/programs/engineering-growth/join/")
    page.get_by_role("radio", name="Mentee", exact=True).check()
    page.get_by_label("Skills involved").first.fill("Negotiation, k8s")
    expect(
        page.locator('#fa-0-skills-options option[value="Negotiation, Kubernetes"]')
    ).to_have_count(1)
    page.get_by_label("What you want to be able to do").first.fill("Run my own cluster")
    expect(page.locator("#fa-0-description-counter")).to_contain_text("18 / 2000")
    shoot(page, "62-join-focus-area-skills")
    fits(page, 390)
    shoot(page, "62-join-focus-area-skills-390")
