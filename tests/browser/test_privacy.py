"""A person downloads their data, and a site admin erases a person, in a real browser, at
1280 px and 390 px wide; the audit log shows both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program
from tests.browser.conftest import shoot, sign_in
from tests.privacy.world import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDEST_IN_PAGE = """() => {
  const over = [];
  for (const el of document.querySelectorAll("body *")) {
    const right = Math.ceil(el.getBoundingClientRect().right);
    if (right > window.innerWidth) over.push(`${el.tagName}.${el.className}#${el.id} ${right}`);
  }
  return over;
}"""


@pytest.fixture
def world(program: Program, mentee: Person, mentor: Person) -> World:
    return build_world(program, mentee, mentor)


def fits_390(page: Page, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, f"{name}-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate(WIDEST_IN_PAGE) == []
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_person_downloads_all_their_data(
    page: Page, world: World, program: Program, tmp_path: Path
) -> None:
    sign_in(page, world.mentee)
    page.get_by_text("Mia", exact=True).first.click()  # the account menu
    page.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    shoot(page, "privacy-home")
    fits_390(page, "privacy-home")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download all my data (JSON)").click()
    path = tmp_path / "data.json"
    download.value.save_as(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["sections"]["profile"]["data"]["bio"] == "I love sailing on Lake Constance."
    assert download.value.suggested_filename.startswith("mentorbridge-my-data-")


def test_a_site_admin_erases_a_person_after_naming_them(
    page: Page, world: World, site_admin: Person
) -> None:
    sign_in(page, site_admin)
    page.goto(f"/people/{world.mentee.employee_id}/")
    page.get_by_role("button", name="Erase this person…").click()
    expect(page.get_by_role("heading", name="Erase Mia Mentee")).to_be_visible()
    shoot(page, "privacy-erase")
    fits_390(page, "privacy-erase")
    confirm = page.get_by_label("Type Mia Mentee (or the employee ID) to confirm")
    confirm.fill("Mia")
    page.get_by_role("button", name="Erase Mia Mentee").click()
    expect(page.get_by_text("Type Mia Mentee's full name or employee ID")).to_be_visible()
    page.get_by_label("Type Mia Mentee (or the employee ID) to confirm").fill("Mia Mentee")
    page.get_by_role("button", name="Erase Mia Mentee").click()
    label = f"Erased person #{world.mentee.pk}"
    expect(page.get_by_text(f"Mia Mentee is erased and is now “{label}”")).to_be_visible()
    page.goto(f"/people/erased-{world.mentee.pk}/")
    expect(page.get_by_role("heading", name=label)).to_be_visible()
    expect(page.get_by_text("I love sailing")).to_have_count(0)
    page.goto("/audit/?action=person.erased")
    expect(page.locator("#audit-events")).to_contain_text(f"{label} erased")
    shoot(page, "audit-log")
    fits_390(page, "audit-log")
