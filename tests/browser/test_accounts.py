"""Getting into an account in a real browser: an invitation's set-password link, the first
sign-in link from the sign-in page, a forgotten password, and changing a password."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from playwright.sync_api import Page, expect

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program
from mentorbridge.programs.services import enrollment_invite
from tests.accounts.queue import run_queued_tasks
from tests.browser.conftest import shoot, sign_in
from tests.factories import PASSWORD, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a river of quiet lanterns"
LINK = re.compile(r"http://\S+(/accounts/password/set/\S+)")


def emailed_path(to: str) -> str:
    """Work the task queue, then the path of the set-password link emailed to ``to``."""
    run_queued_tasks()
    [message] = [m for m in mail.outbox if m.to == [to]]
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def fits_narrow_screen(page: Page, name: str, part: str = "html") -> None:
    """The page (or one ``part`` of it) needs no horizontal scrolling at 390 px."""
    page.set_viewport_size({"width": 390, "height": 844})
    width = page.evaluate(f"document.querySelector('{part}').scrollWidth")
    shoot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert width <= 390, f"{name} is {width}px wide at 390px"


def newcomer() -> Person:
    return PersonFactory(
        first_name="Nia", last_name="Newcomer", user__email="nia@example.com",
        user__password=make_password(None),
    )  # fmt: skip


def test_an_invited_person_sets_a_password_and_joins_the_program(
    page: Page, program: Program, program_admin: Person
) -> None:
    nia = newcomer()
    enrollment_invite(program=program, people=[nia], role="mentee", invited_by=program_admin)
    path = emailed_path("nia@example.com")
    assert "You don't have a MentorBridge password yet" in mail.outbox[0].body
    page.goto(path)
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    expect(page.get_by_text("nia@example.com")).to_be_visible()
    shoot(page, "accounts-01-set-password")
    fits_narrow_screen(page, "accounts-01-set-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page).to_have_url(re.compile(r"/programs/engineering-growth/join/$"))
    expect(page.get_by_text("Your password is set and you're signed in.")).to_be_visible()
    shoot(page, "accounts-02-invited-join")
    # The invitation's whole path: the join form, answered, makes Nia a mentee.
    page.get_by_label("Goal", exact=True).first.fill("Lead my first cross-team project")
    page.get_by_role("button", name="Join program").click()
    expect(page.get_by_text("Welcome to Engineering Growth!")).to_be_visible()
    joined = Enrollment.objects.get(program=program, person=nia)
    assert (joined.status, joined.role) == ("active", "mentee")
    assert [a.title for a in joined.focus_areas.all()] == ["Lead my first cross-team project"]
    # The link was for one use only.
    page.context.clear_cookies()
    page.goto(path)
    expect(page.get_by_role("heading", name="This link doesn't work any more")).to_be_visible()
    shoot(page, "accounts-03-link-used")
    fits_narrow_screen(page, "accounts-03-link-used")


def test_someone_without_a_password_asks_for_a_link_on_the_sign_in_page(page: Page) -> None:
    newcomer()
    page.goto("/programs/")
    fits_narrow_screen(page, "accounts-04-sign-in")
    page.get_by_label("Work email").fill("nia@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    shoot(page, "accounts-05-link-sent")
    fits_narrow_screen(page, "accounts-05-link-sent")
    page.goto(emailed_path("nia@example.com"))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page).to_have_url(re.compile(r"/programs/$"))  # where they were going
    expect(page.get_by_role("button", name="Nia")).to_have_count(0)  # summary, not a button
    expect(page.locator("details.dropdown summary")).to_have_text("Nia")


def test_a_person_who_forgot_their_password_chooses_a_new_one(page: Page, mentee: Person) -> None:
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    fits_narrow_screen(page, "accounts-06-forgot")
    page.get_by_label("Work email").fill("mia@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(emailed_path("mia@example.com"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("12345678")
    page.get_by_label("New password again").fill("12345678")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("This password is entirely numeric.")).to_be_visible()
    shoot(page, "accounts-07-new-password-error")
    fits_narrow_screen(page, "accounts-07-new-password-error")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", name="Hello, Mia")).to_be_visible()
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Work email").fill("mia@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("don't match an account")).to_be_visible()


def test_a_signed_in_person_changes_their_password_from_the_account_menu(
    page: Page, mentee: Person
) -> None:
    sign_in(page, mentee)
    page.locator("details.dropdown summary").click()
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", name="Change password")).to_be_visible()
    shoot(page, "accounts-08-change-password")
    # The signed-in header is another change's work (issue 9, small screens): the page's own
    # content must fit.
    fits_narrow_screen(page, "accounts-08-change-password", part="main")
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()
    assert mentee.user.__class__.objects.get(pk=mentee.user.pk).check_password(NEW_PASSWORD)
