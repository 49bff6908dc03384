"""The error pages of mentorbridge.core.views: they say what went wrong, in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from mentorbridge.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_form_larger_than_the_upload_limit_gets_a_page_that_says_so(
    settings, outsider: Person, client_for: Callable[[Person | None], Client]
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    bio_before = outsider.bio
    response = client_for(outsider).post("/people/me/edit/", {"bio": "x" * 10_000})
    assert response.status_code == 400
    page = response.content.decode()
    assert "larger than 2.0\xa0KB" in page
    assert "Nothing was saved" in page
    outsider.refresh_from_db()
    assert outsider.bio == bio_before


def test_a_form_with_too_many_fields_gets_a_page_that_says_so(
    settings, outsider: Person, client_for: Callable[[Person | None], Client]
) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    fields = {f"field{n}": "x" for n in range(20)}
    response = client_for(outsider).post("/people/me/edit/", fields)
    assert response.status_code == 400
    assert "more than 10 fields" in response.content.decode()


def test_the_server_error_page_renders_without_a_request() -> None:
    from django.template import loader

    page = loader.get_template("500.html").render()
    assert "Something went wrong on our side" in page


@pytest.mark.parametrize(
    "path", ["/programs/nope/", "/mentorships/99999/", "/no-such-page/"], ids=["view", "id", "url"]
)
def test_with_debug_on_a_missing_page_is_the_sites_own_not_found_page(
    settings: Any, path: str, mentee: Person
) -> None:
    """The demo (`make run`, DEBUG on) showed Django's debug page, listing every address
    pattern of the site."""
    settings.DEBUG = True
    client = Client()
    client.force_login(mentee.user)
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert "We couldn't find that" in page
    assert "URLconf" not in page


def test_with_debug_on_the_api_keeps_its_json_not_found(settings: Any, mentee: Person) -> None:
    settings.DEBUG = True
    client = Client()
    client.force_login(mentee.user)
    response = client.get("/api/v1/programs/nope")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_debug_not_found_pages_brings_back_djangos_debug_page(
    settings: Any, mentee: Person
) -> None:
    settings.DEBUG = True
    settings.DEBUG_NOT_FOUND_PAGES = True
    client = Client()
    client.force_login(mentee.user)
    assert "URLconf" in client.get("/no-such-page/").content.decode()


def test_an_address_that_only_takes_a_form_opened_as_a_page_says_so(mentee: Person) -> None:
    """A GET to a POST-only address was a 405 with an empty body: the browser's own error."""
    client = Client()
    client.force_login(mentee.user)
    response = client.get("/mentoring/requests/1/accept/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "This address answers a form" in response.content.decode()
    assert 'class="site-menu"' in response.content.decode()
