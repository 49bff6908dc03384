"""The round preview page: summary in words, paging and filter, the pin picker, forbid with
confirmation and "for good", comparing previews, and conflicts with open requests."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from django.http import HttpResponse
from django.test import Client

from mentorbridge.matching import round_views
from mentorbridge.matching.models import MatchingRound, PairExclusion
from mentorbridge.matching.round_selectors import PICK_FOCUS_AREA, PICK_MENTOR
from mentorbridge.matching.services import rounds as svc
from mentorbridge.matching.services.requests import request_create
from mentorbridge.people.models import Person
from mentorbridge.programs.models import FocusArea, Program
from tests.factories import EnrollmentFactory, FocusAreaFactory, PersonFactory, ProgramFactory

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]
ROUNDS = "/programs/engineering-growth/rounds/"


@pytest.fixture
def cohort(
    program: Program, mentee: Person, skilled_mentor: Person, second_mentor: Person,
    focus_area: FocusArea,
) -> dict[str, Person]:  # fmt: skip
    """Mia, Nia and Omar wait; Max (2 places), Mo (1) and Olu (2) mentor."""
    people: dict[str, Person] = {"Mia": mentee, "Max": skilled_mentor, "Mo": second_mentor}
    for name, title in (("Nia", "Run better retros"), ("Omar", "Plan a migration")):
        person = PersonFactory(first_name=name, last_name="Waiting")
        FocusAreaFactory(
            enrollment=EnrollmentFactory(program=program, role="mentee", person=person),
            title=title,
        )
        people[name] = person
    olu = PersonFactory(first_name="Olu", last_name="Other", level=5, job_title="Architect")
    EnrollmentFactory(program=program, person=olu, role="mentor", mentor_capacity=2)
    people["Olu"] = olu
    return people


@pytest.fixture
def preview(cohort: dict[str, Person], program: Program, program_admin: Person) -> MatchingRound:
    return svc.round_start(program=program, by=program_admin)


def page_of(client: Client, matching_round: MatchingRound, query: str = "") -> str:
    response = client.get(f"{ROUNDS}{matching_round.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def pairs_table(html: str) -> str:
    start = html.index('<table class="list stack pairs">')
    return html[start : html.index("</table>", start)]


def text(response: HttpResponse) -> str:
    return unescape(response.content.decode())


def words(html: str) -> str:
    """What a person reads: the page's text without tags, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" .", ".")


def test_the_summary_says_the_figures_in_words_and_keeps_the_certificate_in_details(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    html = page_of(client_for(program_admin), preview)
    assert "3 of 3 focus areas matched." in html
    assert (
        "This is the best possible assignment: no other assignment has a higher total fit." in html
    )
    start = html.index("The figures and the optimality certificate")
    details = html[start : html.index("</details>", start)]
    assert "Upper bound (full problem)" in details and "Optimality gap" in details


def test_the_summary_says_how_close_when_the_gap_is_not_zero(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    preview.stats = {**preview.stats, "gap": 0.008}
    preview.save(update_fields=["stats"])
    html = page_of(client_for(program_admin), preview)
    assert "best possible assignment" not in html
    assert "Within 0.80% of the best possible total fit" in html


def test_pairs_are_paged(
    client_for: Clients, preview: MatchingRound, program_admin: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(round_views, "PAIRS_PER_PAGE", 2)
    client = client_for(program_admin)
    first = page_of(client, preview)
    assert "Page 1 of 2" in first and first.count('id="proposal-') == 2
    second = page_of(client, preview, "?page=2")
    assert "Page 2 of 2" in second and second.count('id="proposal-') == 1


def test_the_page_links_keep_the_filter_and_go_to_the_list(
    client_for: Clients, preview: MatchingRound, program_admin: Person,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(round_views, "PAIRS_PER_PAGE", 1)
    client = client_for(program_admin)
    first = page_of(client, preview, "?sort=fit")
    assert "Page 1 of 3" in first and first.count('id="proposal-') == 1
    assert 'href="?sort=fit&amp;page=2#pairs-title" rel="next"' in first
    assert 'href="?sort=fit&amp;page=3#pairs-title">Last »' in first
    assert "« First" not in first and "← Previous" not in first
    last = page_of(client, preview, "?sort=fit&page=3")
    assert 'href="?sort=fit&amp;page=1#pairs-title">« First' in last
    assert "Next →" not in last and "Last »" not in last


def test_pinning_from_a_filtered_page_opens_the_new_preview_at_the_pair_with_the_filter(
    client_for: Clients, preview: MatchingRound, program_admin: Person,
    cohort: dict[str, Person], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(round_views, "PAIRS_PER_PAGE", 1)
    client = client_for(program_admin)
    omar = FocusArea.objects.get(enrollment__person=cohort["Omar"])
    response = client.post(
        f"{ROUNDS}{preview.pk}/pin/",
        {"focus_area": str(omar.pk), "mentor": "Olu Other", "back": "q=waiting&page=1"},
    )
    new = MatchingRound.objects.get(parent=preview)
    # the filter stays, the page goes (the list may have moved): the pair's page opens
    assert response["Location"] == f"{ROUNDS}{new.pk}/?q=waiting&changed={omar.pk}#changed"
    html = client.get(response["Location"]).content.decode()
    waiting = [p.focus_area_id for p in new.proposals.filter(mentee__last_name="Waiting")
               .order_by("mentee__last_name", "mentee__first_name", "focus_area_id")]  # fmt: skip
    assert f"Page {waiting.index(omar.pk) + 1} of 2" in html
    assert (
        "Omar Waiting’s “Plan a migration” now goes to Olu Other (pinned). Its row is marked below."
        in words(html)
    )
    row_id = f'<tr id="proposal-{new.proposals.get(focus_area=omar).pk}"'
    row = html[html.index(row_id) : html.index("</tr>", html.index(row_id))]
    assert row.startswith(f'{row_id} class="changed">') and '<span id="changed"></span>' in row
    assert html.count('class="changed"') == 1
    # the pager and the forms keep the filter, not the marked pair
    assert 'name="back" value="q=waiting"' in html


def test_a_changed_pair_on_another_page_or_hidden_by_the_filter_is_said_with_a_link(
    client_for: Clients, preview: MatchingRound, program_admin: Person,
    cohort: dict[str, Person], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(round_views, "PAIRS_PER_PAGE", 1)
    client = client_for(program_admin)
    areas = [p.focus_area_id for p in preview.proposals.order_by(
        "mentee__last_name", "mentee__first_name", "focus_area_id")]  # fmt: skip
    last = areas[-1]
    elsewhere = page_of(client, preview, f"?page=1&changed={last}")
    assert f"It is on page {len(areas)}." in words(elsewhere)
    assert 'id="changed" tabindex="-1"' in elsewhere
    assert f'href="?page={len(areas)}&amp;changed={last}#changed"' in elsewhere
    hidden = page_of(client, preview, f"?q=zebra&changed={last}")
    assert "The filter hides it: clear the filter to see it." in words(hidden)
    assert f'href="?changed={last}#changed">clear the filter to see it' in hidden


def test_a_forbidden_pair_whose_focus_area_finds_no_other_mentor_says_it_waits(
    client_for: Clients, program: Program, program_admin: Person, mentee: Person,
    skilled_mentor: Person, focus_area: FocusArea,
) -> None:  # fmt: skip
    only = svc.round_start(program=program, by=program_admin)
    pair = only.proposals.get(focus_area=focus_area)
    client = client_for(program_admin)
    response = client.post(
        f"{ROUNDS}{only.pk}/forbid/",
        {"mentee": mentee.employee_id, "mentor": pair.mentor.employee_id,
         "focus_area": str(focus_area.pk)},
    )  # fmt: skip
    new = MatchingRound.objects.get(parent=only)
    assert response["Location"] == f"{ROUNDS}{new.pk}/?changed={focus_area.pk}#changed"
    html = words(page_of(client, new, f"?changed={focus_area.pk}"))
    assert not new.proposals.filter(focus_area=focus_area).exists()  # Max was the only mentor
    assert f"Mia Mentee’s “{focus_area.title}” now waits without a mentor" in html


def test_a_changed_value_that_is_no_focus_area_of_the_program_is_ignored(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    elsewhere = FocusAreaFactory(
        enrollment=EnrollmentFactory(program=ProgramFactory(slug="elsewhere"), role="mentee")
    )
    client = client_for(program_admin)
    for value in (str(elsewhere.pk), "x", "99999999", "²"):
        html = page_of(client, preview, f"?changed={value}")
        assert "changed-note" not in html and 'id="changed"' not in html


def test_the_progress_poll_keeps_the_filter_and_opens_the_ready_preview_at_the_pair(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    client = client_for(program_admin)
    area = preview.proposals.first().focus_area_id  # type: ignore[union-attr]
    MatchingRound.objects.filter(pk=preview.pk).update(status="running")
    working = page_of(client, preview, f"?q=waiting&changed={area}")
    assert f'hx-get="{ROUNDS}{preview.pk}/?q=waiting&amp;changed={area}"' in working
    MatchingRound.objects.filter(pk=preview.pk).update(status="ready")
    poll = client.get(f"{ROUNDS}{preview.pk}/?q=waiting&changed={area}", HTTP_HX_REQUEST="true")
    assert poll["HX-Redirect"] == f"{ROUNDS}{preview.pk}/?q=waiting&changed={area}#changed"


def test_the_filter_finds_pairs_by_name_or_focus_area_and_changes_come_back_to_it(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    client = client_for(program_admin)
    by_name = page_of(client, preview, "?q=nia+waiting")
    assert "1 of 3 pairs match" in by_name and "Nia Waiting" in pairs_table(by_name)
    assert "Omar Waiting" not in pairs_table(by_name)
    assert '<input type="hidden" name="back" value="q=nia+waiting">' in by_name
    by_area = pairs_table(page_of(client, preview, "?q=migration"))
    assert "Omar Waiting" in by_area and "Nia Waiting" not in by_area
    nothing = page_of(client, preview, "?q=zebra")
    assert "No pair matches" in nothing


def test_the_pin_picker_offers_every_focus_area_and_mentor_as_type_ahead_options(
    client_for: Clients, preview: MatchingRound, program_admin: Person, focus_area: FocusArea,
    cohort: dict[str, Person],
) -> None:  # fmt: skip
    html = page_of(client_for(program_admin), preview)
    assert '<input id="pin-area" name="focus_area" list="area-options"' in html
    assert f'<option value="Mia Mentee: {focus_area.title} [#{focus_area.pk}]">' in html
    assert f'<option value="Olu Other, Architect [{cohort["Olu"].employee_id}]">' in html
    assert '<select id="pin-mentor"' not in html


def test_pinning_with_the_picker_makes_a_new_preview_with_the_pair(
    client_for: Clients, preview: MatchingRound, program_admin: Person, focus_area: FocusArea,
    cohort: dict[str, Person],
) -> None:  # fmt: skip
    response = client_for(program_admin).post(
        f"{ROUNDS}{preview.pk}/pin/",
        {"focus_area": f"Mia Mentee: {focus_area.title} [#{focus_area.pk}]",
         "mentor": f"Olu Other, Architect [{cohort['Olu'].employee_id}]"},
    )  # fmt: skip
    new = MatchingRound.objects.get(parent=preview)
    assert response["Location"] == f"{ROUNDS}{new.pk}/?changed={focus_area.pk}#changed"
    assert new.proposals.get(focus_area=focus_area).mentor == cohort["Olu"]


def test_the_picker_takes_a_mentors_exact_name_too(
    client_for: Clients, preview: MatchingRound, program_admin: Person, focus_area: FocusArea,
    cohort: dict[str, Person],
) -> None:  # fmt: skip
    client_for(program_admin).post(
        f"{ROUNDS}{preview.pk}/pin/", {"focus_area": str(focus_area.pk), "mentor": "olu other"}
    )
    assert MatchingRound.objects.get(parent=preview).pins[0]["mentor"] == (
        cohort["Olu"].employee_id
    )


def test_a_picker_value_that_names_nobody_is_refused_with_what_was_typed(
    client_for: Clients, preview: MatchingRound, program_admin: Person, focus_area: FocusArea
) -> None:
    client = client_for(program_admin)
    response = client.post(
        f"{ROUNDS}{preview.pk}/pin/", {"focus_area": str(focus_area.pk), "mentor": "Zed"},
        follow=True,
    )  # fmt: skip
    assert PICK_MENTOR.format(text="Zed") in text(response)
    response = client.post(
        f"{ROUNDS}{preview.pk}/pin/", {"focus_area": "Somebody", "mentor": "Olu Other"},
        follow=True,
    )  # fmt: skip
    assert PICK_FOCUS_AREA.format(text="Somebody") in text(response)
    assert not MatchingRound.objects.filter(parent=preview).exists()


def test_another_programs_focus_area_cannot_be_pinned(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    elsewhere = FocusAreaFactory(
        enrollment=EnrollmentFactory(program=ProgramFactory(slug="elsewhere"), role="mentee")
    )
    response = client_for(program_admin).post(
        f"{ROUNDS}{preview.pk}/pin/", {"focus_area": str(elsewhere.pk), "mentor": "Olu Other"},
        follow=True,
    )  # fmt: skip
    assert "Pick the mentee's focus area from the list" in text(response)
    assert not MatchingRound.objects.filter(parent=preview).exists()


def test_forbid_asks_for_confirmation_and_offers_for_good_without_inline_script(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    html = page_of(client_for(program_admin), preview)
    assert "Re-solve without Max Mentor for Mia Mentee?" in html
    assert 'name="permanent"' in html and "For good: never pair them" in html
    assert "onsubmit" not in html and "<script>" not in html


@pytest.mark.parametrize(("permanent", "excluded"), [("on", True), ("", False)])
def test_forbidding_for_good_rules_the_pair_out_for_the_program(
    client_for: Clients, preview: MatchingRound, program_admin: Person, mentee: Person,
    skilled_mentor: Person, permanent: str, excluded: bool,
) -> None:  # fmt: skip
    client_for(program_admin).post(
        f"{ROUNDS}{preview.pk}/forbid/",
        {"mentee": mentee.employee_id, "mentor": skilled_mentor.employee_id,
         "permanent": permanent},
    )  # fmt: skip
    new = MatchingRound.objects.get(parent=preview)
    assert not new.proposals.filter(mentee=mentee, mentor=skilled_mentor).exists()
    assert PairExclusion.objects.filter(mentee=mentee, mentor=skilled_mentor).exists() is excluded


def test_changes_keep_the_admins_filter_when_they_fail(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    response = client_for(program_admin).post(
        f"{ROUNDS}{preview.pk}/pin/",
        {"focus_area": "x", "mentor": "y", "back": "q=nia&page=2&evil=1"},
    )
    assert response["Location"] == f"{ROUNDS}{preview.pk}/?q=nia&page=2"


def test_any_two_previews_can_be_compared_from_the_pickers(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    other = svc.round_resolve(
        matching_round=preview, by=program_admin, objective="fair", weights={}
    )
    client = client_for(program_admin)
    listing = client.get(ROUNDS).content.decode()
    assert "Compare two previews" in listing
    assert f'<select id="compare-with" name="right"><option value="{preview.pk}" selected>' in (
        page_of(client, other)
    )
    response = client.get(f"{ROUNDS}compare/", {"left": preview.pk, "right": other.pk})
    assert response["Location"] == f"{ROUNDS}{preview.pk}/compare/{other.pk}/"
    assert client.get(response["Location"]).status_code == 200


def test_comparing_a_preview_with_itself_or_another_programs_says_what_to_do(
    client_for: Clients, preview: MatchingRound, program_admin: Person
) -> None:
    foreign = MatchingRound.objects.create(program=ProgramFactory(slug="elsewhere"))
    client = client_for(program_admin)
    for right in (preview.pk, foreign.pk):
        response = client.get(
            f"{ROUNDS}compare/", {"left": preview.pk, "right": right, "from": preview.pk},
            follow=True,
        )  # fmt: skip
        assert round_views.PICK_TWO in response.content.decode()
        assert response.redirect_chain[-1][0] == f"{ROUNDS}{preview.pk}/"


@pytest.fixture
def crossed(cohort: dict[str, Person], focus_area: FocusArea, program: Program,
            program_admin: Person) -> MatchingRound:  # fmt: skip
    """Mia asked Mo; the round proposes Max."""
    request_create(
        mentee=cohort["Mia"], mentor=cohort["Mo"], focus_area=focus_area, message="Hi Mo"
    )
    matching_round = svc.round_start(program=program, by=program_admin)
    assert matching_round.proposals.get(focus_area=focus_area).mentor == cohort["Max"]
    return matching_round


def test_the_preview_shows_which_pair_crosses_which_open_request_since_when(
    client_for: Clients, crossed: MatchingRound, program_admin: Person
) -> None:
    html = page_of(client_for(program_admin), crossed)
    assert "Open requests this preview crosses (1)" in html
    assert "to Mo Second, since" in html
    assert "open request to Mo Second" in html  # the badge on the pair itself
    assert "Decide the 1 open request above first." in html
    assert "Yes, send" not in html


def test_deciding_the_conflicts_on_the_page_lets_the_admin_publish(
    client_for: Clients, crossed: MatchingRound, program_admin: Person, focus_area: FocusArea
) -> None:
    client = client_for(program_admin)
    refused = client.post(f"{ROUNDS}{crossed.pk}/publish/", follow=True).content.decode()
    assert "Decide first what publishing does" in refused
    response = client.post(
        f"{ROUNDS}{crossed.pk}/decide/", {"area": [focus_area.pk], "all": "withdraw"}, follow=True
    )
    html = response.content.decode()
    assert "Saved: open requests 1 to withdraw when you publish." in html
    assert "Yes, send 3 proposals" in html
    assert "1 open request will be withdrawn as you chose" in html
    published = client.post(f"{ROUNDS}{crossed.pk}/publish/", follow=True).content.decode()
    assert "Published: 3 proposals sent to both people. 1 open request(s) were withdrawn" in (
        published
    )


def test_deciding_nothing_says_what_to_choose(
    client_for: Clients, crossed: MatchingRound, program_admin: Person, focus_area: FocusArea
) -> None:
    response = client_for(program_admin).post(
        f"{ROUNDS}{crossed.pk}/decide/", {"area": [focus_area.pk]}, follow=True
    )
    assert round_views.NOTHING_CHOSEN in response.content.decode()


def test_leaving_a_crossed_focus_area_out_re_solves_and_lists_it_with_put_back(
    client_for: Clients, crossed: MatchingRound, program_admin: Person, focus_area: FocusArea
) -> None:
    client = client_for(program_admin)
    response = client.post(f"{ROUNDS}{crossed.pk}/leave_out/", {"focus_area": focus_area.pk})
    new = MatchingRound.objects.get(parent=crossed)
    assert response["Location"] == f"{ROUNDS}{new.pk}/?changed={focus_area.pk}#changed"
    html = page_of(client, new, f"?changed={focus_area.pk}")
    assert "Left out of this round (1)" in html and "Put back and re-solve" in html
    assert f"Mia Mentee’s “{focus_area.title}” is left out of this round" in words(html)
    assert "Open requests this preview crosses" not in html
    assert "left out of this round for their open requests" in html


def test_start_clicked_twice_makes_one_preview_and_the_second_click_says_so(
    client_for: Clients, program_admin: Person, cohort: dict[str, Person]
) -> None:
    client = client_for(program_admin)
    first = client.post(ROUNDS + "new/", {"objective": "total"})
    second = client.post(ROUNDS + "new/", {"objective": "total"}, follow=True)
    made = MatchingRound.objects.get()
    assert first["Location"] == f"{ROUNDS}{made.pk}/"
    assert second.redirect_chain[-1][0] == f"{ROUNDS}{made.pk}/"
    assert "already started" in unescape(second.content.decode())


def test_the_api_answers_a_round_started_twice_with_the_same_round(
    client_for: Clients, program_admin: Person, cohort: dict[str, Person]
) -> None:
    client = client_for(program_admin)
    url = "/api/v1/programs/engineering-growth/rounds"
    first = client.post(url, {"objective": "total"}, content_type="application/json")
    second = client.post(url, {"objective": "total"}, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert MatchingRound.objects.count() == 1


def test_the_weight_fields_hold_the_default_weights_exactly_and_accept_any_value(
    client_for: Clients, program_admin: Person, program: Program
) -> None:
    # a number field whose value is off its step blocks the form in the browser, silently
    import re

    from mentorbridge.matching_engine.instance import DEFAULT_WEIGHTS

    page = client_for(program_admin).get(ROUNDS).content.decode()
    fields = dict(re.findall(r'name="w_(\w+)"[^>]*\bvalue="([^"]*)"', page))
    assert {key: float(value) for key, value in fields.items()} == DEFAULT_WEIGHTS
    steps = re.findall(r'name="w_\w+"[^>]*\bstep="([^"]*)"', page)
    assert steps and set(steps) == {"any"}
