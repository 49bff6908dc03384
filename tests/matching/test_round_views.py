"""Starting a round from the rounds page: a refused start brings the form back as the admin
filled it in, each error beside its field in the form's own words; the API names the fields
as its schema does."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client

from mentorbridge.matching.models import MatchingRound
from mentorbridge.matching.services import rounds as svc
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]
ROUNDS = "/programs/engineering-growth/rounds/"
API = "/api/v1/programs/engineering-growth/rounds"


def weight_field(html: str, factor: str) -> str:
    found = re.search(rf'<input id="w_{factor}"[^>]*>', html)
    assert found, f"no field for {factor}"
    return found.group(0)


def error_beside(html: str, element_id: str) -> str:
    found = re.search(
        rf'<small class="errorlist" id="{element_id}-error"[^>]*>([^<]*)</small>', html
    )
    return unescape(found.group(1)) if found else ""


def test_bad_weights_come_back_as_typed_with_each_error_beside_its_field(
    client_for: Clients, program_admin: Person, cohort: Program
) -> None:
    response = client_for(program_admin).post(
        ROUNDS + "new/",
        {"objective": "fair", "w_goal_fit": "0.37", "w_text": "-1", "w_seniority": "lots"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="0.37"' in weight_field(html, "goal_fit")
    assert 'value="-1"' in weight_field(html, "text")
    assert 'value="lots"' in weight_field(html, "seniority")
    assert 'aria-invalid="true"' in weight_field(html, "text")
    assert 'aria-invalid="true"' not in weight_field(html, "goal_fit")
    assert error_beside(html, "w_text") == (
        "“Experience matches your goal” must be a number from 0 to 1."
    )
    assert error_beside(html, "w_seniority") == "“Seniority” must be a number from 0 to 1."
    assert error_beside(html, "w_goal_fit") == ""
    assert "<details open>" in html  # the weights are shown, not folded away
    assert '<option value="fair" selected>' in html
    assert "goal_fit”" not in unescape(html) and "weights.text" not in html
    assert not MatchingRound.objects.exists()


def test_a_weight_of_0_37_starts_the_round_with_it(
    client_for: Clients, program_admin: Person, cohort: Program
) -> None:
    response = client_for(program_admin).post(
        ROUNDS + "new/", {"objective": "total", "w_goal_fit": "0.37", "w_text": "0.35"}
    )
    made = MatchingRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{ROUNDS}{made.pk}/"
    assert made.weights["goal_fit"] == 0.37 and made.status == "ready"


def test_all_weights_at_zero_is_said_above_the_weights_and_keeps_them(
    client_for: Clients, program_admin: Person, cohort: Program
) -> None:
    zeros = {f"w_{factor}": "0" for factor in svc.FACTORS}
    response = client_for(program_admin).post(ROUNDS + "new/", {"objective": "coverage", **zeros})
    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert svc.NO_WEIGHT in html
    assert 'value="0"' in weight_field(html, "goal_fit")
    assert '<option value="coverage" selected>' in html


def test_a_refusal_that_is_no_fields_is_said_above_the_form_which_keeps_the_values(
    client_for: Clients, program_admin: Person, cohort: Program
) -> None:
    cohort.status = "closed"
    cohort.save()
    response = client_for(program_admin).post(
        ROUNDS + "new/", {"objective": "fair", "w_goal_fit": "0.4"}
    )
    html = unescape(response.content.decode())
    assert response.status_code == 422
    assert re.search(r'<ul class="form-errors" role="alert"><li>[^<]*isn\'t matching people', html)
    assert 'value="0.4"' in weight_field(html, "goal_fit")


def test_the_page_shows_the_default_weights_without_errors(
    client_for: Clients, program_admin: Person, cohort: Program
) -> None:
    response = client_for(program_admin).get(ROUNDS)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="0.3"' in weight_field(html, "goal_fit")
    assert "errorlist" not in html and "<details open>" not in html


def test_re_solving_with_a_bad_weight_shows_the_preview_with_the_settings_as_typed(
    client_for: Clients, program_admin: Person, cohort: Program
) -> None:
    """It redirected with a message and the typed weights were gone."""
    preview = svc.round_start(program=cohort, by=program_admin)
    response = client_for(program_admin).post(
        f"{ROUNDS}{preview.pk}/resolve/",
        {"objective": "fair", "w_text": "2", "w_goal_fit": "0.37", "back": "q=Mia&evil=1"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert '<details class="round-tool" open id="settings">' in html
    assert error_beside(html, "w_text") == (
        "“Experience matches your goal” must be a number from 0 to 1."
    )
    assert 'value="2"' in weight_field(html, "text")
    assert 'value="0.37"' in weight_field(html, "goal_fit")
    assert '<option value="fair" selected>' in html
    assert response.context["filters"].query == "Mia"  # the admin's filter, nothing else
    assert response.context["query_string"] == "q=Mia"
    assert MatchingRound.objects.count() == 1  # no new preview


def test_the_api_names_every_bad_weight_as_its_schema_does(
    client_for: Clients, program_admin: Person, cohort: Program
) -> None:
    response = client_for(program_admin).post(
        API, {"weights": {"goal_fit": 1.5, "text": -1}}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "weights": [
            "“weights.goal_fit” must be a number from 0 to 1.",
            "“weights.text” must be a number from 0 to 1.",
        ]
    }
    assert "weights.goal_fit" in response.json()["detail"]
    assert not MatchingRound.objects.exists()


def test_a_previews_settings_form_holds_its_objective_and_weights(
    client_for: Clients, program_admin: Person, cohort: Program
) -> None:
    preview = svc.round_start(
        program=cohort, by=program_admin, objective="fair", weights={"goal_fit": 0.37}
    )
    html = client_for(program_admin).get(f"{ROUNDS}{preview.pk}/").content.decode()
    assert '<option value="fair" selected>' in html
    assert 'value="0.37"' in weight_field(html, "goal_fit")
