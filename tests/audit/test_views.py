"""The audit log page: site admins only, filtered by action, actor and days, 50 a page."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from mentorbridge.audit.models import AuditAction, AuditEvent
from mentorbridge.audit.services import audit_record
from mentorbridge.people.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_log")]
Clients = Callable[[Person | None], Client]


def record(action: str, who: Person | None, summary: str, days_ago: int = 0) -> AuditEvent:
    event = audit_record(action=action, summary=summary, actor=who.user if who else None)
    event.at = timezone.now() - datetime.timedelta(days=days_ago)
    event.save(update_fields=["at"])
    return event


@pytest.mark.parametrize("persona", ["outsider", "mentee", "program_admin"])
def test_only_site_admins_read_the_audit_log(
    client_for: Clients, request: pytest.FixtureRequest, persona: str
) -> None:
    assert client_for(request.getfixturevalue(persona)).get("/audit/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_log_lists_events_newest_first_with_who_and_from_where(
    client_for: Clients, site_admin: Person, program_admin: Person
) -> None:
    record(AuditAction.PEOPLE_IMPORTED, program_admin, "Old import", days_ago=2)
    record(AuditAction.ROUND_PUBLISHED, site_admin, "New round")
    page = client_for(site_admin).get("/audit/").content.decode()
    assert page.index("New round") < page.index("Old import")
    assert "ada@example.com" in page and "Matching round published" in page
    newest = AuditEvent.objects.order_by("-at").first()
    assert newest is not None
    assert f"{newest.at.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC</time>" in page


def test_the_log_filters_by_action_actor_and_days(
    client_for: Clients, site_admin: Person, program_admin: Person
) -> None:
    record(AuditAction.PEOPLE_IMPORTED, program_admin, "Import by Ada", days_ago=10)
    record(AuditAction.PEOPLE_IMPORTED, site_admin, "Import by Sid", days_ago=1)
    record(AuditAction.TOKEN_CREATED, program_admin, "Token by Ada", days_ago=1)
    client = client_for(site_admin)
    by_action = client.get("/audit/?action=people.imported").content.decode()
    assert "Import by Ada" in by_action and "Token by Ada" not in by_action
    by_actor = client.get("/audit/?actor=ADA@").content.decode()
    assert "Token by Ada" in by_actor and "Import by Sid" not in by_actor
    since = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    recent = client.get(f"/audit/?since={since}&until={timezone.localdate()}").content.decode()
    assert "Import by Sid" in recent and "Import by Ada" not in recent


def test_a_bad_filter_is_named_on_the_page(client_for: Clients, site_admin: Person) -> None:
    response = client_for(site_admin).get("/audit/?since=yesterday&action=nope")
    assert response.status_code == 400
    page = response.content.decode()
    assert "“yesterday” is not a date: write it as YYYY-MM-DD." in page
    assert "“nope” is not an audited action" in page


def test_the_log_pages_by_fifty_and_the_links_keep_the_filters(
    client_for: Clients, site_admin: Person
) -> None:
    for n in range(51):
        record(AuditAction.TOKEN_CREATED, site_admin, f"Token {n}")
    client = client_for(site_admin)
    first = client.get("/audit/?action=token.created").content.decode()
    assert "Page 1 of 2" in first and "?action=token.created&amp;page=2" in first
    second = client.get("/audit/?action=token.created&page=2").content.decode()
    assert "Token 0<" in second or "Token 0\n" in second or ": Token 0" in second


def test_an_empty_log_says_what_will_appear(client_for: Clients, site_admin: Person) -> None:
    page = client_for(site_admin).get("/audit/").content.decode()
    assert "Nothing recorded yet" in page
    filtered = client_for(site_admin).get("/audit/?actor=nobody").content.decode()
    assert "No event matches these filters" in filtered


def test_site_admins_find_the_log_in_their_menu(
    client_for: Clients, site_admin: Person, program_admin: Person
) -> None:
    assert 'href="/audit/"' in client_for(site_admin).get("/").content.decode()
    assert 'href="/audit/"' not in client_for(program_admin).get("/").content.decode()
