"""Filter live, leave, press Back: the whole page comes back (header, filters and all), not
the fragment HTMX swapped in. The pushed URL's response varies on HX-Request, so the browser
cache never hands the fragment back as the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.browser.conftest import shoot, sign_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def back_shows_the_whole_page(page: Page, search: str) -> None:
    page.go_back()
    expect(page.locator("header.site")).to_be_visible()
    expect(page.locator("link[href$='app.css']")).to_have_count(1)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(search)).to_be_visible()


def test_back_after_a_live_search_in_the_directory_shows_the_whole_page(
    page: Page, mentee: Person
) -> None:
    PersonFactory(first_name="Zora", last_name="Quill", job_title="Data Engineer")
    sign_in(page, mentee)
    page.goto("/people/")
    page.get_by_role("searchbox").first.fill("Quill")
    expect(page).to_have_url(re.compile(r"/people/\?q=Quill"))
    page.get_by_role("link", name="Zora Quill").click()
    page.wait_for_url("**/people/T*/")
    back_shows_the_whole_page(page, "#results")
    expect(page.get_by_role("link", name="Zora Quill")).to_be_visible()
    shoot(page, "30-back-to-the-directory")


def test_back_after_filtering_enrollments_shows_the_whole_page(
    page: Page, program: Program, program_admin: Person, mentee: Person
) -> None:
    sign_in(page, program_admin)
    page.goto("/programs/engineering-growth/enrollments/")
    page.locator("form.filters input[name=q]").fill("Mia")
    expect(page).to_have_url(re.compile(r"/enrollments/\?.*q=Mia"))
    page.get_by_role("link", name="Mia Mentee").first.click()
    page.wait_for_url("**/people/T*/")
    back_shows_the_whole_page(page, "#enrollment-rows")


def test_back_after_filtering_suggestions_shows_the_whole_page(
    page: Page, program: Program, mentee: Person, mentor: Person
) -> None:
    area = mentee.enrollments.get(program=program).focus_areas.get()
    sign_in(page, mentee)
    page.goto(f"/programs/engineering-growth/find/{area.pk}/")
    page.get_by_label("Search").fill("Max")
    expect(page).to_have_url(re.compile(r"/find/\d+/\?q=Max"))
    page.get_by_role("link", name="Max Mentor").click()
    page.wait_for_url("**/people/T*/")
    back_shows_the_whole_page(page, "#suggestions")
