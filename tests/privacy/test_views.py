"""/privacy/ for everyone, the JSON download, and the erase page for site admins."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.people.models import Person
from mentorbridge.privacy.models import ErasureRecord
from tests.factories import UserFactory
from tests.privacy.world import World

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def test_everyone_sees_what_we_keep_and_the_download(client_for: Clients, outsider: Person) -> None:
    page = client_for(outsider).get("/privacy/").content.decode()
    assert "Download all my data (JSON)" in page
    assert "Emails MentorBridge sent you." in page
    assert "Erasing a person" not in page


def test_an_account_without_a_profile_is_told_there_is_nothing_to_download(
    client: Client,
) -> None:
    client.force_login(UserFactory())
    page = client.get("/privacy/").content.decode()
    assert "Your account has no employee profile" in page
    assert client.get("/privacy/my-data.json").status_code == 403


def test_the_download_is_a_json_attachment_with_the_persons_data(
    client_for: Clients, world: World
) -> None:
    response = client_for(world.mentee).get("/privacy/my-data.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="mentorbridge-my-data-{world.mentee.employee_id}-'
    )
    document = json.loads(response.content)
    assert document["sections"]["profile"]["data"]["first_name"] == "Mia"


def test_the_erase_page_names_the_person_and_what_goes(
    client_for: Clients, world: World, site_admin: Person
) -> None:
    page = client_for(site_admin).get(f"/privacy/erase/{world.mentee.employee_id}/").content
    text = page.decode()
    assert "Erase Mia Mentee" in text and "mia@example.com" in text
    assert "1 live of 1 mentorship" in text
    assert "This cannot be undone." in text


def test_a_wrong_confirmation_erases_nothing_and_says_what_to_type(
    client_for: Clients, world: World, site_admin: Person
) -> None:
    url = f"/privacy/erase/{world.mentee.employee_id}/"
    response = client_for(site_admin).post(url, {"confirm": "Max Mentor"})
    assert response.status_code == 422
    assert "Type Mia Mentee&#x27;s full name or employee ID" in response.content.decode()
    assert not ErasureRecord.objects.exists()


def test_confirming_erases_and_returns_to_the_privacy_page(
    client_for: Clients, world: World, site_admin: Person
) -> None:
    client = client_for(site_admin)
    response = client.post(
        f"/privacy/erase/{world.mentee.employee_id}/", {"confirm": " mia  MENTEE "}, follow=True
    )
    label = f"Erased person #{world.mentee.pk}"
    assert f"Mia Mentee is erased and is now “{label}”" in response.content.decode()
    assert label in client.get("/privacy/").content.decode()  # the list of erasures
    again = client.get(f"/privacy/erase/erased-{world.mentee.pk}/").content.decode()
    assert "Already erased" in again


def test_the_erased_person_is_signed_out_for_good(
    client_for: Clients, world: World, site_admin: Person
) -> None:
    mia = client_for(world.mentee)
    client_for(site_admin).post(
        f"/privacy/erase/{world.mentee.employee_id}/", {"confirm": "Mia Mentee"}
    )
    response = mia.get("/privacy/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_site_admins_cannot_erase_themselves(client_for: Clients, site_admin: Person) -> None:
    page = client_for(site_admin).get(f"/privacy/erase/{site_admin.employee_id}/").content
    assert "You cannot erase yourself" in page.decode()


def test_profiles_offer_erasure_to_site_admins_only(
    client_for: Clients, world: World, site_admin: Person, program_admin: Person
) -> None:
    url = f"/people/{world.mentee.employee_id}/"
    assert "Erase this person…" in client_for(site_admin).get(url).content.decode()
    assert "Erase this person…" not in client_for(program_admin).get(url).content.decode()


@pytest.mark.parametrize("persona", ["outsider", "mentor", "program_admin"])
def test_only_site_admins_reach_the_erase_page(
    client_for: Clients, world: World, request: pytest.FixtureRequest, persona: str
) -> None:
    client = client_for(request.getfixturevalue(persona))
    url = f"/privacy/erase/{world.mentee.employee_id}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "Mia Mentee"}).status_code == 403
    assert not ErasureRecord.objects.exists()


def test_an_unknown_employee_id_is_not_found(client_for: Clients, site_admin: Person) -> None:
    assert client_for(site_admin).get("/privacy/erase/NOPE/").status_code == 404
