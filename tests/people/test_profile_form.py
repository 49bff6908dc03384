"""Editing your own profile: skills outside the catalogue, levels, timezone, text limits."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.core.limits import BIO_MAX_CHARS, EXPERTISE_MAX_CHARS
from mentorbridge.people.forms import KEEP_OWN, skill_choice_field
from mentorbridge.people.models import Person
from mentorbridge.people.services import SkillEntry, person_set_skills

pytestmark = pytest.mark.django_db

Clients = Callable[[Person | None], Client]
URL = "/people/me/edit/"


def profile_post(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "bio": "", "career_goals": "", "expertise": "", "languages": "English",
        "timezone": "Europe/Berlin", "mentoring_hours_per_month": "2",
        "skill_name": [""], "skill_level": [""],
    }  # fmt: skip
    data.update(changes)
    return data


def skills_of(person: Person) -> dict[str, int]:
    return {ps.skill.name: ps.proficiency for ps in person.person_skills.select_related("skill")}


def test_a_skill_outside_the_catalogue_asks_before_it_is_saved(
    client_for: Clients, mentee: Person
) -> None:
    client = client_for(mentee)
    data = profile_post(
        bio="Diver", skill_name=["Python", "Underwater basket weaving"], skill_level=["4", "2"]
    )
    page = client.post(URL, data)
    assert page.status_code == 200
    assert "“Underwater basket weaving” is not in the skills catalogue." in page.content.decode()
    assert f'value="{KEEP_OWN}"'.encode() in page.content
    mentee.refresh_from_db()
    assert mentee.bio == "" and skills_of(mentee) == {}

    data[skill_choice_field("Underwater basket weaving")] = [KEEP_OWN]
    assert client.post(URL, data).status_code == 302
    mentee.refresh_from_db()
    assert skills_of(mentee) == {"Python": 4, "Underwater basket weaving": 2}
    assert mentee.bio == "Diver"


def test_a_misspelt_skill_offers_the_closest_catalogue_skill_to_pick(
    client_for: Clients, mentee: Person
) -> None:
    client = client_for(mentee)
    data = profile_post(skill_name=["Kubernets"], skill_level=["3"])
    page = client.post(URL, data)
    assert b'value="Kubernetes"' in page.content
    data[skill_choice_field("Kubernets")] = ["Kubernetes"]
    assert client.post(URL, data).status_code == 302
    mentee.refresh_from_db()
    assert skills_of(mentee) == {"Kubernetes": 3}


def test_a_skill_you_already_kept_as_your_own_is_not_asked_about_again(
    client_for: Clients, mentee: Person
) -> None:
    person_set_skills(person=mentee, skills=[SkillEntry("Underwater basket weaving", 2)])
    data = profile_post(skill_name=["Underwater basket weaving"], skill_level=["5"])
    assert client_for(mentee).post(URL, data).status_code == 302
    assert skills_of(mentee) == {"Underwater basket weaving": 5}


def test_a_skill_without_a_level_asks_for_one_instead_of_saving_three(
    client_for: Clients, mentee: Person
) -> None:
    page = client_for(mentee).post(URL, profile_post(skill_name=["Python"], skill_level=[""]))
    assert page.status_code == 200
    assert "choose a level from 1 to 5 for “Python”" in page.content.decode()
    assert skills_of(mentee) == {}


def test_new_skill_rows_start_without_a_level(client_for: Clients, mentee: Person) -> None:
    row = client_for(mentee).get("/people/skills/row/").content.decode()
    assert '<option value="" selected>Choose a level…</option>' in row
    assert "onclick" not in row


def test_the_timezone_is_typed_and_checked_on_the_server(
    client_for: Clients, mentee: Person
) -> None:
    Person.objects.filter(pk=mentee.pk).update(timezone="UTC")  # the model's default
    client = client_for(mentee)
    page = client.get(URL).content.decode()
    assert 'list="timezone-options"' in page and '<option value="Europe/Berlin">' in page
    # The default UTC invites the browser's timezone (static/js/timezone-picker.js).
    assert "data-suggest-browser-timezone" in page
    refused = client.post(URL, profile_post(timezone="Mars/Olympus_Mons"))
    assert refused.status_code == 200
    assert "“Mars/Olympus_Mons” is not an IANA timezone" in refused.content.decode()
    assert client.post(URL, profile_post(timezone="america/new york")).status_code == 302
    mentee.refresh_from_db()
    assert mentee.timezone == "America/New_York"
    assert "data-suggest-browser-timezone" not in client.get(URL).content.decode()


def test_long_texts_have_one_limit_and_a_counter(client_for: Clients, mentee: Person) -> None:
    client = client_for(mentee)
    page = client.get(URL).content.decode()
    assert f'data-maxlength="{BIO_MAX_CHARS}"' in page
    assert f'data-maxlength="{EXPERTISE_MAX_CHARS}"' in page
    assert "js/char-counter.js" in page
    refused = client.post(URL, profile_post(bio="x" * (BIO_MAX_CHARS + 1)))
    assert refused.status_code == 200
    assert f"at most {BIO_MAX_CHARS} characters" in refused.content.decode()
    # Browsers send line breaks as \r\n: they count once, as in the counter.
    lines = "\r\n".join(["y" * 9] * 400)[: BIO_MAX_CHARS + 300]
    assert len(lines.replace("\r\n", "\n")) <= BIO_MAX_CHARS
    assert client.post(URL, profile_post(bio=lines)).status_code == 302


def test_the_profile_page_has_no_inline_script(client_for: Clients, mentee: Person) -> None:
    page = client_for(mentee).get(URL).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"\son[a-z]+=", page)
