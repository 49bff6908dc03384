"""GET /api/v1/audit: the log for site admins, with the page's filters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from mentorbridge.audit.models import AuditAction
from mentorbridge.audit.services import audit_record
from mentorbridge.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_log")]
Clients = Callable[[Person | None], Client]


def test_site_admins_read_events_with_every_field(client_for: Clients, site_admin: Person) -> None:
    audit_record(
        action=AuditAction.PEOPLE_IMPORTED, summary="HRIS import", details={"rows": 3},
        actor=site_admin.user,
    )  # fmt: skip
    body = client_for(site_admin).get("/api/v1/audit").json()
    assert body["count"] == 1
    (event,) = body["results"]
    assert event["actor"] == "sid@example.com"
    assert event["action"] == "people.imported"
    assert event["details"] == {"rows": 3}


def test_the_api_filters_like_the_page(client_for: Clients, site_admin: Person) -> None:
    audit_record(action=AuditAction.PEOPLE_IMPORTED, summary="One", actor=site_admin.user)
    audit_record(action=AuditAction.TOKEN_CREATED, summary="Two", actor=site_admin.user)
    client = client_for(site_admin)
    body = client.get("/api/v1/audit?action=token.created").json()
    assert [e["summary"] for e in body["results"]] == ["Two"]
    assert client.get("/api/v1/audit?actor=someone-else").json()["count"] == 0
    assert client.get("/api/v1/audit?limit=1&offset=1").json()["results"][0]["summary"] == "One"


def test_a_bad_date_is_a_422_naming_the_field(client_for: Clients, site_admin: Person) -> None:
    response = client_for(site_admin).get("/api/v1/audit?since=2026-13-01")
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "since": ["“2026-13-01” is not a date: write it as YYYY-MM-DD."]
    }


def test_program_admins_are_refused(client_for: Clients, program_admin: Person) -> None:
    assert client_for(program_admin).get("/api/v1/audit").status_code == 403
