"""The JSON API under /api/v1/: session auth for the browser, personal tokens for scripts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from mentorbridge.accounts.api import router as me_router
from mentorbridge.accounts.services import api_token_user
from mentorbridge.matching.api import router as matching_router
from mentorbridge.mentorships.api import router as mentorships_router
from mentorbridge.people.api import router as people_router
from mentorbridge.programs.api import router as programs_router


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mb_…`` with a personal token from the Tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
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
api.add_router("/mentorships", mentorships_router, tags=["mentorship workspace"])


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 with every message, by field where the error has fields."""
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return api.create_response(
        request, {"detail": "; ".join(error.messages), "errors": errors}, status=422
    )


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    """403 that says why."""
    return api.create_response(
        request, {"detail": str(error) or "You may not do that."}, status=403
    )
