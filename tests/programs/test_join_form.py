"""The join form's focus areas: the profile's skill autocomplete and one limit per text."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.core.limits import FOCUS_AREA_DESCRIPTION_MAX_CHARS, FOCUS_AREA_TITLE_MAX_CHARS
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Enrollment, Program

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]
URL = "/programs/engineering-growth/join/"


def test_focus_area_skills_use_the_profiles_skill_autocomplete(
    client_for: Clients, outsider: Person, program: Program
) -> None:
    client = client_for(outsider)
    page = client.get(URL).content.decode()
    assert 'data-skill-autocomplete="/people/skills/autocomplete/"' in page
    assert 'list="fa-0-skills-options"' in page and '<datalist id="fa-0-skills-options">' in page
    assert "js/skills.js" in page
    suggestions = client.get("/people/skills/autocomplete/?format=json&q=k8s").json()
    assert suggestions["skills"][0] == "Kubernetes"


def test_focus_area_texts_have_the_models_limits_with_a_counter(
    client_for: Clients, outsider: Person, program: Program
) -> None:
    client = client_for(outsider)
    page = client.get(URL).content.decode()
    assert f'data-maxlength="{FOCUS_AREA_DESCRIPTION_MAX_CHARS}"' in page
    assert f'data-maxlength="{FOCUS_AREA_TITLE_MAX_CHARS}"' in page
    assert "js/char-counter.js" in page
    response = client.post(
        URL,
        {
            "role": "mentee", "department_preference": "any", "meeting_preference": "either",
            "fa-0-title": "Negotiate", "fa-0-skills": "Negotiation",
            "fa-0-description": "x" * (FOCUS_AREA_DESCRIPTION_MAX_CHARS + 1),
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert f"is at most {FOCUS_AREA_DESCRIPTION_MAX_CHARS} characters" in response.content.decode()
    assert not Enrollment.objects.filter(person=outsider).exists()


def test_focus_areas_in_the_api_have_the_same_limit(
    client_for: Clients, outsider: Person, program: Program
) -> None:
    response = client_for(outsider).post(
        "/api/v1/programs/engineering-growth/enrollments",
        {
            "role": "mentee",
            "focus_areas": [
                {"title": "Negotiate", "description": "x" * (FOCUS_AREA_DESCRIPTION_MAX_CHARS + 1)}
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["focus_areas.0.description"]


JOIN_AS_MENTEE = {"role": "mentee", "department_preference": "any", "meeting_preference": "either"}


def test_a_focus_area_skill_outside_the_catalogue_asks_before_it_is_saved(
    client_for: Clients, outsider: Person, program: Program
) -> None:
    client = client_for(outsider)
    typed = {**JOIN_AS_MENTEE, "fa-0-title": "Ship infra", "fa-0-skills": "Kubernets, Python"}
    response = client.post(URL, typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "“Kubernets” is not in the skills catalogue." in page
    assert 'value="Kubernetes"' in page and "Keep “Kubernets” as my own skill" in page
    assert 'value="Kubernets, Python"' in page  # what was typed stays on the page
    assert not Enrollment.objects.filter(person=outsider).exists()

    response = client.post(URL, {**typed, "skill_choice::kubernets": "Kubernetes"})
    assert response.status_code == 302
    area = Enrollment.objects.get(person=outsider).focus_areas.get()
    assert sorted(s.name for s in area.skills.all()) == ["Kubernetes", "Python"]


def test_a_focus_area_skill_kept_as_the_persons_own_is_saved_as_typed(
    client_for: Clients, outsider: Person, program: Program
) -> None:
    client = client_for(outsider)
    typed = {**JOIN_AS_MENTEE, "fa-0-title": "Relax", "fa-0-skills": "Underwater basket weaving"}
    page = client.post(URL, typed).content.decode()
    assert "No catalogue skill is close." in page
    response = client.post(URL, {**typed, "skill_choice::underwater basket weaving": "__own__"})
    assert response.status_code == 302
    area = Enrollment.objects.get(person=outsider).focus_areas.get()
    assert [s.name for s in area.skills.all()] == ["Underwater basket weaving"]
