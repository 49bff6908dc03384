"""The JSON API under /api/v1/: session auth for the browser, personal tokens for scripts.

Every 4xx answer has one shape, :class:`~mentorbridge.core.schemas.ErrorOut`
(``{"detail": str, "errors": {field: [messages]}}``), whichever layer refused the request:
ninja's own validation, authentication, a missing record, a refused permission or a service's
``ValidationError``. The OpenAPI schema documents it for the 4xx answers each operation can give.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, reverse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import DocsBase
from ninja.openapi.schema import OpenAPISchema
from ninja.security import HttpBearer, SessionAuth

from mentorbridge.accounts.api import router as me_router
from mentorbridge.accounts.services import api_token_user
from mentorbridge.audit.api import router as audit_router
from mentorbridge.core.limits import REQUEST_LINE_MAX_BYTES
from mentorbridge.core.network import client_ip
from mentorbridge.core.schemas import ErrorOut
from mentorbridge.matching.api import router as matching_router
from mentorbridge.matching.overview_api import router as overview_router
from mentorbridge.mentorships.api import programs_router as mentorship_programs_router
from mentorbridge.mentorships.api import router as mentorships_router
from mentorbridge.mentorships.calendar.api import router as calendar_router
from mentorbridge.notifications.api import router as notifications_router
from mentorbridge.people.api import router as people_router
from mentorbridge.privacy.api import router as privacy_router
from mentorbridge.programs.api import router as programs_router

TOKENS_PAUSED = (
    "Too many unknown API tokens from your address: token sign-in is paused. "
    "Retry after {seconds} seconds."
)


class TokensPaused(Exception):
    """Too many unknown tokens from one address within the window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(TOKENS_PAUSED.format(seconds=retry_after))
        self.retry_after = retry_after


def _failures_key(request: HttpRequest) -> str:
    return f"token-failures:{client_ip(request) or 'unknown'}"


NOT_SIGNED_IN = (
    "Sign in, or send a valid personal token: `Authorization: Bearer mb_…` "
    "(create one on the Tokens page)."
)
NOT_FOUND = "No such {what}."
NOT_ALLOWED = "You may not do that."
NOT_ALLOWED_METHOD = "{method} is not an operation here; this path answers {allowed}."
NO_OPERATION = "No API operation at {path}: see /api/v1/docs for the list."
BODY_TOO_BIG = "The request body is too large: at most {limit} bytes."
_NO_MATCH = re.compile(r"No (?P<model>\w+) matches the given query\.")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
# Fields named in ninja's error locations that are not fields of the body or query.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mb_…`` with a personal token from the Tokens page.

    Unknown tokens are counted per address (in the ``throttle`` cache, shared by all server
    processes); past ``TOKEN_FAILURE_LIMIT`` within ``TOKEN_FAILURE_WINDOW`` seconds, every
    token from that address gets 429 with ``Retry-After`` until the window ends.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        throttle = caches["throttle"]
        key = _failures_key(request)
        failures = throttle.get(key)
        if failures and failures["count"] >= settings.TOKEN_FAILURE_LIMIT:
            raise TokensPaused(max(1, int(failures["until"] - time.time())))
        user = api_token_user(token)
        if user is None:
            window = settings.TOKEN_FAILURE_WINDOW
            until = failures["until"] if failures else time.time() + window
            count = (failures["count"] if failures else 0) + 1
            throttle.set(
                key, {"count": count, "until": until}, timeout=max(1, int(until - time.time()))
            )
            return None
        request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The browser's session, CSRF-checked on writes.

    A request that carries an ``Authorization`` header is a script's: a wrong token answers
    401, not the CSRF 403 a cookie-less script cannot do anything about. So does a request
    with no signed-in session.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META or not request.user.is_authenticated:
            return None
        return super().__call__(request)


class OfflineSwagger(DocsBase):
    """Swagger UI from ``static/vendor/`` (no CDN): the docs work without internet."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        return render(
            request,
            self.template,
            {"api": api, "openapi_url": reverse(f"{api.urls_namespace}:openapi-json")},
        )


def _error_responses(operation: dict[str, Any], *, authenticated: bool) -> dict[str, Any]:
    """The 4xx answers an OpenAPI operation can give, each with the error schema."""
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    params = operation.get("parameters", [])
    has_body = "requestBody" in operation
    wanted: dict[str, str] = {
        "400": "A NUL byte or control character in the path or a query parameter "
        "(`errors` names it).",
    }
    if authenticated:
        wanted["401"] = "Not signed in, or the token is wrong or revoked."
        wanted["403"] = (
            "Signed in but not allowed (or a browser write without the CSRF token, or an "
            "account without a profile)."
        )
    if any(p.get("in") == "path" for p in params):
        wanted["404"] = "No such record, or one you may not see."
    if has_body:
        wanted["413"] = "The request body is over the size limit."
    if params or has_body:
        wanted["422"] = "Invalid input: `errors` names each field and what is wrong with it."
    if authenticated:
        wanted["429"] = (
            "Too many unknown tokens from your address: token sign-in is paused; "
            "`Retry-After` says for how many seconds."
        )
    responses = operation.setdefault("responses", {})
    for status, description in wanted.items():
        responses.setdefault(status, {"description": description, **ref})
    # Answered by the web server (gunicorn's limit_request_line, config/gunicorn.py) before
    # the app sees the request, so not in the JSON error shape. Only an invalid request is
    # that long: the longest valid one of every operation fits (tests/api/test_errors.py).
    responses.setdefault(
        "414",
        {
            "description": f"The request line (method, path and query string) is over "
            f"{REQUEST_LINE_MAX_BYTES:,} bytes: refused by the web server before the app reads "
            "it, as an HTML page. Only a request with a parameter over its limit is that long.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
    )
    return responses


class MentorBridgeAPI(NinjaAPI):
    """``NinjaAPI`` whose OpenAPI schema lists the error answers of every operation."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/{model}")
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    _error_responses(operation, authenticated=bool(operation.get("security")))
        return schema


api = MentorBridgeAPI(
    title="MentorBridge API",
    version="1",
    description=(
        "People, programs, enrollment and finding a mentor. Authenticate with your browser "
        "session or a personal token (`Authorization: Bearer mb_…`, created on the Tokens "
        "page).\n\n"
        '**Errors.** Every 4xx answer is `{"detail": str, "errors": {field: [messages]}}`: '
        "`detail` says what went wrong in one line; `errors` names each field at fault "
        "(`bio`, `skills.0.proficiency`, `offset`; `__all__` for the request as a whole) and is "
        "empty when no field is to blame. 400: a NUL byte or control character in the path or "
        "query; 401: not signed in or a wrong token; 403: not allowed; 404: no such record "
        "(or one you may not see); 405: not an operation of "
        "this path; 413: body too large; 414: request line (path and query string) over "
        f"{REQUEST_LINE_MAX_BYTES:,} bytes, refused by the web server as an HTML page (only "
        "a parameter over its limit gets there); 422: invalid input (a body that is not a "
        "JSON object too); 429: too many unknown tokens, retry after `Retry-After` seconds.\n\n"
        "**PATCH** changes only what it names. See `PATCH /api/v1/me` for adding, changing and "
        "removing single skills."
    ),
    auth=[TokenAuth(), BrowserSessionAuth()],
    urls_namespace="api",
    docs=OfflineSwagger(),
)
api.add_router("/me", me_router, tags=["me"])
api.add_router("/people", people_router, tags=["people"])
api.add_router("/programs", programs_router, tags=["programs"])
api.add_router("", matching_router, tags=["finding a mentor"])
api.add_router("/mentorships", mentorships_router, tags=["mentorship workspace"])
api.add_router("/calendar", calendar_router, tags=["mentorship workspace"])
api.add_router("", overview_router, tags=["programs"])
api.add_router("/audit", audit_router, tags=["audit log"])
api.add_router("", privacy_router, tags=["personal data"])
api.add_router("/notifications", notifications_router, tags=["notifications"])
api.add_router("/programs", mentorship_programs_router, tags=["mentorship health"])


def _error(request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]]) -> Any:
    body = ErrorOut(detail=detail, errors=errors).model_dump()
    return api.create_response(request, body, status=status)


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    """``("body", "payload", "skills", 0, "name")`` → ``skills.0.name``; ``("query", "offset")``
    → ``offset``; the whole body → ``__all__``."""
    parts = [str(part) for part in location]
    if parts and parts[0] in _LOCATIONS:
        source = parts.pop(0)
        # A body schema sits under its parameter's name ("payload"): not a field of the body.
        if source in ("body", "form") and parts:
            parts.pop(0)
    return ".".join(parts) or "__all__"


@api.exception_handler(NinjaValidationError)
def ninja_validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    """422 from the schemas: each field with its messages."""
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        message = str(item.get("msg", "Invalid value.")).removeprefix("Value error, ")
        errors.setdefault(_field_name(item.get("loc", ())), []).append(message)
    detail = "; ".join(
        f"{field}: {message}" if field != "__all__" else message
        for field, messages in errors.items()
        for message in messages
    )
    return _error(request, 422, detail or "Invalid input.", errors)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 from the services: every message, by field where the error has fields."""
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return _error(request, 422, "; ".join(error.messages), errors)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    """401 that says how to authenticate."""
    response = _error(request, 401, NOT_SIGNED_IN, {})
    response["WWW-Authenticate"] = 'Bearer realm="MentorBridge API"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    """ninja's own refusals (the CSRF check, an unreadable body) in the one shape."""
    detail = str(error)
    if detail == "CSRF check Failed":
        detail = "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie."
    return _error(request, error.status_code, detail, {})


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    """404 for a missing record, and for one the caller may not see."""
    message = str(error)
    # get_object_or_404 says "No Person matches the given query.": name the record plainly.
    found = _NO_MATCH.fullmatch(message)
    if found:
        message = NOT_FOUND.format(what=_CAMEL.sub(" ", found["model"]).lower())
    return _error(request, 404, message or NOT_FOUND.format(what=request.path), {})


@api.exception_handler(TokensPaused)
def tokens_paused(request: HttpRequest, error: TokensPaused) -> HttpResponse:
    """429 that says when to retry."""
    response = _error(request, 429, str(error), {})
    response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    """403 that says why."""
    return _error(request, 403, str(error) or NOT_ALLOWED, {})


@api.exception_handler(RequestDataTooBig)
def body_too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (was a 400 "cannot parse")."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _error(request, 413, BODY_TOO_BIG.format(limit=limit), {})


def _json_not_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ninja answers a wrong method with a plain-text 405: give it the API's error shape."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code != 405 or response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return response
        allowed = response.get("Allow", "")
        detail = NOT_ALLOWED_METHOD.format(method=request.method, allowed=allowed)
        answer = JsonResponse(ErrorOut(detail=detail, errors={}).model_dump(), status=405)
        answer["Allow"] = allowed
        return answer

    return wrapper


@csrf_exempt  # writes nothing; a POST gets the API's 405, not Django's CSRF page
def api_index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """/api/v1/ itself: where the API describes itself (django-ninja's own root view raises a
    404, which with DEBUG on was Django's debug page listing every address of the site)."""
    if request.method not in ("GET", "HEAD"):
        detail = NOT_ALLOWED_METHOD.format(method=request.method, allowed="GET, HEAD")
        body = ErrorOut(detail=detail, errors={}).model_dump()
        return JsonResponse(body, status=405, headers={"Allow": "GET, HEAD"})
    root = request.path
    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "docs": root + "docs",
            "openapi": root + "openapi.json",
        }
    )


def api_urls() -> tuple[list[Any], str, str]:
    """``api.urls`` for ``config/urls.py``, every view answering 405 in the error shape, and
    the root answering with where the docs are."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name == "api-root":
                pattern.callback = api_index
            else:
                pattern.callback = _json_not_allowed(pattern.callback)
    return patterns, app_name, namespace


def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """A path under /api/v1/ that no operation serves: a 404 in the API's shape, not a page."""
    body = ErrorOut(detail=NO_OPERATION.format(path=request.path), errors={}).model_dump()
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})
