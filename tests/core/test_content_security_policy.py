"""The Content Security Policy: scripts only from our own files, and no template that needs
more (an inline script or an ``on…=`` handler would be refused by the browser)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client

from mentorbridge.people.models import Person

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


@pytest.mark.django_db
def test_every_page_sends_a_policy_that_refuses_inline_and_foreign_scripts(
    client_for: Callable[[Person | None], Client], outsider: Person
) -> None:
    for response in (client_for(None).get("/accounts/login/"), client_for(outsider).get("/")):
        policy = response["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == ["'self'"]
        assert directives["default-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_no_template_has_an_inline_script_or_event_handler(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "move the script to static/js/"
    assert not EVENT_HANDLER.search(text), "attach the handler from a file in static/js/"
