"""An account without an employee profile (a site admin, say) is never sent to a page it
cannot open: the pages it reaches link only to pages that answer it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

STARTS = ["/", "/programs/", "/notifications/", "/privacy/", "/people/"]
NOT_PAGES = re.compile(r"^/(api/|admin/|accounts/logout|static/)|\.(json|ics|csv)$")


def links_on(html: str) -> set[str]:
    """The site's own page links (paths) of a page."""
    return {
        href.split("#")[0].split("?")[0]
        for href in re.findall(r'href="(/[^"]*)"', html)
        if not NOT_PAGES.search(href)
    }


def test_every_link_a_profileless_account_is_shown_opens_for_it(client: Client) -> None:
    program = ProgramFactory(status="enrolling")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    starts = [*STARTS, program.get_absolute_url()]
    pages = {path: client.get(path) for path in starts}
    assert {path: r.status_code for path, r in pages.items()} == dict.fromkeys(starts, 200)
    linked = set().union(*(links_on(r.content.decode()) for r in pages.values())) - set(starts)
    refused = sorted(path for path in linked if client.get(path).status_code in (403, 404))
    assert refused == []


def test_the_program_page_says_why_a_profileless_account_cannot_join(client: Client) -> None:
    program = ProgramFactory(status="enrolling")
    client.force_login(UserFactory())
    page = client.get(program.get_absolute_url()).content.decode()
    assert "has no employee profile, so it cannot join programs" in page
    assert f"/programs/{program.slug}/join/" not in page
    assert f"/programs/{program.slug}/join/" not in client.get("/programs/").content.decode()
