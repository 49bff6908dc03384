"""The matching round page in a real browser: run a round, decide a conflict with an open
request, pin with the type-ahead picker, forbid for good after confirming, compare two
previews, and fit a 390 px screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mentorbridge.matching.models import MatchingRound, PairExclusion
from mentorbridge.matching.services.requests import request_create
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills, skill_for_name
from mentorbridge.programs.models import Program
from tests.browser.conftest import shoot, sign_in
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLES = ["Run better retros", "Lead an incident review", "Plan a migration", "Give feedback"]


@pytest.fixture
def cohort(program: Program, mentee: Person, mentor: Person) -> dict[str, object]:
    """Mia (asked Mo already), nine more mentees, and four mentors with 11 places."""
    person_set_skills(person=mentor, skills=[SkillEntry("System design", 5)])
    area = mentee.enrollments.get(program=program).focus_areas.get()
    area.skills.set([skill_for_name("System design")])
    mentors = {"Max": mentor}
    for first, last in (("Mo", "Second"), ("Olu", "Other"), ("Pia", "Peer")):
        person = PersonFactory(first_name=first, last_name=last, level=6,
                               job_title="Staff Engineer with a rather long title")  # fmt: skip
        EnrollmentFactory(program=program, person=person, role="mentor", mentor_capacity=3)
        mentors[first] = person
    for n in range(9):
        enrollment = EnrollmentFactory(
            program=program, role="mentee",
            person=PersonFactory(first_name=f"Mentee{n:02d}", last_name="Longname-Example"),
        )  # fmt: skip
        FocusAreaFactory(enrollment=enrollment, title=TITLES[n % len(TITLES)])
    request_create(mentee=mentee, mentor=mentors["Mo"], focus_area=area, message="Hello Mo")
    return {"area": area, **mentors}


def overflowing(page: Page) -> list[str]:
    """The elements of the page's main part that reach past the window's right edge."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim()
                     .slice(0, 40))"""
        )
    )


def test_an_admin_runs_decides_pins_forbids_and_compares_on_the_round_page(
    page: Page, program: Program, program_admin: Person, mentee: Person,
    cohort: dict[str, Person],
) -> None:  # fmt: skip
    sign_in(page, program_admin)
    page.goto("/programs/engineering-growth/rounds/")
    page.get_by_role("button", name="Match the cohort").click()
    expect(page.get_by_role("heading", name="Proposed pairs (10)")).to_be_visible()
    expect(page.get_by_text("10 of 10 focus areas matched.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Open requests this preview crosses (1)")
    ).to_be_visible()
    shoot(page, "30-round-preview-1280")

    # Publishing waits for a decision about Mia's open request to Mo.
    page.get_by_text("Publish 10 proposals…").click()
    expect(page.get_by_text("Decide the 1 open request above first.")).to_be_visible()
    page.locator("#conflicts").get_by_label("Keep it open").check()
    page.get_by_role("button", name="Save these choices").click()
    expect(page.get_by_text("Saved: open requests 1 to keep open.")).to_be_visible()

    # Pin Olu for Mia with the type-ahead picker (folded under "Pin a pair").
    page.get_by_text("Pin a pair").click()
    page.get_by_label("Mentee's focus area").fill("Mia")
    page.get_by_label("Mentee's focus area").fill(
        f"Mia Mentee: {cohort['area'].title} [#{cohort['area'].pk}]"  # type: ignore[attr-defined]
    )
    page.get_by_label("Mentor", exact=True).fill(
        f"Olu Other, Staff Engineer with a rather long title [{cohort['Olu'].employee_id}]"
    )
    page.get_by_role("button", name="Pin and re-solve").last.click()
    row = page.locator("tbody tr", has_text="Mia Mentee").filter(has_text="pinned")
    expect(row.get_by_role("link", name="Olu Other")).to_be_visible()
    pinned_round = page.url

    # Forbid that pair for good, after confirming in the row.
    row.get_by_text("Change…").click()
    row.get_by_label("For good").check()
    row.get_by_role("button", name="Forbid and re-solve").click()
    expect(page.get_by_role("heading", name="Proposed pairs (10)")).to_be_visible()
    mia = page.locator("tbody tr", has_text="Mia Mentee")
    expect(mia.get_by_role("link", name="Olu Other")).to_have_count(0)
    assert PairExclusion.objects.filter(mentee=mentee, mentor=cohort["Olu"]).exists()
    assert page.url != pinned_round

    # Compare this preview with the first one from the header's picker.
    first = MatchingRound.objects.order_by("pk").first()
    assert first is not None
    page.get_by_label("Compare with").select_option(str(first.pk))
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_role("heading", name=f"and #{first.pk} side by side")).to_be_visible()
    shoot(page, "31-round-compare-1280")

    # And from the rounds list: any two previews.
    page.goto("/programs/engineering-growth/rounds/")
    page.get_by_label("First").select_option(str(first.pk))
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_text("side by side")).to_be_visible()


def test_the_round_pages_fit_a_390_px_screen(
    page: Page, program: Program, program_admin: Person, cohort: dict[str, Person]
) -> None:
    from mentorbridge.matching.services import rounds

    first = rounds.round_start(program=program, by=program_admin)
    second = rounds.round_resolve(
        matching_round=first, by=program_admin, objective="fair", weights={}
    )
    sign_in(page, program_admin)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/programs/engineering-growth/rounds/{second.pk}/")
    expect(page.get_by_role("heading", name="In short")).to_be_visible()
    page.locator("table.pairs tbody tr").first.get_by_text("Change…").click()
    shoot(page, "32-round-preview-390")
    assert overflowing(page) == []
    page.goto(f"/programs/engineering-growth/rounds/{second.pk}/compare/{first.pk}/")
    shoot(page, "33-round-compare-390")
    assert overflowing(page) == []
    page.goto("/programs/engineering-growth/rounds/")
    shoot(page, "34-rounds-390")
    assert overflowing(page) == []


def test_on_a_phone_pairs_are_compact_cards_and_a_pin_from_page_two_lands_on_the_marked_pair(
    page: Page, program: Program, program_admin: Person, cohort: dict[str, Person],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from mentorbridge.matching import round_views
    from mentorbridge.matching.services import rounds

    monkeypatch.setattr(round_views, "PAIRS_PER_PAGE", 4)
    first = rounds.round_start(program=program, by=program_admin)
    sign_in(page, program_admin)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/programs/engineering-growth/rounds/{first.pk}/?q=Longname")
    expect(page.get_by_text("Page 1 of 3")).to_be_visible()
    heights = page.locator("table.pairs tbody tr").evaluate_all(
        "rows => rows.map(r => r.getBoundingClientRect().height)"
    )
    assert len(heights) == 4 and max(heights) < 200, heights  # one short card per pair
    page.get_by_role("link", name="Next →").click()
    expect(page.get_by_text("Page 2 of 3")).to_be_visible()
    row = page.locator("table.pairs tbody tr").first
    mentee = row.locator("td").first.get_by_role("link").inner_text()
    row.get_by_text("Change…").click()
    row.get_by_placeholder("Type a name").fill("Pia Peer")
    row.get_by_role("button", name="Pin and re-solve").click()

    note = page.locator(".changed-note")
    expect(note).to_contain_text(f"{mentee}’s “")
    expect(note).to_contain_text("now goes to Pia Peer (pinned). Its row is marked below.")
    assert "q=Longname" in page.url and page.url.endswith("#changed")
    marked = page.locator("tr.changed")
    expect(marked).to_have_count(1)
    expect(marked.get_by_role("link", name="Pia Peer")).to_be_in_viewport()
    expect(page.get_by_label("Name or focus area")).to_have_value("Longname")
    shoot(page, "35-round-pinned-390")
    assert overflowing(page) == []


def test_back_from_a_filtered_list_of_pairs_shows_the_filter_the_pairs_answer(
    page: Page, program: Program, program_admin: Person, cohort: dict[str, Person]
) -> None:
    from mentorbridge.matching.services import rounds

    first = rounds.round_start(program=program, by=program_admin)
    sign_in(page, program_admin)
    page.goto(f"/programs/engineering-growth/rounds/{first.pk}/")
    search = page.get_by_label("Name or focus area")
    search.fill("Longname")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("9 of 10 pairs match.")).to_be_visible()
    page.go_back()
    # the unfiltered page again: its search box is empty, not the "Longname" typed last
    expect(page.get_by_text("10 pairs.", exact=True)).to_be_visible()
    expect(search).to_have_value("")
