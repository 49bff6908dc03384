"""A program admin's tools in a real browser, at 1280 px and at 390 px wide: the overview,
the filtered enrollment list, inviting a batch, and importing a file checked a moment ago."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from mentorbridge.matching.models import MentorRequest, PairExclusion
from mentorbridge.mentorships.models import Mentorship
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program
from tests.browser.conftest import shoot, sign_in
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [1280, 390]


WIDEST_IN_MAIN = """() => {
  const over = [];
  for (const el of document.querySelectorAll("main *")) {
    const right = Math.ceil(el.getBoundingClientRect().right);
    if (right > window.innerWidth) over.push(`${el.tagName}.${el.className}#${el.id} ${right}`);
  }
  return over;
}"""


def fits(page: Page) -> None:
    """Nothing in the page's main part reaches past the window's right edge."""
    over = page.evaluate(WIDEST_IN_MAIN)
    assert over == [], "\n".join(over)


def cohort(program: Program, mentee: Person, mentor: Person) -> None:
    """Mia waits for Max; Matt has a mentor; Rex's only mentor is ruled out; Nia is new."""
    names = {"Matt": "Matched", "Rex": "Ruledout", "Nia": "Newcomer"}
    people = {}
    for first, last in names.items():
        people[first] = PersonFactory(first_name=first, last_name=last)
        FocusAreaFactory(
            enrollment=EnrollmentFactory(program=program, person=people[first], role="mentee"),
            title=f"{first}'s goal: lead a team through a reorganisation",
        )
    MentorRequest.objects.create(
        program=program, mentee=mentee, mentor=mentor, message="Hello",
        focus_area=mentee.enrollments.get().focus_areas.get(),
        expires_at=timezone.now() + timedelta(days=5),
    )  # fmt: skip
    Mentorship.objects.create(
        program=program, mentee=people["Matt"], mentor=mentor, source="request",
        focus_area=people["Matt"].enrollments.get().focus_areas.get(),
    )  # fmt: skip
    Enrollment.objects.filter(person=mentor).update(mentor_capacity=1)
    PairExclusion.objects.create(program=program, mentee=people["Rex"], mentor=mentor)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_program_admin_sees_where_everyone_stands(
    page: Page, width: int, program: Program, program_admin: Person, mentee: Person,
    mentor: Person,
) -> None:  # fmt: skip
    cohort(program, mentee, mentor)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, program_admin)
    page.goto("/programs/")
    fits(page)
    shoot(page, f"admin-programs-{width}")
    page.get_by_role("button", name="Manage Engineering Growth").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    unmatched = page.locator("#unmatched-list")
    expect(unmatched.get_by_text("Only ruled-out pairs")).to_be_visible()
    expect(unmatched.get_by_text("Asked Max Mentor; waiting for an answer")).to_be_visible()
    expect(unmatched.get_by_text("The one eligible mentor is full.").first).to_be_visible()
    expect(unmatched.get_by_text("Matt Matched")).to_have_count(0)
    fits(page)
    shoot(page, f"admin-overview-{width}")

    page.get_by_role("link", name="1 mentees: matched").click()
    expect(page).to_have_url(
        "/programs/engineering-growth/enrollments/?role=mentee&status=active&state=matched"
    )
    expect(page.get_by_text("1 enrollment matching the filters")).to_be_visible()
    expect(page.get_by_role("link", name="Matt Matched")).to_be_visible()
    expect(page.get_by_label("Matching")).to_have_value("matched")
    # The enrollment table's width at 390 px is the small-screen work on tables, not checked here.
    shoot(page, f"admin-enrollments-matched-{width}")


def test_a_program_admin_invites_a_batch_with_one_unknown_address(
    page: Page, program: Program, program_admin: Person, outsider: Person
) -> None:
    PersonFactory(first_name="Cleo", last_name="Colleague", user__email="cleo@example.com")
    sign_in(page, program_admin)
    page.goto("/programs/engineering-growth/enrollments/")
    page.get_by_label("People to invite").fill(
        "olga@example.com, ghost@example.com\ncleo@example.com"
    )
    page.get_by_role("button", name="Send invitations").click()
    expect(page.get_by_text("Invited 2 people.")).to_be_visible()
    expect(page.get_by_text("No one found for: ghost@example.com")).to_be_visible()
    expect(page.get_by_label("People to invite")).to_have_value("ghost@example.com")
    expect(page.get_by_role("link", name="Olga Outsider")).to_be_visible()
    shoot(page, "admin-invite-partial-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    shoot(page, "admin-invite-partial-390")


def test_hr_imports_the_file_it_just_checked_without_choosing_it_again(
    page: Page, program_admin: Person, tmp_path: Path, settings: object
) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    csv_file = tmp_path / "hris.csv"
    csv_file.write_text(
        "employee_id,email,first_name,last_name,job_title\n"
        "N100,noor@acme.example,Noor,Haddad,Data Analyst\n"
    )
    sign_in(page, program_admin)
    page.goto("/people/import/")
    page.get_by_label("CSV file").set_input_files(str(csv_file))
    page.get_by_role("button", name="Check only").click()
    expect(page.get_by_text("The file is ready to import")).to_be_visible()
    shoot(page, "admin-import-checked-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    fits(page)
    shoot(page, "admin-import-checked-390")
    page.get_by_role("button", name="Import hris.csv").click()
    expect(
        page.get_by_text("Imported hris.csv: 1 created, 0 updated, 0 unchanged.")
    ).to_be_visible()
    assert Person.objects.filter(employee_id="N100").exists()
