"""The JSON API under /api/v1/: session auth for the browser, personal tokens for scripts."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from mentorbridge.accounts.api import router as me_router
from mentorbridge.accounts.services import api_token_user
from mentorbridge.core.network import client_ip
from mentorbridge.matching.api import router as matching_router
from mentorbridge.people.api import router as people_router
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


api = NinjaAPI(
    title="MentorBridge API",
    version="1",
    description=(
        "People, programs and enrollment. Authenticate with your browser session or a personal "
        "token (`Authorization: Bearer mb_…`, created on the Tokens page)."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/me", me_router, tags=["me"])
api.add_router("/people", people_router, tags=["people"])
api.add_router("/programs", programs_router, tags=["programs"])
api.add_router("", matching_router, tags=["finding a mentor"])


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 with every message, by field where the error has fields."""
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return api.create_response(
        request, {"detail": "; ".join(error.messages), "errors": errors}, status=422
    )


@api.exception_handler(TokensPaused)
def tokens_paused(request: HttpRequest, error: TokensPaused) -> HttpResponse:
    """429 that says when to retry."""
    response = api.create_response(request, {"detail": str(error)}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    """403 that says why."""
    return api.create_response(
        request, {"detail": str(error) or "You may not do that."}, status=403
    )
