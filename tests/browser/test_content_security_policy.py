"""Pages run under the Content Security Policy without a single violation: every script,
style and image they need is allowed, so nothing silently stops working in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from mentorbridge.people.models import Person
from tests.browser.conftest import sign_in
from tests.browser.test_small_screens import P, busy_program  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_cause_no_policy_violation(
    page: Page, busy_program: dict[str, str], mentee: Person, program_admin: Person,  # noqa: F811
) -> None:  # fmt: skip
    refused: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    sign_in(page, mentee)
    for url in ["/", "/people/", "/people/me/edit/", P + "/", P + "/join/",
                f"{P}/find/{busy_program['area']}/", "/mentoring/mine/", "/api/v1/docs"]:  # fmt: skip
        page.goto(url)
        expect(page.locator("body")).to_be_visible()
        page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    sign_in(page, program_admin)
    for url in [P + "/enrollments/", P + "/rounds/", f"{P}/rounds/{busy_program['round']}/",
                "/people/import/", "/admin/"]:  # fmt: skip
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert not refused, "\n".join(refused)
