"""Views that answer with a fragment or a whole page say so in ``Vary: HX-Request``, give the
fragment only to HTMX swapping into its target, and the whole page to everyone else (the
Back button, a history restore, a link opened in a new tab)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_htmx.middleware import HtmxMiddleware

from mentorbridge.core.htmx import HtmxHttpRequest, swaps
from mentorbridge.people.models import Person
from mentorbridge.programs.models import Program

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
HISTORY = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}


def htmx_request(**headers: str) -> HtmxHttpRequest:
    request = RequestFactory().get("/", **headers)
    HtmxMiddleware(lambda r: HttpResponse())(request)
    return request  # type: ignore[return-value]


def test_swaps_only_for_htmx_into_the_named_target() -> None:
    assert not swaps(htmx_request())
    assert swaps(htmx_request(**HTMX))
    assert swaps(htmx_request(HTTP_HX_TARGET="results", **HTMX), "results")
    assert not swaps(htmx_request(HTTP_HX_TARGET="other", **HTMX), "results")
    assert not swaps(htmx_request(HTTP_HX_TARGET="results", **HISTORY), "results")


@pytest.fixture
def live_filters(mentee: Person, program: Program) -> list[tuple[str, str, str]]:
    """(persona, URL, HTMX target) of every page with a live filter."""
    focus_area = mentee.enrollments.get(program=program).focus_areas.get()
    return [
        ("mentee", "/people/?q=Max", "results"),
        ("program_admin", "/programs/engineering-growth/enrollments/?q=Mia", "enrollment-rows"),
        ("mentee", f"/programs/engineering-growth/find/{focus_area.pk}/?q=Max", "suggestions"),
    ]


def test_each_live_filter_varies_on_hx_request_and_renders_a_whole_page_without_it(
    request: pytest.FixtureRequest,
    client_for: Callable[[Person | None], Client],
    live_filters: list[tuple[str, str, str]],
) -> None:
    for persona, url, target in live_filters:
        client = client_for(request.getfixturevalue(persona))
        fragment = client.get(url, HTTP_HX_TARGET=target, **HTMX)
        page = client.get(url)
        restored = client.get(url, HTTP_HX_TARGET=target, **HISTORY)
        for response in (fragment, page, restored):
            assert response.status_code == 200, url
            assert "HX-Request" in response["Vary"], url
        assert b"<html" not in fragment.content, url
        assert b'<header class="site">' in page.content, url
        assert b'<header class="site">' in restored.content, url


def test_no_view_reads_the_hx_request_header_by_hand() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "mentorbridge"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if 'headers.get("HX-' in path.read_text() or "HTTP_HX_" in path.read_text()
    ]
    assert offenders == []


def test_every_page_tells_htmx_to_swap_a_form_sent_back_with_its_errors(mentee: Person) -> None:
    """htmx 2 swaps no 4xx response by default: a form answered 422 with its errors showed
    nothing (the request to a mentor with only spaces in its message looked ignored)."""
    client = Client()
    client.force_login(mentee.user)
    page = client.get("/").content.decode()
    config = json.loads(
        html.unescape(re.search(r'name="htmx-config" content=\'([^\']*)\'', page)[1])
    )
    rules = config["responseHandling"]
    codes = [rule["code"] for rule in rules]
    assert {"code": "422", "swap": True} in rules
    assert codes.index("422") < codes.index("[45]..")  # the first rule that matches is taken
    assert {"code": "[45]..", "swap": False, "error": True} in rules
