"""GET /api/v1/me/export and POST /api/v1/people/{employee_id}/erase."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.people.models import Person
from mentorbridge.privacy.models import ErasureRecord
from tests.privacy.world import World

pytestmark = pytest.mark.django_db
Clients = Callable[[Person | None], Client]


def test_a_person_exports_their_data_as_json(client_for: Clients, world: World) -> None:
    body = client_for(world.mentee).get("/api/v1/me/export").json()
    assert body["employee_id"] == world.mentee.employee_id
    assert body["sections"]["account"]["data"]["email"] == "mia@example.com"


def test_anonymous_callers_get_401(client: Client) -> None:
    assert client.get("/api/v1/me/export").status_code == 401


def test_a_site_admin_erases_a_person_with_the_api(
    client_for: Clients, world: World, site_admin: Person
) -> None:
    response = client_for(site_admin).post(
        f"/api/v1/people/{world.mentee.employee_id}/erase",
        {"confirm": "Mia Mentee"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["person"] == f"Erased person #{world.mentee.pk}"
    assert body["employee_id"] == f"erased-{world.mentee.pk}"
    assert body["figures"]["profile"]["profiles_anonymised"] == 1


def test_a_wrong_confirmation_is_a_422_on_the_confirm_field(
    client_for: Clients, world: World, site_admin: Person
) -> None:
    response = client_for(site_admin).post(
        f"/api/v1/people/{world.mentee.employee_id}/erase",
        {"confirm": "someone"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["confirm"]
    assert not ErasureRecord.objects.exists()


def test_program_admins_may_not_erase(
    client_for: Clients, world: World, program_admin: Person
) -> None:
    response = client_for(program_admin).post(
        f"/api/v1/people/{world.mentee.employee_id}/erase",
        {"confirm": "Mia Mentee"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ErasureRecord.objects.exists()
