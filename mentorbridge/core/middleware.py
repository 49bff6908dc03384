"""Every page needs a signed-in user, except sign-in itself, static files and the API
(which answers 401 on its own, for session and token callers alike); no request carries
forbidden characters past the first middleware."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.defaults import page_not_found
from django_htmx.middleware import HtmxDetails

from mentorbridge.core.cleaning import FORBIDDEN_CHARACTER, text_problem

OPEN_PREFIXES = ("/api/", "/static/", "/healthz")


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's login-required middleware, leaving the API to its own authentication."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
BAD_PATH = "The address {problem}."
BAD_PARAMETER = "Query parameter “{name}” {problem}."
BAD_FIELD = "Form field “{name}” {problem}."
NOT_UTF8 = FORBIDDEN_CHARACTER.format(what="bytes that are not UTF-8 text (a lone surrogate?)")


def undecodable(raw: bytes) -> str | None:
    """The name of the first parameter of an urlencoded string whose name or value is not
    UTF-8 (an encoded lone surrogate, Latin-1 bytes): Django would quietly turn those bytes
    into “�” and the request would store them. ``None`` when everything decodes."""
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        name, value = (unquote_to_bytes(part.replace(b"+", b" ")) for part in (name, value))
        try:
            name.decode("utf-8")
            value.decode("utf-8")
        except UnicodeDecodeError:
            return name.decode("utf-8", "backslashreplace")
    return None


def refusal_page(request: HttpRequest, message: str) -> HttpResponseBase:
    """The site's 400 page for a refused request, with the signed-in user's header: this
    middleware runs before the session's, so the page gets the session and the user as those
    two middlewares would give them (from the session cookie, nothing the request refused)."""

    SessionMiddleware(HttpResponse).process_request(request)  # read only: nothing to save
    AuthenticationMiddleware(HttpResponse).process_request(request)
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    reason = f"{message} Nothing was saved: go back, take that out and send it again."
    return render(request, "400.html", {"reason": reason, "back": back}, status=400)


class InputCleaningMiddleware:
    """Refuse a request whose path, query string or form fields break the text rule
    (:mod:`mentorbridge.core.cleaning`) with a 400 that names the parameter, before any view
    or query sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refused = self.problem(request)
        if refused is None:
            return self.get_response(request)
        name, message = refused
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "errors": {name: [message]}}, status=400)
        if HtmxDetails(request):  # this runs before django-htmx's middleware sets request.htmx
            # the page that sent it stays as it is; app.js shows this text above the form
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return refusal_page(request, message)

    @staticmethod
    def problem(request: HttpRequest) -> tuple[str, str] | None:
        """(parameter, message) for the first forbidden value, or ``None``."""
        if problem := text_problem(request.path, single_line=True):
            return "path", BAD_PATH.format(problem=problem)
        raw = [(request.META.get("QUERY_STRING", "").encode("iso-8859-1"), BAD_PARAMETER)]
        if request.method == "POST" and request.content_type == FORM_TYPES[0]:
            raw.append((request.body, BAD_FIELD))
        for data, template in raw:
            if (broken := undecodable(data)) is not None:
                return broken, template.format(name=broken, problem=NOT_UTF8)
        sources = [(request.GET, BAD_PARAMETER)]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            sources.append((request.POST, BAD_FIELD))
        for data, template in sources:
            for name, values in data.lists():
                problem = text_problem(name, single_line=True) or text_problem(values)
                if problem:
                    shown = name.encode("unicode_escape").decode("ascii")
                    return shown, template.format(name=shown, problem=problem)
        return None


class ErrorPagesMiddleware:
    """The site's own page where Django would give a bare one:

    - with ``DEBUG`` on (the demo ``make run`` serves), a page that is not there gets the
      site's "not found" page, as in production, instead of Django's debug page listing the
      site's address patterns (``DEBUG_NOT_FOUND_PAGES=1`` brings that back);
    - an address that only takes a form's answer (accept, decline, send…) opened as a page (a
      bookmark, a link copied from the address bar) gets a page saying so instead of an empty
      405, which the browser shows as its own error; the status and ``Allow`` stay.

    The API and static files keep their own answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    @staticmethod
    def _not_found_page(request: HttpRequest) -> bool:
        return (
            settings.DEBUG
            and not getattr(settings, "DEBUG_NOT_FOUND_PAGES", False)
            and not request.path.startswith(OPEN_PREFIXES)
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None  # no address pattern matched
            and self._not_found_page(request)
        ):
            return page_not_found(request, Http404())
        if (
            response.status_code == 405
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(OPEN_PREFIXES)
            and not getattr(response, "content", b"")
        ):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponseBase | None:
        """A view's 404 (an id that is not there, or not the user's to see)."""
        if isinstance(exception, Http404) and self._not_found_page(request):
            return page_not_found(request, exception)
        return None
