"""HTMX glue shared by views that answer with a fragment or a whole page (django-htmx).

A view that can answer either way must say so in ``Vary: HX-Request`` (``vary_on_htmx``),
or a browser cache hands the fragment back as the page on Back; and a history restore
(htmx asking for a page it no longer has in its cache) always gets the whole page.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through ``HtmxMiddleware`` (for type checkers)."""

    htmx: HtmxDetails


vary_on_htmx = vary_on_headers("HX-Request")


def swaps(request: HtmxHttpRequest, target: str | None = None) -> bool:
    """Whether HTMX asks for a fragment (into the element with id ``target``, when given)
    rather than a page a person will see whole."""
    htmx = request.htmx
    if not htmx or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target
