"""The flows a person clicks through, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment
from tests.browser.conftest import shoot, sign_in
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_signs_in_and_sees_their_home(page: Page, mentee: Person) -> None:
    page.goto("/people/")
    expect(page).to_have_url("/accounts/login/?next=/people/")
    shoot(page, "01-sign-in")
    sign_in(page, mentee)
    expect(page.get_by_role("heading", name="Hello, Mia")).to_be_visible()
    shoot(page, "02-home")


def test_a_person_edits_their_profile_with_skill_autocomplete(page: Page, mentee: Person) -> None:
    sign_in(page, mentee)
    page.goto("/people/me/edit/")
    page.get_by_label("Bio").fill("I look after our payments API.")
    page.get_by_label("Languages").fill("English, German")
    skill = page.get_by_label("Skill name").first
    skill.fill("k8s")
    expect(page.locator("#skill-options option[value='Kubernetes']")).to_have_count(1)
    skill.fill("Kubernetes")
    page.get_by_label("Level").first.select_option("4")
    page.get_by_role("button", name="+ Add a skill").click()
    page.get_by_label("Skill name").nth(1).fill("Public speaking")
    page.get_by_label("Level").nth(1).select_option("3")  # no default level: one is chosen
    shoot(page, "03-edit-profile")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    expect(page.get_by_text("Kubernetes 4/5")).to_be_visible()
    shoot(page, "04-profile")
    mentee.refresh_from_db()
    assert mentee.languages == ["en", "de"]


def test_a_person_browses_the_directory_with_live_search(page: Page, mentee: Person) -> None:
    for n in range(5):
        PersonFactory(first_name=f"Browse{n}", last_name="Colleague")
    PersonFactory(first_name="Zanele", last_name="Dlamini", job_title="Data Scientist")
    sign_in(page, mentee)
    page.goto("/people/")
    expect(page.get_by_text("Browse0 Colleague")).to_be_visible()
    page.get_by_label("Search").fill("zanele")
    expect(page.get_by_text("Zanele Dlamini")).to_be_visible()
    expect(page.get_by_text("Browse0 Colleague")).to_have_count(0)
    shoot(page, "05-directory")
    page.get_by_text("Zanele Dlamini").click()
    expect(page.get_by_role("heading", name="Zanele Dlamini")).to_be_visible()


def test_a_person_joins_a_program_as_a_mentee(
    page: Page, outsider: Person, program: object
) -> None:
    sign_in(page, outsider)
    page.goto("/programs/")
    shoot(page, "06-programs")
    page.get_by_role("link", name="Engineering Growth").first.click()
    page.get_by_role("button", name="Join", exact=True).click()
    page.get_by_label("Mentee", exact=True).check()
    page.get_by_label("Goal").first.fill("Give my first conference talk")
    page.get_by_label("Skills involved").first.fill("Public speaking, Storytelling")
    shoot(page, "07-join")
    page.get_by_role("button", name="Join program").click()
    expect(page.get_by_text("Welcome to Engineering Growth!")).to_be_visible()
    expect(page.get_by_text("Give my first conference talk", exact=True)).to_be_visible()
    shoot(page, "08-program-joined")
    assert Enrollment.objects.get(person=outsider).focus_areas.count() == 1


def test_hr_imports_a_csv_and_sees_row_errors_first(
    page: Page, program_admin: Person, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "employee_id,email,first_name,last_name,manager_id\nH1,h1@acme.example,Hana,One,NOPE\n"
    )
    good = tmp_path / "good.csv"
    good.write_text(
        "employee_id,email,first_name,last_name,manager_id\n"
        "H2,h2@acme.example,Hugo,Two,H1\nH1,h1@acme.example,Hana,One,\n"
    )
    sign_in(page, program_admin)
    page.get_by_role("link", name="Import").click()
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Nothing was imported")).to_be_visible()
    expect(page.get_by_text("Manager NOPE is neither in this file")).to_be_visible()
    shoot(page, "09-import-errors")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Import complete")).to_be_visible()
    shoot(page, "10-import-done")
    assert Person.objects.get(employee_id="H2").manager.employee_id == "H1"


def test_an_admin_reviews_enrollments(
    page: Page, program_admin: Person, mentee: Person, mentor: Person
) -> None:
    sign_in(page, program_admin)
    page.goto("/programs/engineering-growth/enrollments/")
    expect(page.get_by_text("Mia Mentee")).to_be_visible()
    page.get_by_label("Role").select_option("mentor")
    expect(page.get_by_text("Mia Mentee")).to_have_count(0)
    expect(page.get_by_text("Max Mentor")).to_be_visible()
    shoot(page, "11-enrollments")
